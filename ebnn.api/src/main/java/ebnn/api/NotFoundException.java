package ebnn.api;

/** A name or path the user gave does not exist: an unknown device or back end, a missing file. */
public class NotFoundException extends EbnnException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
