package ebnn.api.binary;

import ebnn.api.InvalidModelException;
import ebnn.api.model.Shape;

/**
 * Binary fully connected block: thresholds to bits, or (last block) integer scores.
 *
 * @param byteInput how bytes map to integers when {@code inputKind} is BYTES, else null
 * @param weights   one row per output, columns = input index (HWC order of the previous tensor)
 */
public record DenseBlock(String name, InputKind inputKind, ByteInput byteInput, Shape inputShape, int outputs,
        BitMatrix weights, Output output) implements Block {

    public DenseBlock {
        if (name == null || inputKind == null || inputShape == null || weights == null)
            throw new InvalidModelException("dense block needs name, input kind, shape and weights");
        if ((inputKind == InputKind.BYTES) != (byteInput != null))
            throw new InvalidModelException("block '" + name + "': byte input map is required exactly for byte input");
        if (weights.rows() != outputs || weights.cols() != inputShape.size())
            throw new InvalidModelException("block '" + name + "': weights are " + weights.rows() + "x" + weights.cols()
                    + ", expected " + outputs + "x" + inputShape.size());
        Block.checkOutput(name, output, outputs, ConvBlock.maxAcc(inputKind, byteInput, inputShape.size()));
    }

    public int inputs() {
        return inputShape.size();
    }

    @Override
    public Shape outputShape() {
        return Shape.vector(outputs);
    }

    @Override
    public long maxAccumulator() {
        return ConvBlock.maxAcc(inputKind, byteInput, inputShape.size());
    }
}
