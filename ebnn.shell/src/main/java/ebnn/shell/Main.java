package ebnn.shell;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ebnn.api.command.Command;
import ebnn.api.command.Errors;

/**
 * The one-shot command line: {@code java -jar ebnn.jar ebnn:info model.ebnn}. The bnd launcher runs
 * this {@code main.thread} service after all bundles started and exits with its return value:
 * 0 ok, 1 the command failed, 2 usage (unknown command or bad options). Without arguments it runs the
 * {@link Interactive} shell when there is a terminal, else prints the help.
 *
 * <p>The command runs in a Gogo {@link CommandSession} on the process's real file descriptors
 * (never System.out, which Gogo itself redirects). This component has no mandatory reference so
 * that the launcher always finds it; it waits (bounded) for the services the command needs.
 */
@Component(service = Callable.class, property = "main.thread=true")
public class Main implements Callable<Integer> {
    static final String TOOLCHAIN = "ebnn.api.spi.Toolchain";

    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, Charset.defaultCharset());
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, Charset.defaultCharset());
        try {
            return run(launcherArguments(), new FileInputStream(FileDescriptor.in), out, err, System.console() != null);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Runs one command line (or the interactive shell) and returns the exit status. */
    public int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        long deadline = System.currentTimeMillis() + Long.getLong("ebnn.wait.ms", 5000);
        CommandProcessor processor = (CommandProcessor) await(CommandProcessor.class.getName(), null, deadline);
        if (processor == null) {
            err.println("error: the Gogo command processor did not start (is org.apache.felix.gogo.runtime installed?)");
            return Command.FAILED;
        }
        if (await(TOOLCHAIN, null, deadline) == null) {
            err.println("error: the ebnn toolchain service did not start within " + Long.getLong("ebnn.wait.ms", 5000) / 1000
                    + " s (is the ebnn.core bundle installed and resolved?)");
            return Command.FAILED;
        }
        openGogoCommands();
        List<String> argv = new ArrayList<>(Arrays.asList(args));
        if (argv.isEmpty() && terminal)
            return interactive(processor, err, deadline);
        if (argv.isEmpty() || argv.get(0).equals("help") || argv.get(0).equals("--help") || argv.get(0).equals("-h")) {
            if (argv.isEmpty())
                argv.add("ebnn:help");
            else
                argv.set(0, "ebnn:help");
        }
        String name = argv.get(0);
        String function = name.startsWith("ebnn:") ? name.substring(5) : name.contains(":") ? null : name;
        if (function != null && !registered(function)) {
            // the commands are whatever the bundles registered; every bundle has started when the launcher
            // calls us, so a command that is not there now is almost surely mistyped (or its bundle is not
            // installed): a short grace for a late registration, not the whole wait
            await(null, "(&(osgi.command.scope=ebnn)(osgi.command.function=" + escape(function) + "))",
                    Math.min(deadline, System.currentTimeMillis() + 300));
            if (!registered(function)) {
                err.println(unknown(name, commandNames()));
                return Command.USAGE;
            }
        }
        // the in-process engine most commands run on: usually there already, and a command without it says so
        if (function != null)
            await("ebnn.api.spi.Backend", "(ebnn.backend.id=jvm)", Math.min(deadline, System.currentTimeMillis() + 1000));

        CommandSession session = processor.createSession(in, out, err);
        try {
            session.put("SCOPE", "ebnn:*");
            session.put(CommandRunner.STATUS, null);
            session.put(CommandRunner.TERMINAL, terminal);
            Object result = session.execute(commandLine(argv));
            Object status = session.get(CommandRunner.STATUS);
            if (status instanceof Integer code)
                return code;
            if (result != null)
                out.println(session.format(result, Converter.INSPECT));
            return Command.OK;
        } catch (Exception e) {
            return failure(e, argv.get(0), err, commandNames());
        } finally {
            session.close();
        }
    }

    /** Every registered command's Gogo function, now: before the check of the command name below. */
    private void openGogoCommands() {
        if (context == null)
            return;
        ServiceReference<GogoCommands> r = context.getServiceReference(GogoCommands.class);
        GogoCommands g = r == null ? null : context.getService(r);
        if (g != null) {
            g.open();
            context.ungetService(r);
        }
    }

    private int interactive(CommandProcessor processor, PrintStream err, long deadline) {
        await(null, "(&(osgi.command.scope=ebnn)(osgi.command.function=help))", deadline);
        return new Interactive(processor, this::commands).run(err);
    }

    /** The ebnn commands registered now. */
    private List<Command> commands() {
        return Commands.registered(context);
    }

    /** Whether some Gogo command (of any scope: ebnn's, or Gogo's own such as lb) has this function name. */
    private boolean registered(String function) {
        try {
            return context != null && context.getServiceReferences((String) null, "(osgi.command.function=" + escape(function) + ")") != null;
        } catch (InvalidSyntaxException e) {
            return false;
        }
    }

    private List<String> commandNames() {
        return Commands.names(context);
    }

    /** The line for a command that does not exist, with the closest names. */
    static String unknown(String command, List<String> names) {
        String n = command.startsWith("ebnn:") ? command.substring(5) : command;
        List<String> close = closest(n, names);
        return "error: unknown command '" + command + "'"
                + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?") + " ('help' lists the ebnn commands)";
    }

    /** Up to three names nearest to {@code word}: prefixes, then by edit distance (at most 2, or a third of the word). */
    static List<String> closest(String word, List<String> names) {
        record Scored(String name, int d) {
        }
        List<Scored> s = new ArrayList<>();
        int limit = Math.max(2, word.length() / 3);
        for (String n : names) {
            int d = n.startsWith(word) || word.startsWith(n) && !n.isEmpty() ? 0 : distance(word, n);
            if (d <= limit)
                s.add(new Scored(n, d));
        }
        s.sort(java.util.Comparator.comparingInt(Scored::d).thenComparing(Scored::name));
        return s.stream().limit(3).map(Scored::name).toList();
    }

    /** Levenshtein distance, an adjacent swap counting as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++)
            d[i][0] = i;
        for (int j = 0; j <= b.length(); j++)
            d[0][j] = j;
        for (int i = 1; i <= a.length(); i++)
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        return d[a.length()][b.length()];
    }

    static int failure(Exception e, String command, PrintStream err, List<String> names) {
        String msg = e.getMessage() == null ? Errors.describe(e) : Errors.oneLine(e.getMessage());
        Logger log = LoggerFactory.getLogger(Main.class); // late, see CommandRunner
        log.debug("command failed: {}", command, e);
        if (e.getClass().getSimpleName().equals("CommandNotFoundException") || msg.startsWith("Command not found")) {
            err.println(unknown(command, names));
            return Command.USAGE;
        }
        if (e instanceof IllegalArgumentException || e.getClass().getSimpleName().equals("SyntaxError")) {
            err.println("error: " + msg);
            return Command.USAGE;
        }
        err.println("error: " + Errors.describe(e));
        return Command.FAILED;
    }

    /** The command line for Gogo's parser: every argument after the name quoted where it needs to be. */
    static String commandLine(List<String> argv) {
        StringBuilder sb = new StringBuilder(argv.get(0));
        for (int i = 1; i < argv.size(); i++)
            sb.append(' ').append(quote(argv.get(i)));
        return sb.toString();
    }

    /** Quotes an argument so that Gogo passes it through as one literal string. */
    static String quote(String arg) {
        if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+"))
            return arg;
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    private static String escape(String filterValue) {
        return filterValue.replaceAll("([\\\\*()])", "\\\\$1");
    }

    private String[] launcherArguments() {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(launcher.arguments=*)");
            if (refs != null && refs.length > 0) {
                Object a = refs[0].getProperty("launcher.arguments");
                if (a instanceof String[] s)
                    return s;
                if (a instanceof String s)
                    return s.isBlank() ? new String[0] : s.trim().split("\\s+");
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return new String[0];
    }

    /** Waits until a service of the class (null: any) matching the filter (null: any) is registered, or the deadline passes. */
    private Object await(String clazz, String filter, long deadline) {
        if (context == null)
            return null;
        ServiceTracker<Object, Object> tracker;
        try {
            String f = clazz == null ? filter : filter == null ? "(objectClass=" + clazz + ")" : "(&(objectClass=" + clazz + ")" + filter + ")";
            Filter flt = FrameworkUtil.createFilter(f);
            tracker = new ServiceTracker<>(context, flt, null);
        } catch (InvalidSyntaxException e) {
            return null;
        }
        tracker.open(true);
        try {
            long wait = Math.max(1, deadline - System.currentTimeMillis());
            return tracker.waitForService(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            tracker.close();
        }
    }
}
