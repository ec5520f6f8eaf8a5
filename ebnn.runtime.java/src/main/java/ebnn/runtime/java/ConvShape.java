package ebnn.runtime.java;

import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.InputKind;
import ebnn.api.binary.PoolCombine;
import ebnn.api.binary.PoolGeometry;
import ebnn.api.binary.Thresholds;
import ebnn.api.model.Shape;

/**
 * What every conv kernel shares: the block's geometry, thresholds and pool modes, and the step
 * from one filter's accumulators over the conv map to its thresholded, pooled output bits.
 */
final class ConvShape {
    final String name;
    final boolean byteInput;
    final int inC, inH, inW, outC, kh, kw, sh, sw, padT, padL, convH, convW;
    final int taps; // K = kh·kw·inC, the weight row length in (ky, kx, c) order
    final int wpr;
    final long[] weights;
    final int[] tau;
    final boolean pooled;
    final int pkh, pkw, psh, psw, ppT, ppL, outH, outW;
    final int cw; // words of one position's channel bits
    final long[] orMask, andMask;
    final boolean anyAnd;
    /** A 2x2 stride-2 pool whose windows all lie inside the conv map. */
    final boolean pool2x2;

    ConvShape(ConvBlock b) {
        name = b.name();
        byteInput = b.inputKind() == InputKind.BYTES;
        Shape in = b.inputShape();
        inC = in.channels();
        inH = in.height();
        inW = in.width();
        outC = b.outChannels();
        kh = b.kernelH();
        kw = b.kernelW();
        sh = b.strideH();
        sw = b.strideW();
        padT = b.padding().top();
        padL = b.padding().left();
        Shape conv = b.convShape();
        convH = conv.height();
        convW = conv.width();
        taps = kh * kw * inC;
        wpr = b.weights().wordsPerRow();
        weights = b.weights().toWords();
        Thresholds t = b.output();
        tau = t.tau().toArray();
        cw = Bits.words(outC);
        orMask = new long[cw];
        andMask = new long[cw];
        for (int c = 0; c < outC; c++)
            (t.combine().get(c) == PoolCombine.AND ? andMask : orMask)[c >>> 6] |= 1L << c;
        PoolGeometry p = b.pool();
        pooled = p != null;
        Shape out = b.outputShape();
        outH = out.height();
        outW = out.width();
        if (pooled) {
            pkh = p.kernelH();
            pkw = p.kernelW();
            psh = p.strideH();
            psw = p.strideW();
            ppT = p.padding().top();
            ppL = p.padding().left();
            checkWindows();
        } else {
            pkh = pkw = psh = psw = 1;
            ppT = ppL = 0;
        }
        anyAnd = pooled && t.anyAnd();
        pool2x2 = pooled && pkh == 2 && pkw == 2 && psh == 2 && psw == 2 && ppT == 0 && ppL == 0 && 2 * outH <= convH && 2 * outW <= convW;
    }

    int outBits() {
        return outH * outW * outC;
    }

    boolean and(int o) {
        return (andMask[o >>> 6] >>> o & 1L) != 0;
    }

    /** The contract ignores pool positions outside the conv map; a window with none left has no defined bit. */
    private void checkWindows() {
        for (int py = 0; py < outH; py++)
            if (first(py * psh - ppT, pkh, convH) < 0)
                throw new UnsupportedModelException("block '" + name + "': pool window row " + py + " lies entirely in the padding");
        for (int px = 0; px < outW; px++)
            if (first(px * psw - ppL, pkw, convW) < 0)
                throw new UnsupportedModelException("block '" + name + "': pool window column " + px + " lies entirely in the padding");
    }

    private static int first(int start, int k, int n) {
        int lo = Math.max(start, 0);
        return lo < Math.min(start + k, n) ? lo : -1;
    }

    /** Channel o's output bits from its accumulators {@code acc[cy·stride + cx]}: threshold, pooled by max (OR) or min (AND). */
    void emit(int o, int[] acc, int stride, int t, long[] out, boolean and) {
        if (!pooled) {
            for (int cy = 0; cy < convH; cy++)
                for (int cx = 0, j = cy * stride; cx < convW; cx++, j++)
                    if (acc[j] >= t) {
                        int bit = (cy * convW + cx) * outC + o;
                        out[bit >>> 6] |= 1L << bit;
                    }
            return;
        }
        if (pool2x2) {
            for (int py = 0; py < outH; py++)
                for (int px = 0, j = 2 * py * stride, bit = py * outW * outC + o; px < outW; px++, j += 2, bit += outC) {
                    int a = acc[j], b = acc[j + 1], c = acc[j + stride], e = acc[j + stride + 1];
                    int best = and ? Math.min(Math.min(a, b), Math.min(c, e)) : Math.max(Math.max(a, b), Math.max(c, e));
                    if (best >= t)
                        out[bit >>> 6] |= 1L << bit;
                }
            return;
        }
        for (int py = 0; py < outH; py++) {
            int cy0 = py * psh - ppT;
            int cyLo = Math.max(cy0, 0), cyHi = Math.min(cy0 + pkh, convH);
            for (int px = 0; px < outW; px++) {
                int cx0 = px * psw - ppL;
                int cxLo = Math.max(cx0, 0), cxHi = Math.min(cx0 + pkw, convW);
                int best = and ? Integer.MAX_VALUE : Integer.MIN_VALUE;
                for (int cy = cyLo; cy < cyHi; cy++)
                    for (int cx = cxLo; cx < cxHi; cx++)
                        best = and ? Math.min(best, acc[cy * stride + cx]) : Math.max(best, acc[cy * stride + cx]);
                if (best >= t) {
                    int bit = (py * outW + px) * outC + o;
                    out[bit >>> 6] |= 1L << bit;
                }
            }
        }
    }
}
