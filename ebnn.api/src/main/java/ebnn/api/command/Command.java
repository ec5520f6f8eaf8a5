package ebnn.api.command;

/**
 * One {@code ebnn:*} command. Register it as a service of this interface (a DS component with
 * {@code service = Command.class}); the shell gives it a Gogo function {@code ebnn:NAME}, lists it in
 * {@code ebnn:help} and completes its options, for as long as the service is registered.
 */
public interface Command {
    /** Exit status: the command did what was asked. */
    int OK = 0;
    /** Exit status: the command failed (one {@code error: ...} line on standard error). */
    int FAILED = 1;
    /** Exit status: the command line was wrong (unknown command or option, missing argument). */
    int USAGE = 2;

    /** The command's one declaration: name, summary, arguments and options with their help. */
    CommandSpec spec();

    /**
     * Runs the command on arguments already parsed against {@link #spec()} ({@code --help} never gets
     * here); returns its exit status, usually {@link #OK}. Throw {@link UsageException} for a bad
     * command line, an {@link ebnn.api.EbnnException} for a failure in words.
     */
    int execute(Ctx ctx) throws Exception;
}
