package ebnn.api.binary;

/** What a block produces from its accumulators: bits (thresholds) or the final integer scores. */
public sealed interface Output permits Thresholds, Scores {
    int channels();
}
