package ebnn.api.command;

/** The command line of a command is wrong: unknown option, missing argument, bad number. Exit code 2. */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
