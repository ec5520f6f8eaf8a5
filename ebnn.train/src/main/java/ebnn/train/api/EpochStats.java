package ebnn.train.api;

/**
 * Progress after one epoch.
 *
 * @param trainAccuracy      fraction correct on the training batches during the epoch (training mode)
 * @param validationAccuracy fraction correct on the held-out samples (inference mode), NaN without validation
 */
public record EpochStats(String arch, int epoch, int epochs, double loss, double trainAccuracy, double validationAccuracy,
        double learningRate, double samplesPerSecond, double seconds) {
}
