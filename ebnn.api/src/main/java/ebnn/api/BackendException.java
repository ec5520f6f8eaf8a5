package ebnn.api;

/** A back end failed to produce or write its output (I/O, refusing to overwrite a user's file, toolchain failure). */
public class BackendException extends EbnnException {
    private static final long serialVersionUID = 1L;

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
