package ebnn.runtime.java;

import java.util.Arrays;

import ebnn.api.binary.ByteInput;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.PoolCombine;
import ebnn.api.model.Shape;

/**
 * The byte-input (first, real-valued) convolution, computed filter by filter over
 * whole shifted input planes so that every inner loop is a long, contiguous, branch-free short
 * addition the JIT vectorises (no multiplies, no per-position window gathering).
 *
 * <p>With ±1 weights s and q = m·p + o: acc = Σ s·q = m·(2·P₊ − S) + o·Σs = m·(S − 2·P₋) + o·Σs,
 * where S = Σ p over the window (shared by all filters), P₊ (P₋) = Σ p over the taps whose weight is
 * +1 (−1), and Σs is the sum of the signs of the valid taps. A filter's P (over either tap set) is
 * built from an earlier filter's by adding and subtracting the copies where their sets differ (see
 * {@link #plan}). p is the raw byte 0..255 and a layer has at most 257 taps, so S and P fit an
 * unsigned 16-bit {@code char}: 257 · 255 = 65,535.
 *
 * <p>Up to 128 taps without a per-position Σs correction (the short path), each filter's threshold
 * bit at every position is the sign of d − τ as a short ({@link #thresholdBits}), packed 16 filters
 * to a short per position; pooled bits are the OR / AND of those over the window ({@link #emitBits}).
 * Maps shorter than {@link #MIN_PASS} positions run {@link #batch} images per pass in batches.
 * Otherwise (the int path) exact int accumulators go through {@link ConvShape#emit}.
 *
 * <p>Layout: each input channel is a zero-padded plane of width Wp = padL + inW + padR (CHW), and a
 * conv position (cy, cx) is index j = cy·Wp + cx of a "full-width" accumulator row; tap (ky, kx, c)
 * then reads plane c at j + ky·Wp + kx, for every j at once. The Wp − convW columns past the conv
 * map are computed and never read. Padding taps read p = 0, contributing 0 to P and S; their o·s
 * share is left out of Σs by a per-position correction when o ≠ 0 and the layer is padded.
 *
 * <p>Strided convs gather each tap's view instead (position (cy, cx) reads plane offset
 * (cy·sh)·Wp + cx·sw), into rows of convW: accumulator index j = cy·convW + cx, no unused columns.
 *
 * <p>JDK 17's C2 does not vectorise a loop whose loads carry a loop-invariant offset that differs
 * from the store's (measured: 0.6 ns per element against 0.05 with equal indices), so each tap's
 * shifted view of its plane is first copied once per inference into its own array
 * ({@code System.arraycopy}), and every kernel then adds arrays at the same index j.
 */
final class PlaneConv extends Kernel<PlaneConv.Scratch> {
    /** One thread's planes, shifted copies, per-filter rows and the threshold bits of one pass (up to {@link #batch} images). */
    static final class Scratch {
        final char[] planes, p, sums; // zero-padded input planes (per image), one filter's P, window sums S
        final char[][] shifted; // per tap its shifted copy of the planes (the pass's images back to back), then per tap the copy negated, then an all-zero one
        final char[][] subsets; // per filter: its tap subset's sum (own array when a later filter starts from it, else p)
        final int[] acc; // one filter's accumulators (int path)
        final short[] diffs; // one filter's ±(2P − S) − τ (short path)
        final short[][] fails; // per group of 16 filters: bit o % 16 set where filter o is below its threshold
        final long[][] outs; // each image's output bits of a batched pass

        Scratch(int planeChars, int taps, int len, int groups, int batch, int outWords, boolean[] kept) {
            planes = new char[planeChars]; // written only at data positions: the padding stays 0
            p = new char[len];
            sums = new char[len];
            shifted = new char[2 * taps + 1][len];
            subsets = new char[kept.length][];
            for (int o = 0; o < kept.length; o++)
                subsets[o] = kept[o] ? new char[len] : p;
            acc = new int[len];
            diffs = new short[len];
            fails = new short[groups][len];
            outs = new long[batch][outWords];
        }
    }

    private final ConvShape g;
    /** Most taps whose byte sum fits a char: 257 · 255 = 65,535. */
    static final int MAX_TAPS = 257;
    /** Shifted copies kept per thread at most (chars): 4 M = 8 MB. */
    static final long MAX_SHIFTED = 1 << 22;
    /** A pass covers at least this many accumulator positions when the batch allows (so short maps still run long vector loops). */
    static final int MIN_PASS = 512;
    /** Images per batched pass at most, and the batch's shifted copies at most (chars: 64 K = 128 KB, within L2). */
    static final int MAX_BATCH = 64;
    static final long MAX_BATCH_SHIFTED = 1 << 16;

    private final int inC, inH, inW, padT, padL, outC, convH, convW, sh, sw, inputSize;
    final int wp, planeLen, len; // plane width, one padded plane (+ spare), one image's accumulator length convH·rowWidth
    /** Accumulator row width: Wp for stride 1 (the shifted views are plane copies), convW when strided (gathered). */
    final int rowWidth;
    /** Images per pass: 1, or more for maps shorter than {@link #MIN_PASS} (short path only). */
    final int batch;
    private final int[] allTaps; // offsets of every tap (ky, kx, c) into one image's planes
    /** The filters in the order their subset sums are built, each from an earlier one's (see {@link #plan}). */
    private final int[] order;
    private final int[] parent; // per filter: the filter whose subset sum its own starts from, −1: from nothing
    private int[] negated; // the taps some filter takes away: only their copies are negated
    private final int[][] adds; // per filter: the copies added to the parent's sum (negated ones for taps it takes away), padded with the zero copy
    private final boolean[] kept; // per filter: a later filter starts from its sum
    private final boolean[] plus; // per filter: its subset is its +1 taps (else its −1 taps)
    private final int mult;
    private final int[] constCorr; // per filter: o·Σs when every position sees every tap
    private final int[][] corr; // per filter and position: o·Σs over valid taps (padded layers with o ≠ 0), else null
    private final int[] tau;
    private final boolean[] and;
    /** Short path, per filter: the threshold on d = ±(2P − S), clamped to [−S_max, S_max + 1], and how it is applied. */
    private final int[] dTau;
    private final byte[] test;
    static final byte PASS = 0, FAIL = 1, BIASED = 2, COMPARE = 3;
    private final short[] orGroup, andGroup; // per group of 16 channels: its OR (max-pooled) and AND (min-pooled) channels

    /** Whether the block can run here: byte input with a ±1 table, at most 257 taps, shifted copies within 8 MB. */
    static boolean applies(ConvBlock b, int[] signsT) {
        if (b.inputKind() != ebnn.api.binary.InputKind.BYTES || signsT == null)
            return false;
        long taps = (long) b.kernelH() * b.kernelW() * b.inputShape().channels();
        long len = (long) b.convShape().height() * rowWidth(b);
        return taps <= MAX_TAPS && taps * len <= MAX_SHIFTED;
    }

    /** The accumulator row width of a block: its padded plane width at stride 1, its conv map width when strided. */
    private static int rowWidth(ConvBlock b) {
        return b.strideH() == 1 && b.strideW() == 1 ? b.padding().left() + b.inputShape().width() + b.padding().right() : b.convShape().width();
    }

    PlaneConv(ConvBlock b, ConvShape g, int[] signsT) {
        super(g.name, g.outBits());
        this.g = g;
        Shape in = b.inputShape();
        inC = in.channels();
        inH = in.height();
        inW = in.width();
        inputSize = in.size();
        padT = b.padding().top();
        padL = b.padding().left();
        outC = b.outChannels();
        int kh = b.kernelH(), kw = b.kernelW();
        convH = b.convShape().height();
        convW = b.convShape().width();
        sh = b.strideH();
        sw = b.strideW();
        wp = padL + inW + b.padding().right();
        int hp = padT + inH + b.padding().bottom();
        // reads reach j + (kh−1)·Wp + kw−1 for j < convH·Wp, i.e. up to (convH + kh − 1)·Wp + kw − 2 (stride 1);
        // strided gathers stay inside the padded input, which the conv shape was computed from
        planeLen = Math.max(hp, convH + kh - 1) * wp + kw;
        rowWidth = rowWidth(b);
        len = convH * rowWidth;
        int taps = kh * kw * inC;
        allTaps = new int[taps];
        for (int ky = 0, k = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++)
                for (int c = 0; c < inC; c++, k++)
                    allTaps[k] = c * planeLen + ky * wp + kx;
        int[] signSum = new int[outC];
        for (int o = 0; o < outC; o++) {
            int pos = 0;
            for (int k = 0; k < taps; k++)
                pos += signsT[k * outC + o] > 0 ? 1 : 0;
            signSum[o] = 2 * pos - taps;
        }
        parent = new int[outC];
        adds = new int[outC][];
        kept = new boolean[outC];
        plus = new boolean[outC];
        ByteInput map = b.byteInput();
        mult = map.multiplier();
        int off = map.offset();
        boolean padded = padT + padL + b.padding().bottom() + b.padding().right() > 0;
        constCorr = new int[outC];
        for (int o = 0; o < outC; o++)
            constCorr[o] = off * signSum[o];
        if (off != 0 && padded) {
            // Σs over the valid taps of each position: 2·(valid +1 taps) − (valid taps), from a 0/1 validity plane
            corr = new int[outC][len];
            for (int cy = 0; cy < convH; cy++)
                for (int cx = 0; cx < convW; cx++) {
                    for (int o = 0; o < outC; o++) {
                        int s = 0;
                        for (int ky = 0, k = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++)
                                for (int c = 0; c < inC; c++, k++) {
                                    int y = cy * sh + ky - padT, x = cx * sw + kx - padL;
                                    if (y >= 0 && y < inH && x >= 0 && x < inW)
                                        s += signsT[k * outC + o];
                                }
                        corr[o][cy * rowWidth + cx] = off * s;
                    }
                }
        } else
            corr = null;
        tau = b.output().tau().toArray();
        and = new boolean[outC];
        for (int o = 0; o < outC; o++)
            and[o] = b.pool() != null && b.output().combine().get(o) == PoolCombine.AND;
        int groups = (outC + 15) >>> 4;
        orGroup = new short[groups];
        andGroup = new short[groups];
        for (int o = 0; o < outC; o++)
            if (and[o])
                andGroup[o >>> 4] |= (short) (1 << (o & 15));
            else
                orGroup[o >>> 4] |= (short) (1 << (o & 15));
        // short path: acc = m·d + o·Σs ≥ τ exactly when d ≥ the least such d; |d| ≤ S ≤ S_max = 255·taps, so a
        // threshold at or below −S_max always passes and one above S_max never does, and d − τ fits a short when
        // both ends of [−S_max − τ, S_max − τ] do (always for up to 64 taps)
        dTau = new int[outC];
        test = new byte[outC];
        int sMax = 255 * taps;
        for (int o = 0; o < outC; o++) {
            long least = -Math.floorDiv((long) constCorr[o] - tau[o], mult);
            int t = (int) Math.max(-sMax, Math.min(sMax + 1L, least));
            dTau[o] = t;
            test[o] = t <= -sMax ? PASS : t > sMax ? FAIL : -sMax - t >= Short.MIN_VALUE && sMax - t <= Short.MAX_VALUE ? BIASED : COMPARE;
        }
        boolean[] needed = new boolean[outC];
        for (int o = 0; o < outC; o++)
            needed[o] = !shortDifferences() || test[o] == BIASED || test[o] == COMPARE;
        order = plan(signsT, taps, needed);
        int b1 = shortDifferences() ? (MIN_PASS + len - 1) / len : 1;
        while (b1 > 1 && (long) b1 * len * taps > MAX_BATCH_SHIFTED)
            b1--;
        batch = Math.max(1, Math.min(MAX_BATCH, b1));
    }

    @Override
    String id() {
        return shortDifferences() ? batch > 1 ? "conv-bytes-planes-short-batched" : "conv-bytes-planes-short" : "conv-bytes-planes-int";
    }

    /**
     * Which sums each filter's P is built from. P is the byte sum over a tap subset: the filter's +1 taps
     * (d = 2P − S) or its −1 taps (d = S − 2P). A filter may start from nothing (as many copies as its
     * subset has taps) or from the P of a filter already built (as many as the subsets' symmetric
     * difference, added and subtracted; char arithmetic wraps, the final P is exact). A greedy minimum
     * spanning tree (Prim) over the filters picks each one's cheapest start: on the trained first layers
     * it roughly halves the copies summed against the smaller of each filter's two tap sets (convpool-1
     * 9.7 → 4.9 per filter, GTSRB 36 → 16.8, conv-1 18.7 → 11.3).
     */
    private int[] plan(int[] signsT, int taps, boolean[] needed) {
        int words = (taps + 63) >>> 6;
        long[][] plusSet = new long[outC][words];
        long[] all = new long[words];
        for (int k = 0; k < taps; k++) {
            all[k >>> 6] |= 1L << k;
            for (int o = 0; o < outC; o++)
                if (signsT[k * outC + o] > 0)
                    plusSet[o][k >>> 6] |= 1L << k;
        }
        int[] cost = new int[outC], from = new int[outC];
        boolean[] fromPlus = new boolean[outC], done = new boolean[outC];
        int count = 0;
        for (int o = 0; o < outC; o++) {
            done[o] = !needed[o]; // constant bits need no sum
            count += needed[o] ? 1 : 0;
            int pos = 0;
            for (long w : plusSet[o])
                pos += Long.bitCount(w);
            cost[o] = cost(-1, Math.min(pos, taps - pos));
            from[o] = -1;
            fromPlus[o] = pos <= taps - pos;
        }
        long[][] chosen = new long[outC][];
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            int best = -1;
            for (int o = 0; o < outC; o++)
                if (!done[o] && (best < 0 || cost[o] < cost[best]))
                    best = o;
            done[best] = true;
            order[i] = best;
            parent[best] = from[best];
            plus[best] = fromPlus[best];
            long[] set = new long[words];
            for (int w = 0; w < words; w++)
                set[w] = plus[best] ? plusSet[best][w] : all[w] & ~plusSet[best][w];
            chosen[best] = set;
            for (int o = 0; o < outC; o++)
                if (!done[o]) {
                    int h = 0; // |set Δ plus taps of o|; the −1 taps differ in taps − h
                    for (int w = 0; w < words; w++)
                        h += Long.bitCount(set[w] ^ plusSet[o][w]);
                    int c = cost(best, Math.min(h, taps - h));
                    if (c < cost[o]) {
                        fromPlus[o] = h <= taps - h;
                        cost[o] = c;
                        from[o] = best;
                    }
                }
        }
        int zero = 2 * taps; // the all-zero copy pads the operand lists to whole passes of four
        for (int o : order) {
            long[] base = parent[o] < 0 ? new long[words] : chosen[parent[o]];
            if (parent[o] >= 0)
                kept[parent[o]] = true;
            int[] a = new int[2 * taps], b = new int[taps];
            int na = 0, nb = 0;
            for (int k = 0; k < taps; k++) {
                boolean in = (chosen[o][k >>> 6] >>> k & 1L) != 0, inBase = (base[k >>> 6] >>> k & 1L) != 0;
                if (in && !inBase)
                    a[na++] = k;
                else if (!in && inBase)
                    b[nb++] = k;
            }
            for (int k = 0; k < nb; k++) // a subtracted tap is an added negated copy: every pass adds four, whatever the signs
                a[na++] = taps + b[k];
            // the first pass sums five operands: five copies, or the parent's sum and four
            int first = parent[o] < 0 ? 5 : 4;
            int padA = na == 0 && parent[o] < 0 ? 0 : na <= first ? first : first + (na - first + 4) / 5 * 5;
            adds[o] = java.util.Arrays.copyOf(a, padA);
            for (int k = na; k < padA; k++)
                adds[o][k] = zero;
        }
        boolean[] neg = new boolean[taps];
        for (int o : order)
            for (int k : adds[o])
                if (k >= taps && k < 2 * taps)
                    neg[k - taps] = true;
        int m = 0;
        for (boolean b : neg)
            m += b ? 1 : 0;
        negated = new int[m];
        for (int k = 0, i = 0; k < taps; k++)
            if (neg[k])
                negated[i++] = k;
        return order;
    }

    /** Passes of four operands to build a filter's sum from a parent's (−1: from nothing) with h copies, then h to break ties. */
    private static int cost(int parent, int h) {
        int passes = parent < 0 ? (h + 4) / 5 : (h + 5) / 5;
        return passes * 1024 + h;
    }

    /** Filters whose P starts from another filter's and subtracts taps from it (for the tests' coverage). */
    int builtWithSubtractions() {
        int n = 0;
        for (int o : order)
            for (int k : adds[o])
                if (parent[o] >= 0 && k >= allTaps.length && k < 2 * allTaps.length) {
                    n++;
                    break;
                }
        return n;
    }

    /** How filter o's threshold is applied on the short path: {@link #PASS}, {@link #FAIL}, {@link #BIASED} or {@link #COMPARE}. */
    byte test(int o) {
        return test[o];
    }

    @Override
    int batch() {
        return batch;
    }

    @Override
    Scratch newScratch() {
        return new Scratch(batch * inC * planeLen, allTaps.length, batch * len, shortDifferences() ? (outC + 15) >>> 4 : 0, batch,
                Bits.words(outBits) + 1, kept);
    }

    /** One image; maps shorter than {@link #MIN_PASS} run the short-pass copy of the loops (see {@link Loops}). */
    @Override
    void run(byte[] bytes, int off, long[] in, long[] out, int[] scores, Scratch s) {
        Loops l = len < MIN_PASS ? Loops.SHORT_PASS : Loops.LONG_PASS;
        prepare(bytes, off, 1, s.planes, s.shifted, s.sums, l);
        clear(out, outBits);
        if (shortDifferences()) {
            thresholdBits(1, s, l);
            emitBits(0, s.fails, out);
            return;
        }
        for (int o : order) {
            accumulators(o, filter(o, s, len, l), s.sums, s.acc);
            g.emit(o, s.acc, rowWidth, tau[o], out, and[o]);
        }
    }

    /** {@code count} (≤ {@link #batch}) images from {@code off}, back to back, in one pass; image i's bits into {@code s.outs[i]}. */
    @Override
    long[][] runBatch(byte[] bytes, int off, int count, Scratch s) {
        Loops l = count * len < MIN_PASS ? Loops.SHORT_PASS : Loops.LONG_PASS;
        prepare(bytes, off, count, s.planes, s.shifted, s.sums, l);
        thresholdBits(count, s, l);
        for (int i = 0; i < count; i++) {
            clear(s.outs[i], outBits);
            emitBits(i * len, s.fails, s.outs[i]);
        }
        return s.outs;
    }

    /**
     * The input bytes of {@code count} images into their zero-padded CHW planes, each tap's shifted view
     * (image i at i·len of every copy), then the window sums S.
     */
    void prepare(byte[] bytes, int off, int count, char[] planes, char[][] shifted, char[] sums, Loops l) {
        int imagePlanes = inC * planeLen;
        for (int i = 0; i < count; i++) {
            int base = i * imagePlanes;
            for (int y = 0; y < inH; y++) {
                int row = base + (y + padT) * wp + padL;
                int src = off + i * inputSize + y * inW * inC;
                if (inC == 1)
                    for (int x = 0; x < inW; x++)
                        planes[row + x] = (char) (bytes[src + x] & 0xff);
                else
                    for (int x = 0; x < inW; x++)
                        for (int c = 0; c < inC; c++)
                            planes[c * planeLen + row + x] = (char) (bytes[src++] & 0xff);
            }
        }
        int[] t = allTaps;
        for (int k = 0; k < t.length; k++) {
            char[] dst = shifted[k];
            for (int i = 0; i < count; i++) {
                int from = i * imagePlanes + t[k], j = i * len;
                if (sh == 1 && sw == 1)
                    System.arraycopy(planes, from, dst, j, len);
                else
                    for (int cy = 0; cy < convH; cy++)
                        for (int cx = 0, src = from + cy * sh * wp; cx < convW; cx++, j++, src += sw)
                            dst[j] = planes[src];
            }
        }
        int taps = t.length, n = count * len;
        for (int k : negated)
            l.negate(shifted[taps + k], shifted[k], n);
        sum(sums, shifted, taps, n, l);
    }

    /** Filter o's P at the first {@code n} positions (its parent's P already built), in {@code s.subsets[o]}. */
    char[] filter(int o, Scratch s, int n, Loops l) {
        char[] dst = s.subsets[o];
        char[][] v = s.shifted;
        int[] a = adds[o];
        int i;
        if (parent[o] >= 0) {
            l.set5(dst, s.subsets[parent[o]], v[a[0]], v[a[1]], v[a[2]], v[a[3]], n);
            i = 4;
        } else if (a.length == 0) {
            Arrays.fill(dst, 0, n, (char) 0);
            i = 0;
        } else {
            l.set5(dst, v[a[0]], v[a[1]], v[a[2]], v[a[3]], v[a[4]], n);
            i = 5;
        }
        for (; i < a.length; i += 5)
            l.add5(dst, v[a[i]], v[a[i + 1]], v[a[i + 2]], v[a[i + 3]], v[a[i + 4]], n);
        return dst;
    }

    /** dst = Σ of the first m shifted copies (the window sums S), four at a time. */
    private static void sum(char[] dst, char[][] sh, int m, int n, Loops l) {
        Arrays.fill(dst, 0, n, (char) 0);
        int k = 0;
        for (; k + 4 <= m; k += 4)
            l.add4(dst, sh[k], sh[k + 1], sh[k + 2], sh[k + 3], n);
        for (; k < m; k++)
            l.add1(dst, sh[k], n);
    }

    /** Whether the short path applies: |2P − S| ≤ S ≤ 128 · 255 fits a short and Σs is the same at every position. */
    boolean shortDifferences() {
        return allTaps.length <= 128 && corr == null;
    }

    /**
     * Short path: every filter's threshold bit at every position of {@code count} images, as fail bits packed 16
     * filters to a short ({@code s.fails}), all in vector loops: d − τ (a short, see {@link #dTau}) and its sign.
     */
    void thresholdBits(int count, Scratch s, Loops l) {
        int n = count * len;
        for (short[] f : s.fails)
            Arrays.fill(f, 0, n, (short) 0);
        for (int o = 0; o < outC; o++)
            if (test[o] == FAIL)
                l.orAll(s.fails[o >>> 4], 1 << (o & 15), n);
        for (int o : order) { // the filters whose bits depend on the input
            short[] f = s.fails[o >>> 4];
            int bit = 1 << (o & 15);
            switch (test[o]) {
            case BIASED -> {
                char[] p = filter(o, s, n, l);
                if (plus[o])
                    l.plusBiased(p, s.sums, s.diffs, dTau[o], n);
                else
                    l.minusBiased(p, s.sums, s.diffs, dTau[o], n);
                l.signBits(f, s.diffs, bit, n);
            }
            default -> compare(o, filter(o, s, n, l), s.sums, f, bit, n);
            }
        }
    }

    /** The scalar test for a threshold whose d − τ would not fit a short ({@link #COMPARE}). */
    private void compare(int o, char[] p, char[] sums, short[] f, int bit, int n) {
        int t = dTau[o];
        boolean pl = plus[o];
        for (int j = 0; j < n; j++) {
            int d = pl ? 2 * p[j] - sums[j] : sums[j] - 2 * p[j];
            if (d < t)
                f[j] = (short) (f[j] | bit);
        }
    }

    /**
     * One image's output bits (its positions from {@code base}) from the packed fail bits: per output position
     * and group of 16 channels, the pass bits themselves, or over the pool window OR (max-pooled channels: not all
     * fail) and AND (min-pooled: none fails) of 16 channels at once.
     */
    void emitBits(int base, short[][] fails, long[] out) {
        int groups = fails.length;
        if (!g.pooled) {
            for (int cy = 0; cy < convH; cy++)
                for (int cx = 0; cx < convW; cx++) {
                    int j = base + cy * rowWidth + cx, bit = (cy * convW + cx) * outC;
                    long word = 0; // up to 64 channels written at once
                    for (int gi = 0; gi < groups; gi++) {
                        int width = Math.min(16, outC - 16 * gi);
                        word |= (long) (~fails[gi][j] & (int) Bits.low(width)) << (16 * (gi & 3));
                        if ((gi & 3) == 3 || gi == groups - 1) {
                            int at = gi & ~3;
                            Bits.or(out, bit + 16 * at, word, Math.min(64, outC - 16 * at));
                            word = 0;
                        }
                    }
                }
            return;
        }
        if (g.pool2x2 && groups <= 4) {
            // the common 2x2 stride-2 pool with every window inside the map: four reads per group, unrolled
            for (int py = 0; py < g.outH; py++)
                for (int px = 0; px < g.outW; px++) {
                    int j = base + 2 * py * rowWidth + 2 * px;
                    long word = 0;
                    for (int gi = 0; gi < groups; gi++) {
                        short[] f = fails[gi];
                        int a = f[j], b = f[j + 1], c = f[j + rowWidth], e = f[j + rowWidth + 1];
                        int v = (~(a & b & c & e) & orGroup[gi]) | (~(a | b | c | e) & andGroup[gi]);
                        word |= (long) (v & (int) Bits.low(Math.min(16, outC - 16 * gi))) << (16 * gi);
                    }
                    Bits.or(out, (py * g.outW + px) * outC, word, outC);
                }
            return;
        }
        for (int py = 0; py < g.outH; py++) {
            int cy0 = py * g.psh - g.ppT;
            int cyLo = Math.max(cy0, 0), cyHi = Math.min(cy0 + g.pkh, convH);
            for (int px = 0; px < g.outW; px++) {
                int cx0 = px * g.psw - g.ppL;
                int cxLo = Math.max(cx0, 0), cxHi = Math.min(cx0 + g.pkw, convW);
                int bit = (py * g.outW + px) * outC;
                long word = 0;
                for (int gi = 0; gi < groups; gi++) {
                    short[] f = fails[gi];
                    int v;
                    if (andGroup[gi] == 0) { // max-pooled channels only: the bit is set unless every position fails
                        int allFail = 0xffff;
                        for (int cy = cyLo; cy < cyHi; cy++)
                            for (int j = base + cy * rowWidth + cxLo, e = j + cxHi - cxLo; j < e; j++)
                                allFail &= f[j];
                        v = ~allFail;
                    } else {
                        int allFail = 0xffff, anyFail = 0;
                        for (int cy = cyLo; cy < cyHi; cy++)
                            for (int j = base + cy * rowWidth + cxLo, e = j + cxHi - cxLo; j < e; j++) {
                                allFail &= f[j];
                                anyFail |= f[j];
                            }
                        v = (~allFail & orGroup[gi]) | (~anyFail & andGroup[gi]);
                    }
                    int width = Math.min(16, outC - 16 * gi);
                    word |= (long) (v & (int) Bits.low(width)) << (16 * (gi & 3));
                    if ((gi & 3) == 3 || gi == groups - 1) { // up to 64 channels written at once
                        int at = gi & ~3;
                        Bits.or(out, bit + 16 * at, word, Math.min(64, outC - 16 * at));
                        word = 0;
                    }
                }
            }
        }
    }

    /** Filter o's exact integer accumulator at every position j = cy·Wp + cx into {@code acc}, from {@link #filter}'s P. */
    void accumulators(int o, char[] p, char[] sums, int[] acc) {
        int n = len, m = mult;
        int[] cr = corr != null ? corr[o] : null;
        int c0 = constCorr[o];
        if (plus[o])
            for (int j = 0; j < n; j++)
                acc[j] = m * (2 * p[j] - sums[j]) + (cr != null ? cr[j] : c0);
        else
            for (int j = 0; j < n; j++)
                acc[j] = m * (sums[j] - 2 * p[j]) + (cr != null ? cr[j] : c0);
    }

    /**
     * The vector loops (long loops over arrays at the same index, which C2's superword pass vectorises),
     * in two identical copies: C2 shapes a loop's machine code by the trip counts profiled for its method,
     * shared by every caller, so one-image passes over short maps (tens of positions) get their own copy
     * and do not slow the long passes of other models in the same JVM (measured: conv-1's 25-position
     * passes, run first, made convpool-1's 672-position passes 2.4x slower).
     */
    abstract static class Loops {
        static final Loops LONG_PASS = new LongPass(), SHORT_PASS = new ShortPass();

        abstract void set5(char[] d, char[] a, char[] b, char[] c, char[] e, char[] f, int n);

        abstract void add5(char[] d, char[] a, char[] b, char[] c, char[] e, char[] f, int n);

        abstract void add4(char[] d, char[] a, char[] b, char[] c, char[] e, int n);

        abstract void negate(char[] d, char[] a, int n);

        abstract void add1(char[] d, char[] a, int n);

        /** d = 2P − S − τ (fits a short: {@link #BIASED}). */
        abstract void plusBiased(char[] p, char[] sums, short[] d, int t, int n);

        /** d = S − 2P − τ. */
        abstract void minusBiased(char[] p, char[] sums, short[] d, int t, int n);

        /** f |= bit where d is negative (below the threshold): an arithmetic shift of the loaded short. */
        abstract void signBits(short[] f, short[] d, int bit, int n);

        abstract void orAll(short[] f, int bit, int n);
    }

    private static final class LongPass extends Loops {
        @Override
        void set5(char[] d, char[] a, char[] b, char[] c, char[] e, char[] f, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (char) (a[j] + b[j] + c[j] + e[j] + f[j]);
        }

        @Override
        void add5(char[] d, char[] a, char[] b, char[] c, char[] e, char[] f, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (char) (d[j] + a[j] + b[j] + c[j] + e[j] + f[j]);
        }

        @Override
        void negate(char[] d, char[] a, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (char) -a[j];
        }

        @Override
        void add4(char[] d, char[] a, char[] b, char[] c, char[] e, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (char) (d[j] + a[j] + b[j] + c[j] + e[j]);
        }

        @Override
        void add1(char[] d, char[] a, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (char) (d[j] + a[j]);
        }

        @Override
        void plusBiased(char[] p, char[] sums, short[] d, int t, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (short) (2 * p[j] - sums[j] - t);
        }

        @Override
        void minusBiased(char[] p, char[] sums, short[] d, int t, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (short) (sums[j] - 2 * p[j] - t);
        }

        @Override
        void signBits(short[] f, short[] d, int bit, int n) {
            for (int j = 0; j < n; j++)
                f[j] = (short) (f[j] | ((d[j] >> 15) & bit));
        }

        @Override
        void orAll(short[] f, int bit, int n) {
            for (int j = 0; j < n; j++)
                f[j] = (short) (f[j] | bit);
        }
    }

    /** The same code as {@link LongPass}, kept apart for its own trip-count profile. */
    private static final class ShortPass extends Loops {
        @Override
        void set5(char[] d, char[] a, char[] b, char[] c, char[] e, char[] f, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (char) (a[j] + b[j] + c[j] + e[j] + f[j]);
        }

        @Override
        void add5(char[] d, char[] a, char[] b, char[] c, char[] e, char[] f, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (char) (d[j] + a[j] + b[j] + c[j] + e[j] + f[j]);
        }

        @Override
        void negate(char[] d, char[] a, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (char) -a[j];
        }

        @Override
        void add4(char[] d, char[] a, char[] b, char[] c, char[] e, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (char) (d[j] + a[j] + b[j] + c[j] + e[j]);
        }

        @Override
        void add1(char[] d, char[] a, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (char) (d[j] + a[j]);
        }

        @Override
        void plusBiased(char[] p, char[] sums, short[] d, int t, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (short) (2 * p[j] - sums[j] - t);
        }

        @Override
        void minusBiased(char[] p, char[] sums, short[] d, int t, int n) {
            for (int j = 0; j < n; j++)
                d[j] = (short) (sums[j] - 2 * p[j] - t);
        }

        @Override
        void signBits(short[] f, short[] d, int bit, int n) {
            for (int j = 0; j < n; j++)
                f[j] = (short) (f[j] | ((d[j] >> 15) & bit));
        }

        @Override
        void orAll(short[] f, int bit, int n) {
            for (int j = 0; j < n; j++)
                f[j] = (short) (f[j] | bit);
        }
    }
}
