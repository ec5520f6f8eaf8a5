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
     * Refuses, before any training, an architecture that cannot fit {@code device} whatever its trained
     * values: the memory plan of the untrained network, whose thresholds sit at their narrowest (weights
     * and buffers do not depend on values), exceeds the device's flash or RAM. A TrainingException names
     * the architecture, the device and both sizes.
     */
    void checkFits(String arch, Dataset train, Dataset test, ebnn.api.Device device);

    /**
     * Refuses, before any training, options {@link #train} could not honour: an unknown or malformed
     * architecture, a validation split that leaves nothing, {@code lean} with a layer the lean pass does
     * not support (a TrainingException naming the layer and why). Default: nothing checked early.
     *
     * @since 1.3
     */
    default void check(TrainOptions options, Dataset train, Dataset test) {
    }

    /**
     * Enumerates candidates, plans each one's exact memory on the device before training, drops those
     * over budget, trains the rest (through {@code executor}, or in this JVM when null) and returns
     * all candidates with the Pareto front and the best model (highest validation accuracy that fits).
     */
    DiscoverResult discover(DiscoverOptions options, Dataset train, Dataset test, CandidateExecutor executor, TrainListener listener);
}
