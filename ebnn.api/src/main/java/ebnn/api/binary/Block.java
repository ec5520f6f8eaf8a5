package ebnn.api.binary;

import ebnn.api.InvalidModelException;
import ebnn.api.model.Shape;

/** One fused step of the integer model. Shapes are logical (C, H, W); storage is HWC (see the package doc). */
public sealed interface Block permits InputThresholdBlock, ConvBlock, DenseBlock {
    String name();

    InputKind inputKind();

    Shape inputShape();

    Shape outputShape();

    Output output();

    /** Largest |acc| this block can reach, which bounds its thresholds and scores. */
    long maxAccumulator();

    default boolean producesScores() {
        return output() instanceof Scores;
    }

    static void checkOutput(String name, Output out, int channels, long maxAcc) {
        if (out == null)
            throw new InvalidModelException("block '" + name + "' has no output");
        if (out.channels() != channels)
            throw new InvalidModelException("block '" + name + "': output has " + out.channels() + " channels, block has " + channels);
        if (maxAcc >= Integer.MAX_VALUE / 2)
            throw new InvalidModelException("block '" + name + "': accumulator range " + maxAcc + " does not fit int32");
        if (out instanceof Scores s)
            for (int c = 0; c < channels; c++) {
                long worst = maxAcc * Math.abs((long) s.multiplier().get(c)) + Math.abs((long) s.offset().get(c));
                if (worst > Integer.MAX_VALUE)
                    throw new InvalidModelException("block '" + name + "': score of class " + c + " may overflow int32");
            }
    }
}
