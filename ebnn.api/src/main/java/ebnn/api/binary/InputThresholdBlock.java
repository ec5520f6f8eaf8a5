package ebnn.api.binary;

import ebnn.api.InvalidModelException;
import ebnn.api.model.Shape;

/**
 * Binarizes the byte input: bit = (p >= t[c]) for each element of channel c. t = 0 makes a
 * constant 1, t = 256 a constant 0.
 */
public record InputThresholdBlock(String name, Shape inputShape, IntArray thresholds) implements Block {
    public InputThresholdBlock {
        if (name == null || inputShape == null || thresholds == null)
            throw new InvalidModelException("input threshold block needs a name, a shape and thresholds");
        if (thresholds.length() != inputShape.channels())
            throw new InvalidModelException("block '" + name + "': " + thresholds.length() + " thresholds for "
                    + inputShape.channels() + " channels");
        if (thresholds.min() < 0 || thresholds.max() > 256)
            throw new InvalidModelException("block '" + name + "': input thresholds must be within 0..256");
    }

    @Override
    public InputKind inputKind() {
        return InputKind.BYTES;
    }

    @Override
    public Shape outputShape() {
        return inputShape;
    }

    @Override
    public Output output() {
        return new Thresholds(thresholds, null);
    }

    @Override
    public long maxAccumulator() {
        return 255;
    }
}
