package ebnn.api;

/** A model file that cannot be read: truncated, corrupt, hostile, or written in a format version this reader does not know. */
public class ModelFormatException extends EbnnException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
