package ebnn.train.api;

/** Receives training progress and may stop training; called from the training threads. */
public interface TrainListener {
    TrainListener NONE = new TrainListener() {
    };

    default void epoch(EpochStats stats) {
    }

    /** Progress within an epoch, after every batch: cheap to call, a listener throttles what it shows. */
    default void batch(BatchStats stats) {
    }

    default void message(String line) {
    }

    /**
     * Asked after every batch: true stops training at that batch boundary with a
     * {@link TrainingCancelledException} (nothing is returned, so nothing half-trained is written).
     */
    default boolean cancelled() {
        return false;
    }
}
