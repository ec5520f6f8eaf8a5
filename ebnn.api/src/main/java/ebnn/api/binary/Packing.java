package ebnn.api.binary;

import ebnn.api.model.Shape;

/**
 * Memory layout rules that the planner and every code generator share, so that the planned byte
 * counts are the sizes of the arrays the generated code declares.
 * <ul>
 * <li>A bit stream (a weight row, a bit tensor in HWC order) is packed LSB first into words of the
 * device's word size and padded with 0 bits to a whole word.</li>
 * <li>Each weight row (output channel) starts on a new word.</li>
 * <li>Thresholds are int16 when every τ of the block fits, else int32; input thresholds are int16.</li>
 * <li>Scores take an int32 multiplier and an int32 offset per class.</li>
 * <li>The byte input takes one byte per element; the scores array one int32 per class.</li>
 * <li>A bit-vector output (a model of {@link ebnn.api.model.OutputKind#BITS}) is handed out as
 * {@link #outputBitBytes} bytes, output bit i in byte i / 8 at mask 1 &lt;&lt; (i % 8) (LSB first, as
 * the words of a little-endian device hold it), the padding bits 0.</li>
 * </ul>
 */
public final class Packing {
    private Packing() {
    }

    /** Bytes of a stream of {@code bits} bits padded to whole {@code wordBits}-bit words. */
    public static long streamBytes(long bits, int wordBits) {
        return (bits + wordBits - 1) / wordBits * (wordBits / 8);
    }

    /** Bytes of a bit tensor of this shape. */
    public static long bitTensorBytes(Shape shape, int wordBits) {
        return streamBytes(shape.size(), wordBits);
    }

    /** Bytes of a block's packed weights (0 for an input threshold block). */
    public static long weightBytes(Block block, int wordBits) {
        BitMatrix w = block instanceof ConvBlock c ? c.weights() : block instanceof DenseBlock d ? d.weights() : null;
        return w == null ? 0 : w.rows() * streamBytes(w.cols(), wordBits);
    }

    /** Bytes per threshold value of a block: 2 or 4. */
    public static int thresholdWidth(Block block) {
        if (block instanceof InputThresholdBlock)
            return 2;
        if (block.output() instanceof Thresholds t)
            return t.tau().min() >= Short.MIN_VALUE && t.tau().max() <= Short.MAX_VALUE ? 2 : 4;
        return 4;
    }

    /** Bytes of a block's thresholds, or of its score multipliers and offsets. */
    public static long thresholdBytes(Block block) {
        Output out = block.output();
        return out instanceof Scores s ? 8L * s.channels() : (long) thresholdWidth(block) * out.channels();
    }

    /** Bytes of a packed bit-vector output of {@code bits} bits (see the class doc for the bit order). */
    public static int outputBitBytes(int bits) {
        return (bits + 7) / 8;
    }

    /** Bytes a block's output occupies in its activation buffer (scores: the caller's int32 array). */
    public static long outputBytes(Block block, int wordBits) {
        return block.producesScores() ? 4L * block.outputShape().channels() : bitTensorBytes(block.outputShape(), wordBits);
    }
}
