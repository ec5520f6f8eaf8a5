package ebnn.runtime.java;

import java.util.Arrays;

import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.BitMatrix;
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
 * One block prepared for execution: everything derivable from the block alone (word layouts,
 * ±1 sign tables, masks) is computed once here; per-inference state lives in {@link Scratch}.
 * Steps are immutable and shared by all threads.
 */
abstract class Step {
    final String name;
    /** Bits this step writes (0 when it produces scores). */
    final int outBits;

    Step(String name, int outBits) {
        this.name = name;
        this.outBits = outBits;
    }

    /**
     * Runs the step. Byte-input steps read {@code bytes} at {@code off}; bit-input steps read
     * {@code in}. Bit output goes to {@code out} (cleared here first); scores to {@code scores}.
     */
    abstract void run(byte[] bytes, int off, long[] in, long[] out, int[] scores, Scratch s);

    /** Largest scratch sizes this step needs; see {@link Scratch}. */
    int windowWords() {
        return 0;
    }

    int windowInts() {
        return 0;
    }

    int byteInts() {
        return 0;
    }

    int channelWords() {
        return 0;
    }

    /** Rows whose popcounts {@link #popcounts} writes at once (bit-input outputs). */
    int popcountRows() {
        return 0;
    }

    /** Chars of the zero-padded input planes of a {@link PlaneConv} layer. */
    int planeChars() {
        return 0;
    }

    /** 32-bit words per window of a {@link PositionConv} layer. */
    int positionWords() {
        return 0;
    }

    /** Conv positions of a {@link PositionConv} layer. */
    int positions() {
        return 0;
    }

    /** Taps (shifted copies) of a {@link PlaneConv} layer. */
    int planeTaps() {
        return 0;
    }

    /** Length of a {@link PlaneConv} layer's per-filter accumulator row. */
    int planeAccLen() {
        return 0;
    }

    static void clear(long[] out, int bits) {
        Arrays.fill(out, 0, Bits.words(bits) + 1, 0L);
    }

    /**
     * A ±1 table of a weight matrix for byte input (int dot products vectorise well), or null when
     * it would be too large and the step reads the bits instead.
     */
    static int[] signs(BitMatrix w, int limit) {
        if ((long) w.rows() * w.cols() > limit)
            return null;
        int[] s = new int[w.rows() * w.cols()];
        long[] words = w.toWords();
        int wpr = w.wordsPerRow();
        for (int r = 0; r < w.rows(); r++)
            for (int c = 0; c < w.cols(); c++)
                s[r * w.cols() + c] = (words[r * wpr + (c >>> 6)] >>> (c & 63) & 1L) != 0 ? 1 : -1;
        return s;
    }

    /** Σ ±q over one weight row read bit by bit (the fallback for huge byte-input layers). */
    static int dotBits(long[] words, int rowStart, int[] q, int n) {
        int acc = 0;
        for (int k = 0; k < n; k++) {
            int bit = (int) (words[rowStart + (k >>> 6)] >>> (k & 63)) & 1;
            acc += bit != 0 ? q[k] : -q[k];
        }
        return acc;
    }

    static int dot(int[] signs, int rowStart, int[] q, int n) {
        int acc = 0;
        for (int k = 0; k < n; k++)
            acc += signs[rowStart + k] * q[k];
        return acc;
    }

    /**
     * popcount(x XOR row r) for every row r of {@code weights} (rows of {@code wpr} words) into
     * {@code pc}: four rows at a time, so each word of x is loaded once per four rows and the four
     * popcount chains run independently (scalar popcnt issues once per cycle on x86: 64 binary MACs).
     */
    static void popcounts(long[] x, long[] weights, int wpr, int rows, int[] pc) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int a = r * wpr, b = a + wpr, c = b + wpr, d = c + wpr;
            int p0 = 0, p1 = 0, p2 = 0, p3 = 0;
            for (int w = 0; w < wpr; w++) {
                long v = x[w];
                p0 += Long.bitCount(v ^ weights[a + w]);
                p1 += Long.bitCount(v ^ weights[b + w]);
                p2 += Long.bitCount(v ^ weights[c + w]);
                p3 += Long.bitCount(v ^ weights[d + w]);
            }
            pc[r] = p0;
            pc[r + 1] = p1;
            pc[r + 2] = p2;
            pc[r + 3] = p3;
        }
        for (; r < rows; r++) {
            int a = r * wpr, p = 0;
            for (int w = 0; w < wpr; w++)
                p += Long.bitCount(x[w] ^ weights[a + w]);
            pc[r] = p;
        }
    }

    /** Maps every input byte to q = multiplier·p + offset once per inference. */
    static void mapBytes(ByteInput map, byte[] bytes, int off, int n, int[] q) {
        int m = map.multiplier();
        int o = map.offset();
        for (int i = 0; i < n; i++)
            q[i] = m * (bytes[off + i] & 0xff) + o;
    }

    // ------------------------------------------------------------------ input threshold

    static final class InputThreshold extends Step {
        private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class,
                java.nio.ByteOrder.LITTLE_ENDIAN);
        private static final long H = 0x8080808080808080L;
        private final int channels;
        private final int size;
        private final int[] tau;

        InputThreshold(InputThresholdBlock b) {
            super(b.name(), b.outputShape().size());
            channels = b.inputShape().channels();
            size = b.inputShape().size();
            tau = b.thresholds().toArray();
        }

        @Override
        void run(byte[] bytes, int off, long[] in, long[] out, int[] scores, Scratch s) {
            clear(out, outBits);
            if (channels == 1) {
                // eight pixels per 64-bit read, compared as unsigned bytes in SWAR, the eight answers
                // gathered into one byte by a multiply
                int t = tau[0], full = size >>> 3;
                long y = t <= 0 ? 0 : t > 255 ? -1 : (t & 0xffL) * 0x0101010101010101L;
                for (int g = 0; g < full; g++) {
                    long x = (long) LONGS.get(bytes, off + (g << 3));
                    long ge;
                    if (t <= 0)
                        ge = H;
                    else if (t > 255)
                        ge = 0;
                    else {
                        long d = (x | H) - (y & ~H); // per lane: high bit = low 7 bits of x >= those of y
                        ge = ((x & ~y) | (~(x ^ y) & d)) & H;
                    }
                    long packed = ((ge >>> 7) * 0x0102040810204080L) >>> 56;
                    int bit = g << 3;
                    out[bit >>> 6] |= packed << (bit & 63);
                }
                for (int i = full << 3; i < size; i++)
                    if ((bytes[off + i] & 0xff) >= t)
                        out[i >>> 6] |= 1L << i;
                return;
            }
            int c = 0;
            for (int i = 0; i < size; i++) {
                if ((bytes[off + i] & 0xff) >= tau[c])
                    out[i >>> 6] |= 1L << i;
                if (++c == channels)
                    c = 0;
            }
        }
    }

    // ------------------------------------------------------------------ dense

    static final class Dense extends Step {
        private final boolean byteInput;
        private final ByteInput map;
        private final int inputs;
        private final int outputs;
        private final int wpr;
        private final long[] weights;
        private final int[] signs;
        private final int[] tau;
        private final int[] mult;
        private final int[] offset;

        Dense(DenseBlock b, int signLimit) {
            super(b.name(), b.producesScores() ? 0 : b.outputs());
            byteInput = b.inputKind() == InputKind.BYTES;
            map = b.byteInput();
            inputs = b.inputs();
            outputs = b.outputs();
            wpr = b.weights().wordsPerRow();
            weights = b.weights().toWords();
            signs = byteInput ? signs(b.weights(), signLimit) : null;
            if (b.output() instanceof Scores sc) {
                tau = null;
                mult = sc.multiplier().toArray();
                offset = sc.offset().toArray();
            } else {
                tau = ((Thresholds) b.output()).tau().toArray();
                mult = offset = null;
            }
        }

        @Override
        int byteInts() {
            return byteInput ? inputs : 0;
        }

        @Override
        int popcountRows() {
            return byteInput ? 0 : outputs;
        }

        @Override
        void run(byte[] bytes, int off, long[] in, long[] out, int[] scores, Scratch s) {
            int[] q = s.q;
            if (byteInput)
                mapBytes(map, bytes, off, inputs, q);
            if (tau != null)
                clear(out, outBits);
            if (!byteInput) {
                // padding bits past `inputs` are 0 in both streams: XOR 0, never counted
                int[] pc = s.popcounts;
                popcounts(in, weights, wpr, outputs, pc);
                if (tau == null) {
                    for (int o = 0; o < outputs; o++)
                        scores[o] = (inputs - 2 * pc[o]) * mult[o] + offset[o];
                    return;
                }
                // branch-free: bit = acc - τ >= 0 (in long: τ may lie outside the accumulator range)
                long word = 0;
                for (int o = 0; o < outputs; o++) {
                    word |= (((long) (inputs - 2 * pc[o]) - tau[o]) >>> 63 ^ 1L) << o;
                    if ((o & 63) == 63) {
                        out[o >>> 6] = word;
                        word = 0;
                    }
                }
                if ((outputs & 63) != 0)
                    out[outputs >>> 6] = word;
                return;
            }
            for (int o = 0; o < outputs; o++) {
                int acc = signs != null ? dot(signs, o * inputs, q, inputs) : dotBits(weights, o * wpr, q, inputs);
                if (tau != null) {
                    if (acc >= tau[o])
                        out[o >>> 6] |= 1L << o;
                } else
                    scores[o] = acc * mult[o] + offset[o];
            }
        }
    }

    // ------------------------------------------------------------------ conv (+ pool) + threshold

    static final class Conv extends Step {
        private final boolean byteInput;
        private final ByteInput map;
        private final int inC, inH, inW, outC, kh, kw, sh, sw, padT, padL, convH, convW;
        private final int taps; // K = kh·kw·inC, the weight row length in (ky, kx, c) order
        private final int wpr;
        private final long[] weights;
        /** Byte input: ±1 per (tap, channel), tap-major, so the inner loop runs over channels and vectorises. */
        private final int[] signsT;
        private final int[] tau;
        private final boolean pooled;
        private final int pkh, pkw, psh, psw, ppT, ppL, outH, outW;
        private final int cw; // words of one position's channel bits
        private final long[] orMask, andMask;
        private final boolean anyAnd;
        /** Byte input: the whole-plane kernel (null: the per-position paths below). */
        private final PlaneConv plane;
        /** Bit input without conv padding, on a CPU with vector popcount: all positions per filter. */
        private final PositionConv positionConv;
        /** A 2x2 stride-2 pool whose windows all lie inside the conv map. */
        private final boolean pool2x2;

        Conv(ConvBlock b, int signLimit) {
            super(b.name(), b.outputShape().size());
            byteInput = b.inputKind() == InputKind.BYTES;
            map = b.byteInput();
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
            int[] signs = byteInput ? signs(b.weights(), signLimit) : null;
            if (signs != null) {
                signsT = new int[signs.length];
                for (int o = 0; o < outC; o++)
                    for (int k = 0; k < taps; k++)
                        signsT[k * outC + o] = signs[o * taps + k];
            } else
                signsT = null;
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
            plane = byteInput && PlaneConv.applies(b, signsT) ? new PlaneConv(b, signsT) : null;
            positionConv = !byteInput && PositionConv.applies(b) ? new PositionConv(b, weights, wpr) : null;
            pool2x2 = pooled && pkh == 2 && pkw == 2 && psh == 2 && psw == 2 && ppT == 0 && ppL == 0 && 2 * outH <= convH && 2 * outW <= convW;
        }

        @Override
        int popcountRows() {
            return byteInput ? 0 : outC;
        }

        @Override
        int planeChars() {
            return plane != null ? plane.planeChars() : 0;
        }

        @Override
        int planeTaps() {
            return plane != null ? plane.taps() : 0;
        }

        @Override
        int positionWords() {
            return positionConv != null ? positionConv.words : 0;
        }

        @Override
        int positions() {
            return positionConv != null ? positionConv.positions : 0;
        }

        @Override
        int planeAccLen() {
            return plane != null ? plane.len : 0;
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

        @Override
        int windowWords() {
            return byteInput ? 0 : wpr;
        }

        @Override
        int windowInts() {
            return byteInput ? Math.max(taps, outC) : 0;
        }

        @Override
        int byteInts() {
            return byteInput ? inC * inH * inW : 0;
        }

        @Override
        int channelWords() {
            return cw;
        }

        @Override
        void run(byte[] bytes, int off, long[] in, long[] out, int[] scores, Scratch s) {
            if (plane != null) {
                runPlanes(bytes, off, out, s);
                return;
            }
            if (positionConv != null) {
                runPositions(in, out, s);
                return;
            }
            if (byteInput)
                mapBytes(map, bytes, off, inC * inH * inW, s.q);
            clear(out, outBits);
            long[] bits = s.chBits;
            if (!pooled) {
                for (int oy = 0; oy < convH; oy++)
                    for (int ox = 0; ox < convW; ox++) {
                        position(oy, ox, in, s);
                        Bits.copy(bits, 0, out, (oy * convW + ox) * outC, outC);
                    }
                return;
            }
            long[] any = s.orAcc;
            long[] all = s.andAcc;
            for (int py = 0; py < outH; py++) {
                int cy0 = py * psh - ppT;
                int cyLo = Math.max(cy0, 0), cyHi = Math.min(cy0 + pkh, convH);
                for (int px = 0; px < outW; px++) {
                    int cx0 = px * psw - ppL;
                    int cxLo = Math.max(cx0, 0), cxHi = Math.min(cx0 + pkw, convW);
                    Arrays.fill(any, 0, cw, 0L);
                    Arrays.fill(all, 0, cw, -1L);
                    // only the current window's conv bits ever exist: the map is never stored
                    for (int cy = cyLo; cy < cyHi; cy++)
                        for (int cx = cxLo; cx < cxHi; cx++) {
                            position(cy, cx, in, s);
                            for (int w = 0; w < cw; w++) {
                                any[w] |= bits[w];
                                all[w] &= bits[w];
                            }
                        }
                    for (int w = 0; w < cw; w++)
                        bits[w] = anyAnd ? (any[w] & orMask[w]) | (all[w] & andMask[w]) : any[w];
                    Bits.copy(bits, 0, out, (py * outW + px) * outC, outC);
                }
            }
        }

        /** Byte input: filter by filter over whole planes (or gathered views, strided); pooling takes the max (OR) or min (AND) accumulator of each window. */
        private void runPlanes(byte[] bytes, int off, long[] out, Scratch s) {
            PlaneConv pc = plane;
            char[] p = s.planeAcc, sums = s.planeSums;
            int[] acc = s.planeInts;
            short[] d = s.planeDiffs;
            int rw = pc.rowWidth;
            boolean small = pc.shortDifferences();
            pc.prepare(bytes, off, s.planes, s.shifted, sums);
            clear(out, outBits);
            for (int o = 0; o < outC; o++) {
                pc.filter(o, s.shifted, p);
                int t;
                if (small) {
                    pc.differences(o, p, sums, d);
                    t = pc.dTau(o);
                } else {
                    pc.accumulators(o, p, sums, acc);
                    t = pc.tau(o);
                }
                if (!pooled) {
                    for (int cy = 0; cy < convH; cy++)
                        for (int cx = 0, j = cy * rw; cx < convW; cx++, j++)
                            if ((small ? d[j] : acc[j]) >= t) {
                                int bit = (cy * convW + cx) * outC + o;
                                out[bit >>> 6] |= 1L << bit;
                            }
                    continue;
                }
                boolean and = pc.and(o);
                if (small && pool2x2) {
                    // the common 2x2 stride-2 pool with every window inside the conv map, unrolled
                    for (int py = 0; py < outH; py++)
                        for (int px = 0, j = 2 * py * rw, bit = py * outW * outC + o; px < outW; px++, j += 2, bit += outC) {
                            int a = d[j], b = d[j + 1], c = d[j + rw], e = d[j + rw + 1];
                            int best = and ? Math.min(Math.min(a, b), Math.min(c, e)) : Math.max(Math.max(a, b), Math.max(c, e));
                            if (best >= t)
                                out[bit >>> 6] |= 1L << bit;
                        }
                    continue;
                }
                for (int py = 0; py < outH; py++) {
                    int cy0 = py * psh - ppT;
                    int cyLo = Math.max(cy0, 0), cyHi = Math.min(cy0 + pkh, convH);
                    for (int px = 0; px < outW; px++) {
                        int cx0 = px * psw - ppL;
                        int cxLo = Math.max(cx0, 0), cxHi = Math.min(cx0 + pkw, convW);
                        // OR of (acc >= t) is max(acc) >= t; AND is min(acc) >= t
                        int best = and ? Integer.MAX_VALUE : Integer.MIN_VALUE;
                        for (int cy = cyLo; cy < cyHi; cy++) {
                            int row = cy * rw;
                            for (int cx = cxLo; cx < cxHi; cx++) {
                                int v = small ? d[row + cx] : acc[row + cx];
                                best = and ? Math.min(best, v) : Math.max(best, v);
                            }
                        }
                        if (best >= t) {
                            int bit = (py * outW + px) * outC + o;
                            out[bit >>> 6] |= 1L << bit;
                        }
                    }
                }
            }
        }

        /** Bit input, no padding: filter by filter over all positions (see {@link PositionConv}), then threshold and pool. */
        private void runPositions(long[] in, long[] out, Scratch s) {
            PositionConv pc = positionConv;
            int[][] x = s.positionWords;
            int[] acc = s.positionAcc;
            pc.gather(in, s.win, x);
            clear(out, outBits);
            for (int o = 0; o < outC; o++) {
                pc.filter(o, x, acc);
                emit(o, acc, convW, tau[o], out, (andMask[o >>> 6] >>> o & 1L) != 0);
            }
        }

        /** Channel o's output bits from its accumulators {@code acc[cy·stride + cx]}: threshold, pooled by max (OR) or min (AND). */
        private void emit(int o, int[] acc, int stride, int t, long[] out, boolean and) {
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

        /** Threshold bits of all output channels at conv position (oy, ox) into {@code s.chBits}. */
        private void position(int oy, int ox, long[] in, Scratch s) {
            long[] bits = s.chBits;
            Arrays.fill(bits, 0, cw + 1, 0L);
            int iy0 = oy * sh - padT;
            int ix0 = ox * sw - padL;
            int kyLo = Math.max(0, -iy0), kyHi = Math.min(kh, inH - iy0);
            int kxLo = Math.max(0, -ix0), kxHi = Math.min(kw, inW - ix0);
            if (kxHi <= kxLo || kyHi <= kyLo) // window entirely in the padding: no tap counts, acc = 0
                kyHi = kyLo = kxHi = kxLo = 0;
            boolean interior = kyLo == 0 && kyHi == kh && kxLo == 0 && kxHi == kw;
            int run = (kxHi - kxLo) * inC;
            if (byteInput) {
                int[] q = s.q;
                if (signsT != null) {
                    // acc[o] = Σ over valid taps of ±q; padding taps are simply not visited (contribute 0)
                    int[] acc = s.qwin;
                    Arrays.fill(acc, 0, outC, 0);
                    for (int ky = kyLo; ky < kyHi; ky++)
                        for (int kx = kxLo; kx < kxHi; kx++) {
                            int base = ((iy0 + ky) * inW + ix0 + kx) * inC;
                            int tap = (ky * kw + kx) * inC;
                            for (int c = 0; c < inC; c++) {
                                int v = q[base + c];
                                int row = (tap + c) * outC;
                                for (int o = 0; o < outC; o++)
                                    acc[o] += signsT[row + o] * v;
                            }
                        }
                    for (int o = 0; o < outC; o++)
                        if (acc[o] >= tau[o])
                            bits[o >>> 6] |= 1L << o;
                    return;
                }
                int[] win = s.qwin;
                Arrays.fill(win, 0, taps, 0); // padding taps contribute 0
                for (int ky = kyLo; ky < kyHi; ky++)
                    System.arraycopy(q, ((iy0 + ky) * inW + ix0 + kxLo) * inC, win, (ky * kw + kxLo) * inC, run);
                for (int o = 0; o < outC; o++)
                    if (dotBits(weights, o * wpr, win, taps) >= tau[o])
                        bits[o >>> 6] |= 1L << o;
                return;
            }
            long[] win = s.win;
            Arrays.fill(win, 0, wpr + 1, 0L);
            for (int ky = kyLo; ky < kyHi; ky++)
                Bits.copy(in, ((iy0 + ky) * inW + ix0 + kxLo) * inC, win, (ky * kw + kxLo) * inC, run);
            if (interior) {
                int[] pc = s.popcounts;
                popcounts(win, weights, wpr, outC, pc);
                for (int o = 0; o < outC; o++)
                    if (taps - 2 * pc[o] >= tau[o])
                        bits[o >>> 6] |= 1L << o;
                return;
            }
            // border: only valid taps count, acc = n_valid − 2·popcount over them
            long[] mask = s.mask;
            Arrays.fill(mask, 0, wpr + 1, 0L);
            for (int ky = kyLo; ky < kyHi; ky++)
                Bits.set(mask, (ky * kw + kxLo) * inC, run);
            int valid = 0;
            for (int w = 0; w < wpr; w++)
                valid += Long.bitCount(mask[w]);
            for (int o = 0; o < outC; o++) {
                int pc = 0;
                int row = o * wpr;
                for (int w = 0; w < wpr; w++)
                    pc += Long.bitCount((win[w] ^ weights[row + w]) & mask[w]);
                if (valid - 2 * pc >= tau[o])
                    bits[o >>> 6] |= 1L << o;
            }
        }
    }
}
