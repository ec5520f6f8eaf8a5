package ebnn.api.spi;

/**
 * What an .ebnn file keeps of a model ({@link Toolchain#writeModel(ebnn.api.model.Model, java.nio.file.Path, ModelForm)}).
 *
 * @since 1.4
 */
public enum ModelForm {
    /**
     * The float model as given, lossless: batch norms as their four float64 per channel, weight
     * scales and biases as trained. For continued training (fine-tuning) and for tools that need
     * the float statistics.
     */
    FLOAT,
    /**
     * Exactly what the integer model holds, in the fewest bits: each binarized block's weights as
     * ±1 with its batch norm + sign as the per-channel integer threshold and direction, the scoring
     * block's batch norm as the integer scores' exact affine. Lowering the file gives the identical
     * integer model (checked when written; a model for which it would not is written as {@link #FLOAT}),
     * and its float evaluation gives the integer model's bits and classes. The float batch norm
     * statistics are not kept. What {@code ebnn:train} writes unless asked to keep the float model.
     */
    THRESHOLDS
}
