package ebnn.api.model;

import ebnn.api.InvalidModelException;

/**
 * 2-D convolution (cross-correlation, as ONNX Conv) with zero padding, no groups or dilation.
 *
 * @param weights [outChannels][inChannels][kernelH][kernelW]; in a binarized model each output
 *                channel holds ±α for one α > 0
 * @param bias    length {@code outChannels}, or empty
 */
public record Conv2d(String name, int inChannels, int outChannels, int kernelH, int kernelW, int strideH, int strideW,
        Padding padding, Params weights, Params bias) implements Layer {
    public Conv2d {
        Layer.checkName(name);
        if (inChannels <= 0 || outChannels <= 0 || kernelH <= 0 || kernelW <= 0 || kernelH > 64 || kernelW > 64
                || strideH <= 0 || strideW <= 0 || strideH > 64 || strideW > 64
                || (long) inChannels * outChannels * kernelH * kernelW > Shape.MAX_ELEMENTS)
            throw new InvalidModelException("conv2d layer '" + name + "': bad geometry in=" + inChannels + " out=" + outChannels
                    + " kernel=" + kernelH + "x" + kernelW + " stride=" + strideH + "x" + strideW);
        if (padding == null)
            padding = Padding.NONE;
        Layer.checkParams("conv2d", name, "weights", weights, outChannels * inChannels * kernelH * kernelW, false);
        if (bias == null)
            bias = Params.empty();
        if (!bias.isEmpty())
            Layer.checkParams("conv2d", name, "bias", bias, outChannels, false);
    }

    public double weight(int out, int in, int ky, int kx) {
        return weights.get(((out * inChannels + in) * kernelH + ky) * kernelW + kx);
    }

    public double biasOf(int out) {
        return bias.isEmpty() ? 0 : bias.get(out);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.channels() != inChannels)
            throw Layer.error(this, "expects " + inChannels + " input channels, got " + input);
        int h = input.height() + padding.top() + padding.bottom() - kernelH;
        int w = input.width() + padding.left() + padding.right() - kernelW;
        if (h < 0 || w < 0)
            throw Layer.error(this, "kernel " + kernelH + "x" + kernelW + " larger than padded input " + input);
        return new Shape(outChannels, h / strideH + 1, w / strideW + 1);
    }

    @Override
    public String kind() {
        return "conv2d";
    }
}
