package ebnn.api.model;

import ebnn.api.InvalidModelException;

/** Max pooling per channel; padded positions are ignored (never win the max). */
public record MaxPool2d(String name, int kernelH, int kernelW, int strideH, int strideW, Padding padding) implements Layer {
    public MaxPool2d {
        Layer.checkName(name);
        if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0 || kernelH > 64 || kernelW > 64 || strideH > 64 || strideW > 64)
            throw new InvalidModelException("maxpool layer '" + name + "': bad geometry kernel=" + kernelH + "x" + kernelW
                    + " stride=" + strideH + "x" + strideW);
        if (padding == null)
            padding = Padding.NONE;
        if (padding.top() >= kernelH || padding.bottom() >= kernelH || padding.left() >= kernelW || padding.right() >= kernelW)
            throw new InvalidModelException("maxpool layer '" + name + "': padding must be smaller than the kernel");
    }

    @Override
    public Shape outputShape(Shape input) {
        int h = input.height() + padding.top() + padding.bottom() - kernelH;
        int w = input.width() + padding.left() + padding.right() - kernelW;
        if (h < 0 || w < 0)
            throw Layer.error(this, "window " + kernelH + "x" + kernelW + " larger than input " + input);
        return new Shape(input.channels(), h / strideH + 1, w / strideW + 1);
    }

    @Override
    public String kind() {
        return "maxpool";
    }
}
