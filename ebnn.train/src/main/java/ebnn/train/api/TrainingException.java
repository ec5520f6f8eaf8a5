package ebnn.train.api;

/** Training cannot run as asked: bad options, an unknown architecture, a dataset that does not fit the network. */
public class TrainingException extends ebnn.api.EbnnException {
    private static final long serialVersionUID = 1L;

    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
