package ebnn.shell;

import java.util.Hashtable;
import java.util.List;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.felix.service.command.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.ServiceTracker;

import ebnn.api.command.Command;

/**
 * Gives every registered {@link Command}, of any bundle, its Gogo function {@code ebnn:NAME} for as
 * long as it is registered: a command declares itself once (its {@link ebnn.api.command.CommandSpec})
 * and needs neither Gogo's service properties nor a method named after it.
 */
@Component(immediate = true, service = { GogoCommands.class, CommandSessionListener.class })
public class GogoCommands implements CommandSessionListener {
    private BundleContext context;
    private ServiceTracker<Command, ServiceRegistration<Function>> tracker;
    private boolean closed;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    /**
     * Opens before the first command line a Gogo session runs once the framework has started (or when
     * {@link Main} asks), not at start: naming a command means getting (activating) it, and with it the
     * services it uses, such as the toolchain; while the framework is still starting bundles (Gogo's own
     * shell runs a line then), SLF4J would bind before its provider has started and log nothing for the
     * whole run.
     */
    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        if (context.getBundle(0).getState() == Bundle.ACTIVE)
            open();
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
        // nothing to do
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
        // nothing to do
    }

    /** Gives every registered command its Gogo function from now on (once; later calls return at once). */
    synchronized void open() {
        if (tracker != null || closed)
            return;
        BundleContext context = this.context;
        tracker = new ServiceTracker<>(context, Command.class, null) {
            @Override
            public ServiceRegistration<Function> addingService(ServiceReference<Command> reference) {
                Command command = context.getService(reference);
                if (command == null)
                    return null;
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(CommandProcessor.COMMAND_SCOPE, "ebnn");
                props.put(CommandProcessor.COMMAND_FUNCTION, command.spec().name());
                return context.registerService(Function.class, new Run(command), props);
            }

            @Override
            public void removedService(ServiceReference<Command> reference, ServiceRegistration<Function> registration) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
                context.ungetService(reference);
            }
        };
        tracker.open();
    }

    @Deactivate
    synchronized void deactivate() {
        closed = true;
        if (tracker != null)
            tracker.close();
    }

    /** The Gogo function of one command. */
    private record Run(Command command) implements Function {
        @Override
        public Object execute(CommandSession session, List<Object> arguments) {
            CommandRunner.run(command, session, arguments);
            return null;
        }
    }
}
