package ebnn.api;

/** A model whose structure is inconsistent: shapes that do not chain, parameter arrays of the wrong length, bad values. */
public class InvalidModelException extends EbnnException {
    private static final long serialVersionUID = 1L;

    public InvalidModelException(String message) {
        super(message);
    }
}
