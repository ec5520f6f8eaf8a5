package ebnn.runtime.java;

import java.nio.file.Files;
import java.nio.file.Path;

import ebnn.api.binary.ConvBlock;

/**
 * A bit-input convolution without conv padding, computed filter by filter over all conv positions
 * at once: the windows are gathered once per inference into a word-major, position-minor table
 * ({@code x[w][p]}, 32-bit words), and each filter then runs, per word, one long loop
 * {@code pc[p] += Integer.bitCount(weightWord ^ x[w][p])} over the positions. On cores with
 * AVX-512 VPOPCNTDQ, C2 vectorises that loop (16 popcounts per instruction), several times the
 * scalar 64-bit popcount rate; elsewhere it would not vectorise and the per-position 64-bit path
 * is faster, so {@link #enabled()} picks it only where the CPU has the instruction.
 */
final class PositionConv extends Kernel<PositionConv.Scratch> {
    /** The window table and one filter's accumulators. */
    static final class Scratch {
        final long[] win;
        final int[][] x; // windows, word-major [word][position]
        final int[] acc;

        Scratch(int windowLongs, int words, int positions) {
            win = new long[windowLongs + 1];
            x = new int[words][positions];
            acc = new int[positions];
        }
    }

    /** Fewer positions than this do not fill the vector loop: the per-position path is used. */
    static final int MIN_POSITIONS = 128;

    private static final boolean ENABLED = detect();

    private final int inC, inW, kh, kw, sh, sw, outC, convH, convW, taps;
    final int positions, words; // conv positions, 32-bit words per window
    private final int[][] weights; // [filter][word]

    private static boolean detect() {
        String p = System.getProperty("ebnn.jvm.positionConv", "auto");
        if (!p.equals("auto"))
            return Boolean.parseBoolean(p);
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (l.startsWith("flags"))
                    return (" " + l + " ").contains(" avx512_vpopcntdq ");
        } catch (Exception | Error e) {
            // not Linux, or no access: keep the portable path
        }
        return false;
    }

    static boolean enabled() {
        return ENABLED;
    }

    static boolean applies(ConvBlock b) {
        var p = b.padding();
        return ENABLED && b.inputKind() == ebnn.api.binary.InputKind.BITS && p.top() == 0 && p.left() == 0 && p.bottom() == 0 && p.right() == 0
                && (long) b.convShape().height() * b.convShape().width() >= MIN_POSITIONS;
    }

    private final ConvShape g;

    PositionConv(ConvBlock b, ConvShape g) {
        super(g.name, g.outBits());
        this.g = g;
        long[] weightWords = g.weights;
        int wpr = g.wpr;
        inC = b.inputShape().channels();
        inW = b.inputShape().width();
        kh = b.kernelH();
        kw = b.kernelW();
        sh = b.strideH();
        sw = b.strideW();
        outC = b.outChannels();
        convH = b.convShape().height();
        convW = b.convShape().width();
        taps = kh * kw * inC;
        positions = convH * convW;
        words = (taps + 31) >>> 5;
        weights = new int[outC][words];
        for (int o = 0; o < outC; o++)
            for (int w = 0; w < words; w++)
                weights[o][w] = (int) (weightWords[o * wpr + (w >>> 1)] >>> ((w & 1) * 32));
    }

    @Override
    String id() {
        return "conv-bits-positions";
    }

    @Override
    Scratch newScratch() {
        return new Scratch(g.wpr, words, positions);
    }

    /** Filter by filter over all positions, then threshold and pool. */
    @Override
    void run(byte[] bytes, int off, long[] in, long[] out, int[] scores, Scratch s) {
        gather(in, s.win, s.x);
        clear(out, outBits);
        for (int o = 0; o < outC; o++) {
            filter(o, s.x, s.acc);
            g.emit(o, s.acc, convW, g.tau[o], out, g.and(o));
        }
    }

    /** Every position's window (bits past the taps are 0, as in the weight rows) into {@code x[w][p]}. */
    void gather(long[] in, long[] win, int[][] x) {
        int run = kw * inC, wl = (taps + 63) >>> 6;
        for (int cy = 0, p = 0; cy < convH; cy++)
            for (int cx = 0; cx < convW; cx++, p++) {
                java.util.Arrays.fill(win, 0, wl + 1, 0L);
                int iy0 = cy * sh, ix0 = cx * sw;
                for (int ky = 0; ky < kh; ky++)
                    Bits.copy(in, ((iy0 + ky) * inW + ix0) * inC, win, ky * run, run);
                for (int w = 0; w < words; w++)
                    x[w][p] = (int) (win[w >>> 1] >>> ((w & 1) * 32));
            }
    }

    /** Filter o's accumulator taps − 2·popcount at every position p = cy·convW + cx into {@code acc}. */
    void filter(int o, int[][] x, int[] acc) {
        int n = positions;
        java.util.Arrays.fill(acc, 0, n, 0);
        int[] wo = weights[o];
        int w = 0;
        for (; w + 4 <= words; w += 4)
            popcount4(acc, x[w], wo[w], x[w + 1], wo[w + 1], x[w + 2], wo[w + 2], x[w + 3], wo[w + 3], n);
        for (; w < words; w++)
            popcount(acc, x[w], wo[w], n);
        for (int p = 0; p < n; p++)
            acc[p] = taps - 2 * acc[p];
    }

    /** Four words per pass: one load and store of the counts per four popcounts. */
    private static void popcount4(int[] pc, int[] x0, int w0, int[] x1, int w1, int[] x2, int w2, int[] x3, int w3, int n) {
        for (int p = 0; p < n; p++)
            pc[p] += Integer.bitCount(w0 ^ x0[p]) + Integer.bitCount(w1 ^ x1[p]) + Integer.bitCount(w2 ^ x2[p]) + Integer.bitCount(w3 ^ x3[p]);
    }

    private static void popcount(int[] pc, int[] x, int w, int n) {
        for (int p = 0; p < n; p++)
            pc[p] += Integer.bitCount(w ^ x[p]);
    }
}
