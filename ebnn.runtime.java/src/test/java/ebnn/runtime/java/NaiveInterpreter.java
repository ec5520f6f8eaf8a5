package ebnn.runtime.java;

import java.util.ArrayList;
import java.util.List;

import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.Block;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.binary.PoolCombine;
import ebnn.api.binary.PoolGeometry;
import ebnn.api.binary.Scores;
import ebnn.api.binary.Thresholds;
import ebnn.api.model.Shape;

/**
 * The integer contract of ebnn.api.binary written as plainly as possible, independent of the
 * engine: values are int arrays of ±1 (or the byte values q), HWC, no packing, the full conv map
 * is materialised, every tap is a multiply by the weight's ±1.
 */
final class NaiveInterpreter {
    record Result(List<int[]> hidden, int[] scores, int predicted) {
    }

    static Result run(BinaryModel m, byte[] hwc) {
        int[] v = null;
        List<int[]> hidden = new ArrayList<>();
        int[] scores = null;
        for (Block b : m.blocks()) {
            int[] x;
            if (v == null) { // first block: the bytes, mapped by the block's ByteInput if it has one
                x = new int[hwc.length];
                for (int i = 0; i < x.length; i++) {
                    int p = hwc[i] & 0xff;
                    x[i] = b instanceof ConvBlock c ? c.byteInput().apply(p) : b instanceof DenseBlock d ? d.byteInput().apply(p) : p;
                }
            } else
                x = v;
            if (b instanceof InputThresholdBlock t) {
                int ch = t.inputShape().channels();
                v = new int[x.length];
                for (int i = 0; i < x.length; i++)
                    v[i] = x[i] >= t.thresholds().get(i % ch) ? 1 : -1;
            } else if (b instanceof ConvBlock c) {
                v = conv(c, x);
            } else {
                DenseBlock d = (DenseBlock) b;
                int[] acc = new int[d.outputs()];
                for (int o = 0; o < d.outputs(); o++)
                    for (int i = 0; i < d.inputs(); i++)
                        acc[o] += (d.weights().get(o, i) ? 1 : -1) * x[i];
                if (d.output() instanceof Scores s) {
                    scores = new int[d.outputs()];
                    for (int o = 0; o < scores.length; o++)
                        scores[o] = acc[o] * s.multiplier().get(o) + s.offset().get(o);
                    break;
                }
                Thresholds t = (Thresholds) d.output();
                v = new int[d.outputs()];
                for (int o = 0; o < v.length; o++)
                    v[o] = acc[o] >= t.tau().get(o) ? 1 : -1;
            }
            hidden.add(v);
        }
        int best = 0;
        for (int i = 1; i < scores.length; i++)
            if (scores[i] > scores[best])
                best = i;
        return new Result(hidden, scores, best);
    }

    private static int[] conv(ConvBlock c, int[] x) {
        Shape in = c.inputShape(), cs = c.convShape();
        int C = in.channels(), H = in.height(), W = in.width();
        Thresholds t = c.output();
        int[] map = new int[cs.size()]; // HWC, ±1
        for (int oy = 0; oy < cs.height(); oy++)
            for (int ox = 0; ox < cs.width(); ox++)
                for (int o = 0; o < c.outChannels(); o++) {
                    int acc = 0;
                    for (int ky = 0; ky < c.kernelH(); ky++)
                        for (int kx = 0; kx < c.kernelW(); kx++) {
                            int iy = oy * c.strideH() + ky - c.padding().top();
                            int ix = ox * c.strideW() + kx - c.padding().left();
                            if (iy < 0 || iy >= H || ix < 0 || ix >= W)
                                continue; // padding contributes 0
                            for (int ch = 0; ch < C; ch++)
                                acc += (c.weights().get(o, (ky * c.kernelW() + kx) * C + ch) ? 1 : -1) * x[(iy * W + ix) * C + ch];
                        }
                    map[(oy * cs.width() + ox) * c.outChannels() + o] = acc >= t.tau().get(o) ? 1 : -1;
                }
        PoolGeometry p = c.pool();
        if (p == null)
            return map;
        Shape os = c.outputShape();
        int[] out = new int[os.size()];
        for (int py = 0; py < os.height(); py++)
            for (int px = 0; px < os.width(); px++)
                for (int o = 0; o < c.outChannels(); o++) {
                    boolean and = t.combine().get(o) == PoolCombine.AND;
                    boolean any = false, all = true;
                    for (int wy = 0; wy < p.kernelH(); wy++)
                        for (int wx = 0; wx < p.kernelW(); wx++) {
                            int cy = py * p.strideH() + wy - p.padding().top();
                            int cx = px * p.strideW() + wx - p.padding().left();
                            if (cy < 0 || cy >= cs.height() || cx < 0 || cx >= cs.width())
                                continue;
                            boolean bit = map[(cy * cs.width() + cx) * c.outChannels() + o] > 0;
                            any |= bit;
                            all &= bit;
                        }
                    out[(py * os.width() + px) * c.outChannels() + o] = (and ? all : any) ? 1 : -1;
                }
        return out;
    }
}
