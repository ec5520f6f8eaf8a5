package ebnn.api.binary;

import java.util.List;

import ebnn.api.InvalidModelException;
import ebnn.api.model.OutputKind;
import ebnn.api.model.Shape;

/**
 * The integer eBNN model: blocks in order, the first reading the byte input, each next one the
 * bits of the previous, the last producing class scores or, in a model whose output is a bit
 * vector, a dense block's thresholded bits (see {@link #outputKind()}).
 *
 * @param input  logical (C, H, W) shape of one input sample; the bytes are stored HWC
 * @param labels class names, or empty
 */
public record BinaryModel(String name, Shape input, List<Block> blocks, List<String> labels) {
    public BinaryModel {
        if (name == null || name.isEmpty())
            throw new InvalidModelException("binary model needs a name");
        blocks = List.copyOf(blocks);
        labels = labels == null ? List.of() : List.copyOf(labels);
        if (blocks.isEmpty())
            throw new InvalidModelException("binary model '" + name + "' has no blocks");
        Shape s = input;
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            InputKind expected = i == 0 ? InputKind.BYTES : InputKind.BITS;
            if (b.inputKind() != expected)
                throw new InvalidModelException("block '" + b.name() + "' reads " + b.inputKind() + " but gets " + expected);
            if (!b.inputShape().equals(s))
                throw new InvalidModelException("block '" + b.name() + "' expects input " + b.inputShape() + " but gets " + s);
            boolean last = i == blocks.size() - 1;
            if (b.producesScores() && !last)
                throw new InvalidModelException("block '" + b.name() + "' produces scores but is not last");
            // a bit output is a vector whose bit i is output i: only a dense block's output is that without a reordering
            if (last && !b.producesScores() && !(b instanceof DenseBlock))
                throw new InvalidModelException("last block '" + b.name() + "' must produce scores, or (a bit-vector output) be a dense block with thresholds");
            s = b.outputShape();
        }
        if (!labels.isEmpty() && labels.size() != s.channels())
            throw new InvalidModelException("binary model '" + name + "' has " + labels.size() + " labels for " + s.channels() + " classes");
    }

    /** Number of classes, or of output bits for a {@link OutputKind#BITS} model: the length of the output vector. */
    public int classes() {
        return blocks.get(blocks.size() - 1).outputShape().channels();
    }

    /** {@link OutputKind#BITS} when the last block gives bits (thresholds), {@link OutputKind#CLASSES} when it gives scores. */
    public OutputKind outputKind() {
        return blocks.get(blocks.size() - 1).producesScores() ? OutputKind.CLASSES : OutputKind.BITS;
    }

    public int inputSize() {
        return input.size();
    }
}
