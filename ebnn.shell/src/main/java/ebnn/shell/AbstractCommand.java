package ebnn.shell;

import java.io.PrintStream;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ebnn.api.EbnnException;
import ebnn.api.NotFoundException;
import ebnn.api.io.FileErrors;

/**
 * Base of every {@code ebnn:*} command: shared option parsing, {@code --help}, and error handling.
 * A command declares its {@link Args.Options}, implements {@link #execute(Ctx)} and has one public
 * method named after its function that calls {@link #run(CommandSession, String[])}.
 *
 * <p>Errors: an {@link EbnnException} becomes one line {@code error: <message>} on standard error
 * and exit status 1; a {@link UsageException} the same plus the usage line and status 2; anything
 * else one line naming the exception (the stack trace goes to the debug log, or to standard error
 * when {@code EBNN_DEBUG} is set). The status is left in the session variable {@value #STATUS} for
 * the one-shot CLI; the Gogo return value stays null so interactive use prints nothing extra.
 */
public abstract class AbstractCommand implements Command {
    /** Session variable holding the exit status of the last ebnn command. */
    public static final String STATUS = "ebnn.status";

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    /** The options this command accepts ({@code --help} is always accepted). */
    protected abstract Args.Options options();

    /** Runs the command; returns its exit status (usually {@link #OK}). */
    protected abstract int execute(Ctx ctx) throws Exception;

    /** Parses {@code argv}, runs the command and handles every error; returns null for Gogo. */
    protected Object run(CommandSession session, String[] argv) {
        PrintStream out = System.out; // Gogo's ThreadIO routes these to the session's streams
        PrintStream err = System.err;
        int status;
        Interrupt interrupt = session != null && session.get(Interrupt.VARIABLE) instanceof Interrupt i ? i : null;
        if (interrupt != null)
            interrupt.start(Thread.currentThread());
        try {
            Args args = options().parse(argv);
            if (args.flag("help")) {
                out.print(helpText());
                status = OK;
            } else {
                status = execute(new Ctx(session, args, out, err));
            }
        } catch (UsageException e) {
            err.println("error: " + oneLine(e.getMessage()));
            err.println("usage: ebnn:" + name() + " " + usage() + "   (ebnn:" + name() + " --help for more)");
            status = USAGE;
        } catch (EbnnException e) {
            err.println("error: " + oneLine(e.getMessage()));
            debug(e);
            status = FAILED;
        } catch (Exception | LinkageError | OutOfMemoryError | StackOverflowError e) {
            err.println("error: " + describe(e));
            debug(e);
            status = FAILED;
        } finally {
            if (interrupt != null)
                interrupt.finish();
        }
        out.flush();
        err.flush();
        if (session != null)
            session.put(STATUS, status);
        return null;
    }

    /** The option names this command accepts, with their dashes ({@code --device}), for completion. */
    @Override
    public java.util.List<String> optionNames() {
        return options().names();
    }

    /** The text of {@code --help}: usage, summary, details. */
    public String helpText() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: ebnn:").append(name()).append(' ').append(usage()).append('\n');
        sb.append("  ").append(summary()).append('\n');
        String d = details();
        if (d != null && !d.isEmpty())
            for (String line : d.split("\n"))
                sb.append("  ").append(line).append('\n');
        return sb.toString();
    }

    /** One line for any failure, in words: never an exception's class name. */
    public static String describe(Throwable e) {
        if (e instanceof EbnnException)
            return oneLine(e.getMessage());
        if (e instanceof java.io.IOException io)
            return oneLine(FileErrors.of("access", null, io).getMessage());
        if (e instanceof java.io.UncheckedIOException io)
            return oneLine(FileErrors.of("access", null, io).getMessage());
        if (e instanceof OutOfMemoryError)
            return "out of memory (java -Xmx4g -jar ... gives the JVM more)";
        if (e instanceof StackOverflowError)
            return "out of stack space (a model nested too deeply?)";
        String msg = e.getMessage();
        return "internal error" + (msg == null || msg.isBlank() ? "" : ": " + oneLine(msg)) + " (set EBNN_DEBUG=1 for the stack trace)";
    }

    /** Collapses a message to one line. */
    public static String oneLine(String s) {
        if (s == null)
            return "(no message)";
        return s.replaceAll("\\s*[\\r\\n]+\\s*", "; ").trim();
    }

    private static void debug(Throwable e) {
        // looked up late: SLF4J binds its provider once, and the shell may start before it is registered
        Logger log = LoggerFactory.getLogger(AbstractCommand.class);
        log.debug("ebnn command failed", e);
        if (System.getenv("EBNN_DEBUG") != null && !System.getenv("EBNN_DEBUG").isEmpty())
            e.printStackTrace(System.err);
    }

    /** A missing file as a typed error, before any importer sees it. */
    protected static java.nio.file.Path existing(Ctx ctx, String arg, String what) {
        java.nio.file.Path p = ctx.path(arg);
        if (!java.nio.file.Files.exists(p))
            throw new NotFoundException(what + " not found: " + p);
        return p;
    }

    /** Names of a list for messages. */
    protected static String join(List<String> names) {
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }
}
