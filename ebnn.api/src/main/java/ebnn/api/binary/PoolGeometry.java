package ebnn.api.binary;

import ebnn.api.InvalidModelException;
import ebnn.api.model.Padding;
import ebnn.api.model.Shape;

/** Max-pool window over the conv map; positions in the padding are ignored. */
public record PoolGeometry(int kernelH, int kernelW, int strideH, int strideW, Padding padding) {
    public PoolGeometry {
        if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0 || padding == null)
            throw new InvalidModelException("bad pool geometry");
    }

    public Shape outputShape(String block, Shape conv) {
        int h = conv.height() + padding.top() + padding.bottom() - kernelH;
        int w = conv.width() + padding.left() + padding.right() - kernelW;
        if (h < 0 || w < 0)
            throw new InvalidModelException("block '" + block + "': pool window " + kernelH + "x" + kernelW + " larger than " + conv);
        return new Shape(conv.channels(), h / strideH + 1, w / strideW + 1);
    }
}
