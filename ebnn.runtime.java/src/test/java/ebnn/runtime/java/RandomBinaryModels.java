package ebnn.runtime.java;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ebnn.api.InvalidModelException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.BitMatrix;
import ebnn.api.binary.Block;
import ebnn.api.binary.ByteInput;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputKind;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.binary.IntArray;
import ebnn.api.binary.PoolCombine;
import ebnn.api.binary.PoolGeometry;
import ebnn.api.binary.Scores;
import ebnn.api.binary.Thresholds;
import ebnn.api.model.Padding;
import ebnn.api.model.Shape;

/**
 * Seeded random integer models built directly (no lowering): every block kind, byte input with
 * offsets, conv padding (also padding as large as the kernel, where whole windows are padding),
 * strides, pools with OR and AND channels and padding, odd sizes across word boundaries, negative
 * score multipliers. Thresholds are drawn near the middle of each block's accumulator range so
 * bits are mixed.
 */
final class RandomBinaryModels {
    private RandomBinaryModels() {
    }

    static BinaryModel model(long seed) {
        Random r = new Random(seed * 31 + 7);
        Shape in = new Shape(1 + r.nextInt(4), 1 + r.nextInt(11), 1 + r.nextInt(11));
        List<Block> blocks = new ArrayList<>();
        Shape cur = in;
        int first = r.nextInt(4); // 0 threshold, 1 conv bytes, 2 dense bytes (then maybe more), 3 dense bytes scores only
        int n = 0;
        if (first == 3) {
            blocks.add(dense(r, "only", InputKind.BYTES, byteInput(r), cur, 2 + r.nextInt(9), true));
            return new BinaryModel("rb" + seed, in, blocks, null);
        }
        if (first == 0) {
            int[] t = new int[cur.channels()];
            for (int c = 0; c < t.length; c++)
                t[c] = r.nextInt(6) == 0 ? (r.nextBoolean() ? 0 : 256) : r.nextInt(257);
            blocks.add(new InputThresholdBlock("thr", cur, IntArray.of(t)));
        } else if (first == 1) {
            Block b = conv(r, "conv" + n++, InputKind.BYTES, byteInput(r), cur);
            blocks.add(b);
            cur = b.outputShape();
        } else {
            Block b = dense(r, "fc" + n++, InputKind.BYTES, byteInput(r), cur, 1 + r.nextInt(130), false);
            blocks.add(b);
            cur = b.outputShape();
        }
        int convs = cur.isVector() ? 0 : r.nextInt(3);
        for (int i = 0; i < convs; i++) {
            Block b = conv(r, "conv" + n++, InputKind.BITS, null, cur);
            blocks.add(b);
            cur = b.outputShape();
        }
        int dense = r.nextInt(3);
        for (int i = 0; i < dense; i++) {
            Block b = dense(r, "fc" + n++, InputKind.BITS, null, cur, 1 + r.nextInt(130), false);
            blocks.add(b);
            cur = b.outputShape();
        }
        blocks.add(dense(r, "out", InputKind.BITS, null, cur, 2 + r.nextInt(9), true));
        return new BinaryModel("rb" + seed, in, blocks, null);
    }

    static ByteInput byteInput(Random r) {
        return switch (r.nextInt(4)) {
        case 0 -> ByteInput.IDENTITY;
        case 1 -> new ByteInput(2, -255);
        default -> new ByteInput(1 + r.nextInt(4), r.nextInt(801) - 400);
        };
    }

    static BitMatrix bits(Random r, int rows, int cols) {
        return BitMatrix.build(rows, cols, (row, col) -> r.nextBoolean());
    }

    /** A threshold near the typical accumulator (0 for random signs), sometimes constant. */
    static int tau(Random r, long taps, int mag) {
        long max = taps * mag;
        if (r.nextInt(12) == 0)
            return (int) (r.nextBoolean() ? -max - 1 : max + 1);
        return (int) Math.round(r.nextGaussian() * Math.sqrt(taps) * mag * 0.4);
    }

    static Block conv(Random r, String name, InputKind kind, ByteInput bi, Shape in) {
        for (int attempt = 0;; attempt++) {
            int kh = 1 + r.nextInt(Math.min(4, in.height() + 1));
            int kw = 1 + r.nextInt(Math.min(4, in.width() + 1));
            // padding up to the kernel size: windows at the edge may be entirely padding (acc = 0)
            Padding pad = r.nextInt(3) == 0 ? Padding.NONE : new Padding(r.nextInt(kh + 1), r.nextInt(kw + 1), r.nextInt(kh + 1), r.nextInt(kw + 1));
            int sh = 1 + r.nextInt(3), sw = 1 + r.nextInt(3);
            int outC = 1 + r.nextInt(r.nextInt(4) == 0 ? 70 : 9);
            int taps = kh * kw * in.channels();
            int mag = bi == null ? 1 : bi.maxMagnitude();
            BitMatrix w = bits(r, outC, taps);
            int[] tau = new int[outC];
            List<PoolCombine> comb = new ArrayList<>();
            for (int c = 0; c < outC; c++) {
                tau[c] = tau(r, taps, bi == null ? 1 : mag / 3);
                comb.add(r.nextBoolean() ? PoolCombine.OR : PoolCombine.AND);
            }
            try {
                Shape conv = new ConvBlock("probe", kind, bi, in, outC, kh, kw, sh, sw, pad, w, null, Thresholds.of(tau)).convShape();
                PoolGeometry pool = null;
                if (r.nextInt(3) != 0 && (conv.height() > 1 || conv.width() > 1)) {
                    int pkh = 1 + r.nextInt(Math.min(3, conv.height()));
                    int pkw = 1 + r.nextInt(Math.min(3, conv.width()));
                    pool = new PoolGeometry(pkh, pkw, 1 + r.nextInt(3), 1 + r.nextInt(3),
                            new Padding(r.nextInt(pkh), r.nextInt(pkw), r.nextInt(pkh), r.nextInt(pkw)));
                    pool.outputShape(name, conv);
                }
                return new ConvBlock(name, kind, bi, in, outC, kh, kw, sh, sw, pad, w, pool, new Thresholds(IntArray.of(tau), comb));
            } catch (InvalidModelException e) {
                if (attempt > 50)
                    throw e;
            }
        }
    }

    static Block dense(Random r, String name, InputKind kind, ByteInput bi, Shape in, int outputs, boolean scores) {
        int n = in.size();
        BitMatrix w = bits(r, outputs, n);
        if (scores) {
            int[] m = new int[outputs], o = new int[outputs];
            long maxAcc = (long) n * (bi == null ? 1 : bi.maxMagnitude());
            int mlim = (int) Math.max(1, Math.min(5, (1L << 29) / (maxAcc + 1)));
            for (int c = 0; c < outputs; c++) {
                m[c] = r.nextInt(2 * mlim + 1) - mlim;
                o[c] = r.nextInt(2001) - 1000;
            }
            if (r.nextInt(4) == 0)
                return new DenseBlock(name, kind, bi, in, outputs, w, Scores.identity(outputs));
            return new DenseBlock(name, kind, bi, in, outputs, w, new Scores(IntArray.of(m), IntArray.of(o)));
        }
        int[] tau = new int[outputs];
        for (int c = 0; c < outputs; c++)
            tau[c] = tau(r, n, bi == null ? 1 : bi.maxMagnitude() / 3);
        return new DenseBlock(name, kind, bi, in, outputs, w, Thresholds.of(tau));
    }
}
