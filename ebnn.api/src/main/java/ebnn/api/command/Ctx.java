package ebnn.api.command;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import ebnn.api.NotFoundException;

/**
 * What a running command sees: its parsed arguments, where to print, the folder relative paths start
 * from, whether a person watches on a terminal, and whether they asked it to stop (Ctrl-C).
 */
public final class Ctx {
    private final Args args;
    private final PrintStream out;
    private final PrintStream err;
    private final Path workingDir;
    private final boolean terminal;
    private final BooleanSupplier cancelled;

    /**
     * @param workingDir where relative paths start (the session's current folder)
     * @param terminal   whether the output goes to a terminal (progress is a bar then)
     * @param cancelled  true once the user asked the command to stop; any thread may ask
     */
    public Ctx(Args args, PrintStream out, PrintStream err, Path workingDir, boolean terminal, BooleanSupplier cancelled) {
        this.args = args;
        this.out = out;
        this.err = err;
        this.workingDir = workingDir == null ? Path.of(System.getProperty("user.dir", ".")) : workingDir;
        this.terminal = terminal;
        this.cancelled = cancelled == null ? () -> false : cancelled;
    }

    public Args args() {
        return args;
    }

    /** Results: to the session's standard output. */
    public PrintStream out() {
        return out;
    }

    /** Progress and errors: to the session's standard error. */
    public PrintStream err() {
        return err;
    }

    /** Whether the command's output goes to a terminal a person watches. */
    public boolean terminal() {
        return terminal;
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
        return cancelled.getAsBoolean();
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
        return workingDir.resolve(path).normalize();
    }

    /** A path that must exist, as a typed error naming {@code what} ("model file") before any reader sees it. */
    public Path existing(String p, String what) {
        Path path = path(p);
        if (!Files.exists(path))
            throw new NotFoundException(what + " not found: " + path);
        return path;
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
