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
 * +1 (−1), and Σs is the sum of the signs of the valid taps. Each filter adds only the smaller of its
 * two tap sets (at most half the taps). p is the raw byte 0..255 and a layer has at most 257 taps, so
 * S and P fit an unsigned 16-bit {@code char}: 257 · 255 = 65,535.
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
    /** One thread's planes, shifted copies and per-filter rows. */
    static final class Scratch {
        final char[] planes, p, sums; // zero-padded input planes, one filter's P, window sums S
        final char[][] shifted; // one shifted copy of the planes per tap
        final int[] acc; // one filter's accumulators
        final short[] diffs; // one filter's ±(2P − S)

        Scratch(int planeChars, int taps, int len) {
            planes = new char[planeChars];
            p = new char[len];
            sums = new char[len];
            shifted = new char[taps][len];
            acc = new int[len];
            diffs = new short[len];
        }
    }

    private final ConvShape g;
    /** Most taps whose byte sum fits a char: 257 · 255 = 65,535. */
    static final int MAX_TAPS = 257;
    /** Shifted copies kept per thread at most (chars): 4 M = 8 MB. */
    static final long MAX_SHIFTED = 1 << 22;

    private final int inC, inH, inW, padT, padL, outC, convH, convW, sh, sw;
    final int wp, planeLen, len; // plane width, one padded plane (+ spare), accumulator length convH·rowWidth
    /** Accumulator row width: Wp for stride 1 (the shifted views are plane copies), convW when strided (gathered). */
    final int rowWidth;
    private final int[] allTaps; // offsets of every tap (ky, kx, c) into the planes array
    private final int[][] sel; // per filter: indices (into allTaps) of its smaller tap set
    private final boolean[] plus; // per filter: sel holds the +1 taps (else the −1 taps)
    private final int mult;
    private final int[] constCorr; // per filter: o·Σs when every position sees every tap
    private final int[][] corr; // per filter and position: o·Σs over valid taps (padded layers with o ≠ 0), else null
    private final int[] tau;
    private final boolean[] and;

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
        sel = new int[outC][];
        plus = new boolean[outC];
        int[] signSum = new int[outC];
        for (int o = 0; o < outC; o++) {
            int pos = 0;
            for (int k = 0; k < taps; k++)
                pos += signsT[k * outC + o] > 0 ? 1 : 0;
            signSum[o] = 2 * pos - taps;
            plus[o] = pos <= taps - pos;
            int[] s = new int[plus[o] ? pos : taps - pos];
            for (int k = 0, n = 0; k < taps; k++)
                if ((signsT[k * outC + o] > 0) == plus[o])
                    s[n++] = k;
            sel[o] = s;
        }
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
    }

    @Override
    String id() {
        return shortDifferences() ? "conv-bytes-planes-short" : "conv-bytes-planes-int";
    }

    @Override
    Scratch newScratch() {
        return new Scratch(inC * planeLen, allTaps.length, len);
    }

    /** Filter by filter over whole planes (or gathered views, strided); pooling takes the max (OR) or min (AND) accumulator of each window. */
    @Override
    void run(byte[] bytes, int off, long[] in, long[] out, int[] scores, Scratch s) {
        boolean small = shortDifferences();
        prepare(bytes, off, s.planes, s.shifted, s.sums);
        clear(out, outBits);
        for (int o = 0; o < outC; o++) {
            filter(o, s.shifted, s.p);
            if (small) {
                differences(o, s.p, s.sums, s.diffs);
                g.emit(o, s.diffs, rowWidth, dTau(o), out, and[o]);
            } else {
                accumulators(o, s.p, s.sums, s.acc);
                g.emit(o, s.acc, rowWidth, tau[o], out, and[o]);
            }
        }
    }

    /** The input bytes into the zero-padded CHW planes, each tap's shifted view, then the window sums S. */
    void prepare(byte[] bytes, int off, char[] planes, char[][] shifted, char[] sums) {
        Arrays.fill(planes, 0, inC * planeLen, (char) 0);
        for (int y = 0; y < inH; y++) {
            int row = (y + padT) * wp + padL;
            int src = off + y * inW * inC;
            for (int x = 0; x < inW; x++)
                for (int c = 0; c < inC; c++)
                    planes[c * planeLen + row + x] = (char) (bytes[src++] & 0xff);
        }
        int[] t = allTaps;
        if (sh == 1 && sw == 1)
            for (int k = 0; k < t.length; k++)
                System.arraycopy(planes, t[k], shifted[k], 0, len);
        else
            for (int k = 0; k < t.length; k++) {
                char[] dst = shifted[k];
                for (int cy = 0, j = 0; cy < convH; cy++)
                    for (int cx = 0, src = t[k] + cy * sh * wp; cx < convW; cx++, j++, src += sw)
                        dst[j] = planes[src];
            }
        sum(sums, shifted, null);
    }

    /** Filter o's P at every position into {@code p}. */
    void filter(int o, char[][] shifted, char[] p) {
        sum(p, shifted, sel[o]);
    }

    /** dst = Σ of the shifted arrays listed (all when {@code which} is null), four at a time. */
    private void sum(char[] dst, char[][] sh, int[] which) {
        int n = len, m = which == null ? sh.length : which.length;
        Arrays.fill(dst, 0, n, (char) 0);
        int k = 0;
        for (; k + 4 <= m; k += 4)
            if (which == null)
                add4(dst, sh[k], sh[k + 1], sh[k + 2], sh[k + 3], n);
            else
                add4(dst, sh[which[k]], sh[which[k + 1]], sh[which[k + 2]], sh[which[k + 3]], n);
        for (; k < m; k++)
            add1(dst, sh[which == null ? k : which[k]], n);
    }

    /** Whether {@link #differences} applies: |2P − S| ≤ S ≤ 128 · 255 fits a short and Σs is the same at every position. */
    boolean shortDifferences() {
        return allTaps.length <= 128 && corr == null;
    }

    /**
     * Filter o's d = ±(2P − S) at every position into {@code d} (short; acc = m·d + o·Σs, so acc ≥ τ
     * exactly when d ≥ {@link #dTau}). Vectorised: same index, 16-bit lanes.
     */
    void differences(int o, char[] p, char[] sums, short[] d) {
        int n = len;
        if (plus[o])
            for (int j = 0; j < n; j++)
                d[j] = (short) (2 * p[j] - sums[j]);
        else
            for (int j = 0; j < n; j++)
                d[j] = (short) (sums[j] - 2 * p[j]);
    }

    /** The threshold on d equivalent to acc ≥ τ: the least d with m·d + o·Σs ≥ τ (m > 0). */
    int dTau(int o) {
        return -Math.floorDiv(constCorr[o] - tau[o], mult);
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

    // the kernels: long loops over arrays at the same index (vectorised by C2's superword pass)

    private static void add4(char[] d, char[] a, char[] b, char[] c, char[] e, int n) {
        for (int j = 0; j < n; j++)
            d[j] = (char) (d[j] + a[j] + b[j] + c[j] + e[j]);
    }

    private static void add1(char[] d, char[] a, int n) {
        for (int j = 0; j < n; j++)
            d[j] = (char) (d[j] + a[j]);
    }
}
