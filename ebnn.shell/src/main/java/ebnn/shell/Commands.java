package ebnn.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import ebnn.api.command.Command;

/**
 * The ebnn commands registered right now, from the service registry: what {@link Main}, the help
 * command, the interactive shell's completion and {@link GogoCommands} all see, so a bundle's
 * commands appear and disappear with it everywhere at once.
 */
public final class Commands {
    private Commands() {
    }

    /** Every registered command, by name (the first registered wins where two share a name, as for Gogo). */
    public static List<Command> registered(BundleContext context) {
        List<Command> all = new ArrayList<>();
        if (context == null)
            return all;
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(Command.class.getName(), null);
            if (refs == null)
                return all;
            java.util.Arrays.sort(refs); // highest ranking, then oldest, first
            for (int i = refs.length - 1; i >= 0; i--) {
                Object c = context.getService(refs[i]);
                if (c instanceof Command command) {
                    if (all.stream().noneMatch(x -> x.spec().name().equals(command.spec().name())))
                        all.add(command);
                    context.ungetService(refs[i]);
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return all; // the bundle is stopping: no commands
        }
        all.sort(Comparator.comparing(c -> c.spec().name()));
        return all;
    }

    /** The registered command of that name ({@code ebnn:} prefix allowed). */
    public static Optional<Command> named(BundleContext context, String name) {
        String n = name.startsWith("ebnn:") ? name.substring(5) : name;
        return registered(context).stream().filter(c -> c.spec().name().equals(n)).findFirst();
    }

    public static List<String> names(BundleContext context) {
        return registered(context).stream().map(c -> c.spec().name()).toList();
    }
}
