package ebnn.train.api;

/** Receives training progress; called from the training thread. */
public interface TrainListener {
    TrainListener NONE = new TrainListener() {
    };

    default void epoch(EpochStats stats) {
    }

    default void message(String line) {
    }
}
