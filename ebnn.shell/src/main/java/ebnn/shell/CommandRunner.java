package ebnn.shell;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ebnn.api.EbnnException;
import ebnn.api.command.Args;
import ebnn.api.command.Command;
import ebnn.api.command.Ctx;
import ebnn.api.command.Errors;
import ebnn.api.command.UsageException;

/**
 * Runs one {@link Command} in a Gogo session, the same way for every command of every bundle: parses
 * the words against its {@link ebnn.api.command.CommandSpec}, answers {@code --help}, and keeps the
 * conventions. A {@link UsageException} becomes one line {@code error: <message>} on standard error,
 * the usage line and exit status 2; an {@link EbnnException} one {@code error:} line and status 1;
 * anything else one line in words (the stack trace goes to the debug log, or to standard error when
 * {@code EBNN_DEBUG} is set). The status is left in the session variable {@value #STATUS} for the
 * one-shot CLI; the Gogo return value stays null so interactive use prints nothing extra.
 */
public final class CommandRunner {
    /** Session variable holding the exit status of the last ebnn command. */
    public static final String STATUS = "ebnn.status";

    /** Session variable: true when the command's output goes to a terminal (set by {@link Main} and {@link Interactive}). */
    public static final String TERMINAL = "ebnn.terminal";

    private CommandRunner() {
    }

    /** Runs {@code command} on Gogo's arguments (each word as its string); returns the exit status, also left in {@value #STATUS}. */
    public static int run(Command command, CommandSession session, List<?> words) {
        String[] argv = new String[words.size()];
        for (int i = 0; i < argv.length; i++)
            argv[i] = words.get(i) == null ? null : String.valueOf(words.get(i));
        PrintStream out = System.out; // Gogo's ThreadIO routes these to the session's streams
        PrintStream err = System.err;
        int status;
        Interrupt interrupt = session != null && session.get(Interrupt.VARIABLE) instanceof Interrupt i ? i : null;
        if (interrupt != null)
            interrupt.start(Thread.currentThread());
        try {
            Args args = command.spec().parse(argv);
            if (args.flag("help")) {
                out.print(command.spec().helpText());
                status = Command.OK;
            } else {
                boolean terminal = session != null && Boolean.TRUE.equals(session.get(TERMINAL));
                status = command.execute(new Ctx(args, out, err, currentDir(session), terminal, () -> interrupt != null && interrupt.requested()));
            }
        } catch (UsageException e) {
            String name = command.spec().name();
            err.println("error: " + Errors.oneLine(e.getMessage()));
            err.println("usage: ebnn:" + name + " " + command.spec().usage() + "   (ebnn:" + name + " --help for more)");
            status = Command.USAGE;
        } catch (EbnnException e) {
            err.println("error: " + Errors.oneLine(e.getMessage()));
            debug(e);
            status = Command.FAILED;
        } catch (Exception | LinkageError | OutOfMemoryError | StackOverflowError e) {
            err.println("error: " + Errors.describe(e));
            debug(e);
            status = Command.FAILED;
        } finally {
            if (interrupt != null)
                interrupt.finish();
        }
        out.flush();
        err.flush();
        if (session != null)
            session.put(STATUS, status);
        return status;
    }

    private static Path currentDir(CommandSession session) {
        try {
            return session == null ? null : session.currentDir();
        } catch (RuntimeException | AbstractMethodError e) {
            return null;
        }
    }

    private static void debug(Throwable e) {
        // looked up late: SLF4J binds its provider once, and the shell may start before it is registered
        Logger log = LoggerFactory.getLogger(CommandRunner.class);
        log.debug("ebnn command failed", e);
        if (System.getenv("EBNN_DEBUG") != null && !System.getenv("EBNN_DEBUG").isEmpty())
            e.printStackTrace(System.err);
    }
}
