package ebnn.core.lower;

import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.BitMatrix;
import ebnn.api.binary.Block;
import ebnn.api.binary.ByteInput;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputKind;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.binary.PoolCombine;
import ebnn.api.binary.PoolGeometry;
import ebnn.api.binary.Scores;
import ebnn.api.binary.Thresholds;
import ebnn.api.model.Shape;

/**
 * A deliberately naive interpreter of the integer contract (ebnn.api.binary package doc), written
 * from the contract and not from the lowering, one element at a time with ints: the test oracle
 * for the passes. Tensors are int arrays in HWC order holding 0/1 bits (or bytes for the input).
 */
final class IntegerReference {
    private IntegerReference() {
    }

    /** The HWC bit tensor (0/1) after each block, and the scores last. */
    static int[][] run(BinaryModel m, byte[] hwcInput) {
        int[][] out = new int[m.blocks().size()][];
        int[] x = new int[hwcInput.length];
        for (int i = 0; i < x.length; i++)
            x[i] = hwcInput[i] & 0xff;
        for (int i = 0; i < m.blocks().size(); i++) {
            x = block(m.blocks().get(i), x);
            out[i] = x;
        }
        return out;
    }

    static int classify(BinaryModel m, byte[] hwcInput) {
        int[][] r = run(m, hwcInput);
        int[] s = r[r.length - 1];
        int best = 0;
        for (int i = 1; i < s.length; i++)
            if (s[i] > s[best])
                best = i;
        return best;
    }

    static int[] block(Block b, int[] x) {
        if (b instanceof InputThresholdBlock t) {
            Shape s = t.inputShape();
            int[] y = new int[x.length];
            for (int i = 0; i < x.length; i++)
                y[i] = x[i] >= t.thresholds().get(i % s.channels()) ? 1 : 0;
            return y;
        }
        if (b instanceof DenseBlock d) {
            int[] acc = new int[d.outputs()];
            for (int o = 0; o < d.outputs(); o++)
                for (int j = 0; j < d.inputs(); j++)
                    acc[o] += tap(d.inputKind(), d.byteInput(), d.weights(), o, j, x[j]);
            return output(d.output() instanceof Scores s ? s : null, d.output() instanceof Thresholds t ? t : null, acc);
        }
        ConvBlock c = (ConvBlock) b;
        Shape in = c.inputShape(), conv = c.convShape(), out = c.outputShape();
        int C = in.channels();
        Thresholds th = c.output();
        int[] bits = new int[conv.size()]; // HWC threshold bits of the (never stored on device) conv map
        for (int oy = 0; oy < conv.height(); oy++)
            for (int ox = 0; ox < conv.width(); ox++)
                for (int o = 0; o < c.outChannels(); o++) {
                    int acc = 0;
                    for (int ky = 0; ky < c.kernelH(); ky++)
                        for (int kx = 0; kx < c.kernelW(); kx++) {
                            int iy = oy * c.strideH() + ky - c.padding().top(), ix = ox * c.strideW() + kx - c.padding().left();
                            if (iy < 0 || iy >= in.height() || ix < 0 || ix >= in.width())
                                continue; // padding contributes 0
                            for (int ci = 0; ci < C; ci++)
                                acc += tap(c.inputKind(), c.byteInput(), c.weights(), o, (ky * c.kernelW() + kx) * C + ci,
                                        x[(iy * in.width() + ix) * C + ci]);
                        }
                    bits[(oy * conv.width() + ox) * c.outChannels() + o] = acc >= th.tau().get(o) ? 1 : 0;
                }
        PoolGeometry p = c.pool();
        if (p == null)
            return bits;
        int[] y = new int[out.size()];
        for (int oy = 0; oy < out.height(); oy++)
            for (int ox = 0; ox < out.width(); ox++)
                for (int o = 0; o < c.outChannels(); o++) {
                    boolean and = th.combine().get(o) == PoolCombine.AND;
                    int v = and ? 1 : 0;
                    for (int ky = 0; ky < p.kernelH(); ky++)
                        for (int kx = 0; kx < p.kernelW(); kx++) {
                            int iy = oy * p.strideH() + ky - p.padding().top(), ix = ox * p.strideW() + kx - p.padding().left();
                            if (iy < 0 || iy >= conv.height() || ix < 0 || ix >= conv.width())
                                continue;
                            int bit = bits[(iy * conv.width() + ix) * c.outChannels() + o];
                            v = and ? v & bit : v | bit;
                        }
                    y[(oy * out.width() + ox) * c.outChannels() + o] = v;
                }
        return y;
    }

    private static int tap(InputKind kind, ByteInput bi, BitMatrix w, int row, int col, int v) {
        boolean wb = w.get(row, col);
        if (kind == InputKind.BYTES) {
            int q = bi.apply(v);
            return wb ? q : -q;
        }
        return (v == 1) == wb ? 1 : -1;
    }

    private static int[] output(Scores s, Thresholds t, int[] acc) {
        int[] y = new int[acc.length];
        for (int o = 0; o < acc.length; o++)
            y[o] = s != null ? acc[o] * s.multiplier().get(o) + s.offset().get(o) : (acc[o] >= t.tau().get(o) ? 1 : 0);
        return y;
    }
}
