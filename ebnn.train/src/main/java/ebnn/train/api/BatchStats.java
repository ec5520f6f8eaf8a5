package ebnn.train.api;

/**
 * Progress within one epoch, after a batch.
 *
 * @param samples        training samples done in this epoch
 * @param epochSamples   training samples in one epoch (full batches)
 * @param loss           mean loss over the epoch's batches so far
 * @param seconds        seconds since the epoch started
 */
public record BatchStats(String arch, int epoch, int epochs, int samples, int epochSamples, double loss, double seconds) {
    /** Samples per second in this epoch so far. */
    public double samplesPerSecond() {
        return samples / Math.max(seconds, 1e-9);
    }

    /** Seconds left in this epoch at the rate so far. */
    public double epochSecondsLeft() {
        return (epochSamples - samples) / Math.max(samplesPerSecond(), 1e-9);
    }
}
