package ebnn.train.api;

import java.util.List;

import ebnn.api.data.Dataset;

/**
 * Trains binarized neural networks in this JVM (straight-through estimator, batch norm, Adam) and
 * searches architectures under a device's memory budget. Thread-safe; every call is independent.
 */
public interface TrainingService {
    /** The architectures known by name (the eBNN paper's families, TFC/SFC MLPs), with their layer specs. */
    List<Architecture> architectures();

    /**
     * Trains one network. {@code options.validation()} samples are held out from the END of
     * {@code train} for per-epoch validation. {@code test}, if not null, is evaluated once at the end.
     */
    TrainResult train(TrainOptions options, Dataset train, Dataset test, TrainListener listener);

    /**
     * Enumerates candidates, plans each one's exact memory on the device before training, drops those
     * over budget, trains the rest (through {@code executor}, or in this JVM when null) and returns
     * all candidates with the Pareto front and the best model (highest validation accuracy that fits).
     */
    DiscoverResult discover(DiscoverOptions options, Dataset train, Dataset test, CandidateExecutor executor, TrainListener listener);
}
