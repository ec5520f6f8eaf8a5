package ebnn.shell;

import java.io.PrintStream;
import java.nio.file.Path;

import org.apache.felix.service.command.CommandSession;

/** What a running command sees: its parsed arguments, where to print, and how to resolve paths. */
public final class Ctx {
    private final CommandSession session;
    private final Args args;
    private final PrintStream out;
    private final PrintStream err;
    private final Interrupt interrupt;

    public Ctx(CommandSession session, Args args, PrintStream out, PrintStream err) {
        this.session = session;
        this.args = args;
        this.out = out;
        this.err = err;
        this.interrupt = session != null && session.get(Interrupt.VARIABLE) instanceof Interrupt i ? i : null;
    }

    public Args args() {
        return args;
    }

    public CommandSession session() {
        return session;
    }

    /** Results: to the session's standard output. */
    public PrintStream out() {
        return out;
    }

    /** Progress and errors: to the session's standard error. */
    public PrintStream err() {
        return err;
    }

    public boolean json() {
        return args.flag("json");
    }

    /** Prints a value as JSON on the standard output. */
    public void printJson(Object value) {
        out.println(Json.write(value));
    }

    /** Progress for a person, on standard error so that it never mixes with results or JSON. */
    public void progress(String line) {
        err.println(line);
        err.flush();
    }

    /** True once the user pressed Ctrl-C in the interactive shell while this command runs (any thread may ask). */
    public boolean cancelled() {
        return interrupt != null && interrupt.requested();
    }

    /** Resolves a user's path against the session's current directory. */
    public Path path(String p) {
        if (p == null || p.isEmpty())
            throw new UsageException("empty path");
        Path path;
        try {
            path = Path.of(p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException("not a valid path: " + p);
        }
        if (path.isAbsolute())
            return path.normalize();
        Path base = null;
        try {
            base = session == null ? null : session.currentDir();
        } catch (RuntimeException | AbstractMethodError e) {
            base = null;
        }
        if (base == null)
            base = Path.of(System.getProperty("user.dir", "."));
        return base.resolve(path).normalize();
    }

    /**
     * A file the command will write at its end, checked now ({@link ebnn.api.io.AtomicFile#check}: its
     * folder exists and is writable, it is not a folder, it is not there unless {@code --force}), so
     * that a long run such as training is not lost to a typo or a clobbered file.
     */
    public Path outputFile(String p) {
        Path file = path(p);
        ebnn.api.io.AtomicFile.check(file, args.flag("force"));
        return file;
    }
}
