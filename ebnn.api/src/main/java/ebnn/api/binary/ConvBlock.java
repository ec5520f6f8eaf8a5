package ebnn.api.binary;

import ebnn.api.InvalidModelException;
import ebnn.api.model.Padding;
import ebnn.api.model.Shape;

/**
 * The eBNN fused block: binary convolution, optional max-pool, threshold, producing bits; the
 * convolution map is never stored.
 *
 * @param byteInput how bytes map to integers when {@code inputKind} is BYTES, else null
 * @param weights   one row per output channel, columns in (ky, kx, c) order
 * @param pool      null for none
 */
public record ConvBlock(String name, InputKind inputKind, ByteInput byteInput, Shape inputShape, int outChannels,
        int kernelH, int kernelW, int strideH, int strideW, Padding padding, BitMatrix weights, PoolGeometry pool,
        Thresholds output) implements Block {

    public ConvBlock {
        if (name == null || inputKind == null || inputShape == null || padding == null || weights == null)
            throw new InvalidModelException("conv block needs name, input kind, shape, padding and weights");
        if ((inputKind == InputKind.BYTES) != (byteInput != null))
            throw new InvalidModelException("block '" + name + "': byte input map is required exactly for byte input");
        if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0)
            throw new InvalidModelException("block '" + name + "': bad kernel or stride");
        if (weights.rows() != outChannels || weights.cols() != kernelH * kernelW * inputShape.channels())
            throw new InvalidModelException("block '" + name + "': weights are " + weights.rows() + "x" + weights.cols()
                    + ", expected " + outChannels + "x" + kernelH * kernelW * inputShape.channels());
        convShape(name, inputShape, outChannels, kernelH, kernelW, strideH, strideW, padding);
        if (pool != null)
            pool.outputShape(name, convShape(name, inputShape, outChannels, kernelH, kernelW, strideH, strideW, padding));
        Block.checkOutput(name, output, outChannels, maxAcc(inputKind, byteInput, kernelH * kernelW * inputShape.channels()));
    }

    private static Shape convShape(String name, Shape in, int outC, int kh, int kw, int sh, int sw, Padding p) {
        int h = in.height() + p.top() + p.bottom() - kh;
        int w = in.width() + p.left() + p.right() - kw;
        if (h < 0 || w < 0)
            throw new InvalidModelException("block '" + name + "': kernel " + kh + "x" + kw + " larger than padded input " + in);
        return new Shape(outC, h / sh + 1, w / sw + 1);
    }

    static long maxAcc(InputKind kind, ByteInput byteInput, long taps) {
        return kind == InputKind.BYTES ? taps * byteInput.maxMagnitude() : taps;
    }

    /** Shape of the convolution map before pooling (never stored). */
    public Shape convShape() {
        return convShape(name, inputShape, outChannels, kernelH, kernelW, strideH, strideW, padding);
    }

    @Override
    public Shape outputShape() {
        Shape conv = convShape();
        return pool == null ? conv : pool.outputShape(name, conv);
    }

    @Override
    public long maxAccumulator() {
        return maxAcc(inputKind, byteInput, (long) kernelH * kernelW * inputShape.channels());
    }
}
