package ebnn.train.api;

/** Training stopped at a batch boundary because its {@link TrainListener#cancelled()} said so. */
public class TrainingCancelledException extends TrainingException {
    private static final long serialVersionUID = 1L;

    public TrainingCancelledException(String message) {
        super(message);
    }
}
