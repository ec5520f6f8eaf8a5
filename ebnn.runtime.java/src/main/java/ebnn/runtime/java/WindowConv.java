package ebnn.runtime.java;

import java.util.Arrays;

import ebnn.api.binary.ByteInput;
import ebnn.api.binary.ConvBlock;

/**
 * The per-position conv kernels: each conv position's channel bits are computed from its window,
 * pooled windows OR (AND) those bits as they come, so the conv map is never stored. The fallback
 * kernels for blocks the whole-map kernels ({@link PlaneConv}, {@link PositionConv}) do not take.
 */
abstract class WindowConv<S extends WindowConv.Scratch> extends Kernel<S> {
    /** One position's channel bits and the pool accumulators. */
    static class Scratch {
        final long[] chBits, orAcc, andAcc;

        Scratch(int channelWords) {
            chBits = new long[channelWords + 1];
            orAcc = new long[channelWords + 1];
            andAcc = new long[channelWords + 1];
        }
    }

    final ConvShape g;

    WindowConv(ConvShape g) {
        super(g.name, g.outBits());
        this.g = g;
    }

    /** Threshold bits of all output channels at conv position (oy, ox) into {@code s.chBits}. */
    abstract void position(int oy, int ox, long[] in, S s);

    /** Once per inference before the positions (e.g. mapping the input bytes). */
    void prepare(byte[] bytes, int off, S s) {
    }

    @Override
    final void run(byte[] bytes, int off, long[] in, long[] out, int[] scores, S s) {
        prepare(bytes, off, s);
        clear(out, outBits);
        long[] bits = s.chBits;
        int outC = g.outC, cw = g.cw;
        if (!g.pooled) {
            for (int oy = 0; oy < g.convH; oy++)
                for (int ox = 0; ox < g.convW; ox++) {
                    position(oy, ox, in, s);
                    Bits.copy(bits, 0, out, (oy * g.convW + ox) * outC, outC);
                }
            return;
        }
        long[] any = s.orAcc;
        long[] all = s.andAcc;
        for (int py = 0; py < g.outH; py++) {
            int cy0 = py * g.psh - g.ppT;
            int cyLo = Math.max(cy0, 0), cyHi = Math.min(cy0 + g.pkh, g.convH);
            for (int px = 0; px < g.outW; px++) {
                int cx0 = px * g.psw - g.ppL;
                int cxLo = Math.max(cx0, 0), cxHi = Math.min(cx0 + g.pkw, g.convW);
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
                    bits[w] = g.anyAnd ? (any[w] & g.orMask[w]) | (all[w] & g.andMask[w]) : any[w];
                Bits.copy(bits, 0, out, (py * g.outW + px) * outC, outC);
            }
        }
    }

    /** The valid tap range of the window at conv position (oy, ox): {kyLo, kyHi, kxLo, kxHi, iy0, ix0}. */
    final void window(int oy, int ox, int[] r) {
        int iy0 = oy * g.sh - g.padT;
        int ix0 = ox * g.sw - g.padL;
        int kyLo = Math.max(0, -iy0), kyHi = Math.min(g.kh, g.inH - iy0);
        int kxLo = Math.max(0, -ix0), kxHi = Math.min(g.kw, g.inW - ix0);
        if (kxHi <= kxLo || kyHi <= kyLo) // window entirely in the padding: no tap counts, acc = 0
            kyHi = kyLo = kxHi = kxLo = 0;
        r[0] = kyLo;
        r[1] = kyHi;
        r[2] = kxLo;
        r[3] = kxHi;
        r[4] = iy0;
        r[5] = ix0;
    }

    /** Byte input, per position: Σ ±q over the valid taps (a tap-major ±1 table, or the weight bits of huge layers). */
    static final class OnBytes extends WindowConv<OnBytes.Bytes> {
        static final class Bytes extends Scratch {
            final int[] q, qwin, range = new int[6];

            Bytes(int channelWords, int inputs, int window) {
                super(channelWords);
                q = new int[inputs];
                qwin = new int[window];
            }
        }

        private final ByteInput map;
        /** ±1 per (tap, channel), tap-major, so the inner loop runs over channels and vectorises; null: read the bits. */
        private final int[] signsT;

        OnBytes(ConvBlock b, ConvShape g, int[] signsT) {
            super(g);
            map = b.byteInput();
            this.signsT = signsT;
        }

        @Override
        String id() {
            return signsT != null ? "conv-bytes-window-signs" : "conv-bytes-window-bits";
        }

        @Override
        Bytes newScratch() {
            return new Bytes(g.cw, g.inC * g.inH * g.inW, Math.max(g.taps, g.outC));
        }

        @Override
        void prepare(byte[] bytes, int off, Bytes s) {
            mapBytes(map, bytes, off, g.inC * g.inH * g.inW, s.q);
        }

        @Override
        void position(int oy, int ox, long[] in, Bytes s) {
            long[] bits = s.chBits;
            Arrays.fill(bits, 0, g.cw + 1, 0L);
            int[] r = s.range;
            window(oy, ox, r);
            int kyLo = r[0], kyHi = r[1], kxLo = r[2], kxHi = r[3], iy0 = r[4], ix0 = r[5];
            int inC = g.inC, outC = g.outC;
            int[] q = s.q;
            if (signsT != null) {
                // acc[o] = Σ over valid taps of ±q; padding taps are simply not visited (contribute 0)
                int[] acc = s.qwin;
                Arrays.fill(acc, 0, outC, 0);
                for (int ky = kyLo; ky < kyHi; ky++)
                    for (int kx = kxLo; kx < kxHi; kx++) {
                        int base = ((iy0 + ky) * g.inW + ix0 + kx) * inC;
                        int tap = (ky * g.kw + kx) * inC;
                        for (int c = 0; c < inC; c++) {
                            int v = q[base + c];
                            int row = (tap + c) * outC;
                            for (int o = 0; o < outC; o++)
                                acc[o] += signsT[row + o] * v;
                        }
                    }
                for (int o = 0; o < outC; o++)
                    if (acc[o] >= g.tau[o])
                        bits[o >>> 6] |= 1L << o;
                return;
            }
            int run = (kxHi - kxLo) * inC;
            int[] win = s.qwin;
            Arrays.fill(win, 0, g.taps, 0); // padding taps contribute 0
            for (int ky = kyLo; ky < kyHi; ky++)
                System.arraycopy(q, ((iy0 + ky) * g.inW + ix0 + kxLo) * inC, win, (ky * g.kw + kxLo) * inC, run);
            for (int o = 0; o < outC; o++)
                if (dotBits(g.weights, o * g.wpr, win, g.taps) >= g.tau[o])
                    bits[o >>> 6] |= 1L << o;
        }
    }

    /** Bit input, per position: the window's bits copied out, XOR + popcount per filter (valid taps masked at the border). */
    static final class OnBits extends WindowConv<OnBits.Words> {
        static final class Words extends Scratch {
            final long[] win, mask;
            final int[] popcounts, range = new int[6];

            Words(int channelWords, int windowWords, int rows) {
                super(channelWords);
                win = new long[windowWords + 1];
                mask = new long[windowWords + 1];
                popcounts = new int[rows];
            }
        }

        OnBits(ConvShape g) {
            super(g);
        }

        @Override
        String id() {
            return "conv-bits-window";
        }

        @Override
        Words newScratch() {
            return new Words(g.cw, g.wpr, g.outC);
        }

        @Override
        void position(int oy, int ox, long[] in, Words s) {
            long[] bits = s.chBits;
            Arrays.fill(bits, 0, g.cw + 1, 0L);
            int[] r = s.range;
            window(oy, ox, r);
            int kyLo = r[0], kyHi = r[1], kxLo = r[2], kxHi = r[3], iy0 = r[4], ix0 = r[5];
            int inC = g.inC, outC = g.outC, wpr = g.wpr;
            boolean interior = kyLo == 0 && kyHi == g.kh && kxLo == 0 && kxHi == g.kw;
            int run = (kxHi - kxLo) * inC;
            long[] win = s.win;
            Arrays.fill(win, 0, wpr + 1, 0L);
            for (int ky = kyLo; ky < kyHi; ky++)
                Bits.copy(in, ((iy0 + ky) * g.inW + ix0 + kxLo) * inC, win, (ky * g.kw + kxLo) * inC, run);
            if (interior) {
                int[] pc = s.popcounts;
                popcounts(win, g.weights, wpr, outC, pc);
                for (int o = 0; o < outC; o++)
                    if (g.taps - 2 * pc[o] >= g.tau[o])
                        bits[o >>> 6] |= 1L << o;
                return;
            }
            // border: only valid taps count, acc = n_valid − 2·popcount over them
            long[] mask = s.mask;
            Arrays.fill(mask, 0, wpr + 1, 0L);
            for (int ky = kyLo; ky < kyHi; ky++)
                Bits.set(mask, (ky * g.kw + kxLo) * inC, run);
            int valid = 0;
            for (int w = 0; w < wpr; w++)
                valid += Long.bitCount(mask[w]);
            for (int o = 0; o < outC; o++) {
                int pc = 0;
                int row = o * wpr;
                for (int w = 0; w < wpr; w++)
                    pc += Long.bitCount((win[w] ^ g.weights[row + w]) & mask[w]);
                if (valid - 2 * pc >= g.tau[o])
                    bits[o >>> 6] |= 1L << o;
            }
        }
    }

    /**
     * Bit input without conv padding over few positions (fewer than {@link PositionConv#MIN_POSITIONS},
     * too short for its loops over positions), on a CPU with a vector popcount: per position, each of
     * the window's 32-bit words against every filter at once, {@code pc[o] += bitCount(x ^ w[o])} over
     * the filters (C2 vectorises it where {@link PositionConv#enabled()}).
     */
    static final class ByFilters extends WindowConv<ByFilters.Words> {
        static final class Words extends Scratch {
            final long[] win;
            final int[] popcounts;

            Words(int channelWords, int windowWords, int rows) {
                super(channelWords);
                win = new long[windowWords + 1];
                popcounts = new int[rows];
            }
        }

        /** Fewer filters than this do not fill the vector loop. */
        static final int MIN_FILTERS = 16;

        static boolean applies(ConvBlock b) {
            var p = b.padding();
            return PositionConv.enabled() && b.inputKind() == ebnn.api.binary.InputKind.BITS && p.top() == 0 && p.left() == 0 && p.bottom() == 0
                    && p.right() == 0 && b.outChannels() >= MIN_FILTERS;
        }

        private final int words; // 32-bit words per window
        private final int[][] byWord; // [word][filter]: the filters' weight words, filter-minor

        ByFilters(ConvShape g) {
            super(g);
            words = (g.taps + 31) >>> 5;
            byWord = new int[words][g.outC];
            for (int w = 0; w < words; w++)
                for (int o = 0; o < g.outC; o++)
                    byWord[w][o] = (int) (g.weights[o * g.wpr + (w >>> 1)] >>> ((w & 1) * 32));
        }

        @Override
        String id() {
            return "conv-bits-window-filters";
        }

        @Override
        Words newScratch() {
            return new Words(g.cw, g.wpr, g.outC);
        }

        @Override
        void position(int oy, int ox, long[] in, Words s) {
            long[] bits = s.chBits;
            Arrays.fill(bits, 0, g.cw + 1, 0L);
            int inC = g.inC, outC = g.outC, run = g.kw * inC;
            long[] win = s.win;
            Arrays.fill(win, 0L);
            int iy0 = oy * g.sh, ix0 = ox * g.sw;
            for (int ky = 0; ky < g.kh; ky++)
                Bits.copy(in, ((iy0 + ky) * g.inW + ix0) * inC, win, ky * run, run);
            int[] pc = s.popcounts;
            Arrays.fill(pc, 0);
            for (int w = 0; w < words; w++)
                popcount(pc, (int) (win[w >>> 1] >>> ((w & 1) * 32)), byWord[w], outC);
            for (int o = 0; o < outC; o++)
                if (g.taps - 2 * pc[o] >= g.tau[o])
                    bits[o >>> 6] |= 1L << o;
        }

        private static void popcount(int[] pc, int x, int[] w, int n) {
            for (int o = 0; o < n; o++)
                pc[o] += Integer.bitCount(x ^ w[o]);
        }
    }
}
