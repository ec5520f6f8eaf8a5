package ebnn.core.lower;

import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.BitMatrix;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Layer;
import ebnn.api.model.Shape;

/**
 * Pass: the float weights of a dense or conv layer become sign bits in the device's column order
 * plus one scale α > 0 per output row (w = ±α; Brevitas and XNOR-Net give each row its own α).
 * <ul>
 * <li>dense: columns are the HWC index of the (un-flattened) input tensor, while the float weights
 * are indexed in CHW order (what Flatten produced): this is the CHW → HWC permutation;</li>
 * <li>conv: columns in (ky, kx, c) order.</li>
 * </ul>
 * A weight that is not ±α for its row is an {@link UnsupportedModelException} naming the layer and value.
 */
public final class WeightBinarizer {
    /** Relative tolerance on |w| = α, for weights stored through float32 and back. */
    public static final double TOLERANCE = 1e-6;

    private WeightBinarizer() {
    }

    /**
     * @param signs bit 1 where the weight is +α
     * @param alpha α per row
     */
    public record BinaryWeights(BitMatrix signs, double[] alpha, int inChannels) {
        /** Input channel of a device column. */
        public int channelOf(int col) {
            return col % inChannels;
        }

        /** Σ_col sign(w)·v[channel(col)] of a row. */
        public double signedChannelSum(int row, double[] v) {
            double s = 0;
            for (int col = 0; col < signs.cols(); col++)
                s += signs.get(row, col) ? v[channelOf(col)] : -v[channelOf(col)];
            return s;
        }
    }

    /** Float weight at (row, device column). */
    private interface Source {
        double weight(int row, int col);

        String where(int row, int col);
    }

    /** @param input the device shape of the tensor the layer reads (not flattened) */
    public static BinaryWeights binarize(Layer layer, Shape input) {
        if (layer instanceof Dense d) {
            int C = input.channels(), H = input.height(), W = input.width();
            if (input.size() != d.inputs())
                throw new IllegalArgumentException("dense '" + d.name() + "' has " + d.inputs() + " inputs, tensor is " + input);
            return binarize(d, d.outputs(), d.inputs(), C, new Source() {
                int chw(int col) {
                    int c = col % C, pos = col / C;
                    return (c * H + pos / W) * W + pos % W;
                }

                public double weight(int row, int col) {
                    return d.weight(row, chw(col));
                }

                public String where(int row, int col) {
                    return "weight[" + row + "][" + chw(col) + "]";
                }
            });
        }
        Conv2d cv = (Conv2d) layer;
        int C = cv.inChannels(), kw = cv.kernelW();
        return binarize(cv, cv.outChannels(), cv.kernelH() * kw * C, C, new Source() {
            public double weight(int row, int col) {
                int c = col % C, t = col / C;
                return cv.weight(row, c, t / kw, t % kw);
            }

            public String where(int row, int col) {
                int c = col % C, t = col / C;
                return "weight[" + row + "][" + c + "][" + t / kw + "][" + t % kw + "]";
            }
        });
    }

    private static BinaryWeights binarize(Layer layer, int rows, int cols, int inChannels, Source w) {
        double[] alpha = new double[rows];
        for (int r = 0; r < rows; r++) {
            double a = Math.abs(w.weight(r, 0));
            for (int c = 0; c < cols; c++) {
                double v = w.weight(r, c);
                if (!(a > 0) || Math.abs(Math.abs(v) - a) > TOLERANCE * a)
                    throw new UnsupportedModelException(layer.kind() + " layer '" + layer.name() + "' is not binarized: "
                            + w.where(r, c) + " = " + v + " but row " + r + " has |w| = " + a
                            + " (every output row needs weights ±α with one α > 0)");
            }
            alpha[r] = a;
        }
        BitMatrix signs = BitMatrix.build(rows, cols, (r, c) -> w.weight(r, c) > 0);
        return new BinaryWeights(signs, alpha, inChannels);
    }
}
