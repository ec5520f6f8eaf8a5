package ebnn.train.api;

/**
 * One architecture considered by discover.
 *
 * @param flashBytes         planned flash (weights, thresholds, code estimate) before training (an upper bound:
 *                           thresholds planned at their widest), then the exact plan of the trained model
 * @param ramBytes           planned RAM likewise
 * @param status             {@code over-budget} (not trained), {@code trained}, {@code trained 3 of 10 epochs} (a time
 *                           budget cut its training short: not comparable with complete ones), {@code failed: ...}
 * @param validationAccuracy NaN unless trained
 * @param testAccuracy       NaN unless trained and a test set was given
 * @param pareto             on the accuracy / flash / RAM Pareto front of the trained candidates
 */
public record Candidate(String name, String spec, long flashBytes, long ramBytes, String status, double validationAccuracy,
        double testAccuracy, double seconds, boolean pareto) {
    public boolean trained() {
        return "trained".equals(status) || partial();
    }

    /**
     * Whether {@link #flashBytes()} and {@link #ramBytes()} are the exact plan of the trained model; else
     * (never trained: over budget, failed) they are the upper bound planned before training, which a
     * trained model of the spec can only undercut (its thresholds may need fewer bytes).
     */
    public boolean planExact() {
        return trained() || status.startsWith("over-budget after training");
    }

    /** Trained, but fewer epochs than asked for (discover's time budget stopped it). */
    public boolean partial() {
        return status.startsWith("trained ") && status.endsWith(" epochs");
    }
}
