package ebnn.api;

/**
 * Base of every error ebnn reports to a user. Unchecked so that it can be thrown from record
 * constructors and lambdas; each subclass says what kind of problem it is, and the message alone
 * must be enough for a person (it names the file, layer, node, op or value at fault).
 */
public class EbnnException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EbnnException(String message) {
        super(message);
    }

    public EbnnException(String message, Throwable cause) {
        super(message, cause);
    }
}
