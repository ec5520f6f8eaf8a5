package ebnn.runtime.java;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.Test;

import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.BitMatrix;
import ebnn.api.binary.Block;
import ebnn.api.binary.ByteInput;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.InputKind;
import ebnn.api.binary.IntArray;
import ebnn.api.binary.PoolCombine;
import ebnn.api.binary.PoolGeometry;
import ebnn.api.binary.Scores;
import ebnn.api.binary.Thresholds;
import ebnn.api.model.Padding;
import ebnn.api.model.Shape;

/**
 * The whole-plane kernel for stride-1 byte convolutions ({@link PlaneConv}) against the naive
 * interpreter, on the cases its fast paths split on: pooled 2x2/2 windows (unrolled) and other
 * pools, OR and AND channels, padding with and without a byte offset (per-position Σs correction),
 * up to 128 taps (short differences) and 129..257 taps (int accumulators), +1-heavy and −1-heavy
 * filters (either tap set summed), thresholds at the extremes, inputs 0, 255 and random.
 */
public class PlaneConvTest {

    @Test
    public void stride1ByteConvsEqualTheNaiveInterpreter() {
        int planes = 0, small = 0, large = 0, pool2 = 0, offsetPadded = 0, windows = 0;
        for (long seed = 0; seed < 100; seed++) {
            Random r = new Random(seed * 7919 + 1);
            int inC = 1 + r.nextInt(seed % 5 == 0 ? 12 : 3);
            int k = 1 + r.nextInt(seed % 5 == 0 ? 5 : 4);
            Shape in = new Shape(inC, k + r.nextInt(9), k + r.nextInt(9));
            ByteInput bi = switch (r.nextInt(3)) {
            case 0 -> ByteInput.IDENTITY;
            case 1 -> new ByteInput(2, -255);
            default -> new ByteInput(1 + r.nextInt(3), r.nextInt(601) - 300);
            };
            Padding pad = r.nextBoolean() ? Padding.NONE : new Padding(r.nextInt(k), r.nextInt(k), r.nextInt(k), r.nextInt(k));
            int outC = 1 + r.nextInt(40);
            int taps = k * k * inC;
            double plusShare = r.nextInt(3) == 0 ? 0.9 : r.nextInt(2) == 0 ? 0.1 : 0.5;
            BitMatrix w = BitMatrix.build(outC, taps, (row, col) -> r.nextDouble() < plusShare);
            int[] tau = new int[outC];
            List<PoolCombine> comb = new ArrayList<>();
            long mag = (long) taps * bi.maxMagnitude();
            for (int c = 0; c < outC; c++) {
                tau[c] = switch (r.nextInt(8)) {
                case 0 -> (int) (mag + 1);
                case 1 -> (int) (-mag);
                default -> (int) Math.round(r.nextGaussian() * Math.sqrt(taps) * bi.maxMagnitude() * 0.5);
                };
                comb.add(r.nextInt(3) == 0 ? PoolCombine.AND : PoolCombine.OR);
            }
            ConvBlock probe = new ConvBlock("probe", InputKind.BYTES, bi, in, outC, k, k, 1, 1, pad, w, null, Thresholds.of(tau));
            Shape conv = probe.convShape();
            PoolGeometry pool = null;
            int p = r.nextInt(3);
            if (p == 0 && conv.height() >= 2 && conv.width() >= 2)
                pool = new PoolGeometry(2, 2, 2, 2, Padding.NONE);
            else if (p == 1 && conv.height() >= 3 && conv.width() >= 3)
                pool = new PoolGeometry(3, 2, 1 + r.nextInt(2), 2, new Padding(r.nextInt(2), 0, 1, 1));
            ConvBlock c = new ConvBlock("conv", InputKind.BYTES, bi, in, outC, k, k, 1, 1, pad, w, pool,
                    new Thresholds(IntArray.of(tau), comb));
            Shape out = c.outputShape();
            List<Block> blocks = new ArrayList<>();
            blocks.add(c);
            int classes = 2 + r.nextInt(5);
            blocks.add(new ebnn.api.binary.DenseBlock("out", InputKind.BITS, null, out, classes,
                    BitMatrix.build(classes, out.size(), (row, col) -> r.nextBoolean()), Scores.identity(classes)));
            BinaryModel m = new BinaryModel("plane" + seed, in, blocks, null);

            JvmCompiledModel compiled = new JvmCompiledModel(m, JvmCompiledModel.DEFAULT_SIGN_LIMIT);
            boolean usesPlanes = JvmKernels.select(c, JvmCompiledModel.DEFAULT_SIGN_LIMIT) instanceof PlaneConv;
            assertEquals(usesPlanes, compiled.kernelIds().get(0).startsWith("conv-bytes-planes"));
            assertEquals("seed " + seed + ": taps " + taps, taps <= PlaneConv.MAX_TAPS, usesPlanes);
            planes += usesPlanes ? 1 : 0;
            windows += compiled.kernelIds().get(0).equals("conv-bytes-window-signs") ? 1 : 0;
            small += usesPlanes && taps <= 128 ? 1 : 0;
            large += usesPlanes && taps > 128 ? 1 : 0;
            pool2 += pool != null && pool.kernelH() == 2 && pool.strideH() == 2 ? 1 : 0;
            offsetPadded += bi.offset() != 0 && !pad.equals(Padding.NONE) ? 1 : 0;

            for (int i = 0; i < 6; i++) {
                byte[] x = new byte[in.size()];
                if (i == 1)
                    java.util.Arrays.fill(x, (byte) 255);
                else if (i > 1)
                    r.nextBytes(x);
                NaiveInterpreter.Result want = NaiveInterpreter.run(m, x);
                JvmCompiledModel.Trace got = compiled.trace(x, 0);
                int[] wb = want.hidden().get(0);
                boolean[] gb = got.bits().get(0);
                assertEquals(wb.length, gb.length);
                for (int b = 0; b < wb.length; b++)
                    assertEquals("seed " + seed + " input " + i + " bit " + b, wb[b] > 0, gb[b]);
                assertArrayEquals("seed " + seed + " input " + i, want.scores(), got.scores());
            }
        }
        assertTrue("cases generated: planes " + planes + ", short " + small + ", int " + large + ", 2x2 pools " + pool2
                + ", padded with offset " + offsetPadded + ", per-position (over 257 taps) " + windows,
                small > 25 && large > 2 && pool2 > 12 && offsetPadded > 12 && windows > 0);
    }

    /**
     * The short path's batched passes ({@code runBatch}, what {@code classifyBatch} runs for maps under
     * {@link PlaneConv#MIN_PASS} positions) and its one-image pass against the naive interpreter, bit by
     * bit: strides 1 to 3, padding with and without a byte offset, no pool, 2x2/2, 4x4/4 (convpool-1's)
     * and padded overlapping pools, OR and AND channels in one 16-channel group, channel counts off the
     * 16 grid, every way a threshold is applied (always passes, never passes, the biased short sign and,
     * past 64 taps, the scalar compare), +1- and −1-heavy filters, and pass sizes 1, batch − 1, batch and
     * 2·batch + 1 (a partial last pass); filters whose sum starts from another filter's (adding and
     * subtracting taps) among them.
     */
    @Test
    public void batchedPassesEqualTheNaiveInterpreter() {
        int[] tests = new int[4];
        int batched = 0, pooled4 = 0, strided = 0, fromOthers = 0;
        for (long seed = 0; seed < 120; seed++) {
            Random r = new Random(seed * 104729 + 3);
            int inC = 1 + r.nextInt(seed % 4 == 0 ? 6 : 2);
            int k = 1 + r.nextInt(seed % 4 == 0 ? 5 : 7), st = 1 + r.nextInt(3);
            int side = k + r.nextInt(seed % 6 == 0 ? 24 : 12);
            Shape in = new Shape(inC, side, side + r.nextInt(4));
            ByteInput bi = switch (r.nextInt(3)) {
            case 0 -> ByteInput.IDENTITY;
            case 1 -> new ByteInput(2, -255);
            default -> new ByteInput(1 + r.nextInt(3), r.nextInt(601) - 300);
            };
            Padding pad = r.nextInt(3) == 0 ? new Padding(r.nextInt(k), r.nextInt(k), r.nextInt(k), r.nextInt(k)) : Padding.NONE;
            int taps = k * k * inC;
            if (taps > 128)
                continue;
            int outC = 1 + r.nextInt(r.nextBoolean() ? 20 : 50);
            double plusShare = r.nextInt(3) == 0 ? 0.85 : r.nextInt(2) == 0 ? 0.15 : 0.5;
            BitMatrix w = BitMatrix.build(outC, taps, (row, col) -> r.nextDouble() < plusShare);
            long mag = (long) taps * bi.maxMagnitude();
            int[] tau = new int[outC];
            List<PoolCombine> comb = new ArrayList<>();
            for (int c = 0; c < outC; c++) {
                tau[c] = switch (r.nextInt(10)) {
                case 0 -> (int) (mag + 1 + r.nextInt(3));
                case 1 -> (int) (-mag - r.nextInt(3));
                case 2 -> (r.nextBoolean() ? 1 : -1) * (int) (mag * (0.6 + 0.4 * r.nextDouble())); // far from 0: the scalar compare past 64 taps
                default -> (int) Math.round(r.nextGaussian() * Math.sqrt(taps) * bi.maxMagnitude() * 0.5);
                };
                comb.add(r.nextInt(3) == 0 ? PoolCombine.AND : PoolCombine.OR);
            }
            ConvBlock probe = new ConvBlock("probe", InputKind.BYTES, bi, in, outC, k, k, st, st, pad, w, null, Thresholds.of(tau));
            Shape conv = probe.convShape();
            if (conv.height() < 1 || conv.width() < 1)
                continue;
            PoolGeometry pool = switch (r.nextInt(4)) {
            case 0 -> conv.height() >= 2 && conv.width() >= 2 ? new PoolGeometry(2, 2, 2, 2, Padding.NONE) : null;
            case 1 -> conv.height() >= 4 && conv.width() >= 4 ? new PoolGeometry(4, 4, 4, 4, Padding.NONE) : null;
            case 2 -> conv.height() >= 3 && conv.width() >= 3 ? new PoolGeometry(3, 2, 1 + r.nextInt(2), 2, new Padding(r.nextInt(2), 0, 1, 1)) : null;
            default -> null;
            };
            ConvBlock c = new ConvBlock("conv", InputKind.BYTES, bi, in, outC, k, k, st, st, pad, w, pool, new Thresholds(IntArray.of(tau), comb));
            if (!(JvmKernels.select(c, JvmCompiledModel.DEFAULT_SIGN_LIMIT) instanceof PlaneConv pc) || !pc.shortDifferences())
                continue;
            for (int o = 0; o < outC; o++)
                tests[pc.test(o)]++;
            fromOthers += pc.builtWithSubtractions();
            batched += pc.batch() > 1 ? 1 : 0;
            pooled4 += pool != null && pool.kernelH() == 4 ? 1 : 0;
            strided += st > 1 ? 1 : 0;
            int classes = 3;
            BinaryModel m = new BinaryModel("batch" + seed, in, List.of(c, new ebnn.api.binary.DenseBlock("out", InputKind.BITS, null, c.outputShape(),
                    classes, BitMatrix.build(classes, c.outputShape().size(), (row, col) -> r.nextBoolean()), Scores.identity(classes))), null);
            int b = pc.batch();
            PlaneConv.Scratch s = pc.newScratch();
            for (int count : b > 1 ? new int[] { 1, b - 1, b } : new int[] { 1 }) {
                byte[] x = new byte[count * in.size()];
                r.nextBytes(x);
                if (count > 1)
                    java.util.Arrays.fill(x, 0, in.size(), (byte) 255);
                long[][] got = pc.runBatch(x, 0, count, s);
                long[] one = new long[Bits.words(pc.outBits) + 1];
                for (int i = 0; i < count; i++) {
                    int[] want = NaiveInterpreter.run(m, java.util.Arrays.copyOfRange(x, i * in.size(), (i + 1) * in.size())).hidden().get(0);
                    pc.run(x, i * in.size(), null, one, null, s);
                    for (int bit = 0; bit < want.length; bit++) {
                        String where = "seed " + seed + " pass of " + count + " image " + i + " bit " + bit;
                        assertEquals(where, want[bit] > 0, (got[i][bit >>> 6] >>> bit & 1L) != 0);
                        assertEquals(where + " (one image)", want[bit] > 0, (one[bit >>> 6] >>> bit & 1L) != 0);
                    }
                }
            }
            // the compiled model's batch (several passes, the last one partial) against the naive interpreter
            JvmCompiledModel compiled = new JvmCompiledModel(m, JvmCompiledModel.DEFAULT_SIGN_LIMIT);
            int count = 2 * b + 1;
            byte[] x = new byte[count * in.size()];
            r.nextBytes(x);
            int[] scores = new int[count * classes];
            int[] classesGot = compiled.classifyBatchOnCaller(x, count, scores);
            for (int i = 0; i < count; i++) {
                NaiveInterpreter.Result want = NaiveInterpreter.run(m, java.util.Arrays.copyOfRange(x, i * in.size(), (i + 1) * in.size()));
                assertArrayEquals("seed " + seed + " sample " + i, want.scores(), java.util.Arrays.copyOfRange(scores, i * classes, (i + 1) * classes));
                assertEquals(want.predicted(), classesGot[i]);
            }
        }
        assertTrue("cases: thresholds pass/fail/biased/compare " + java.util.Arrays.toString(tests) + ", batched " + batched + ", 4x4 pools " + pooled4
                + ", strided " + strided + ", filters built from another's sum with subtractions " + fromOthers,
                tests[0] > 20 && tests[1] > 20 && tests[2] > 200 && tests[3] > 20 && batched > 30 && pooled4 > 5 && strided > 20 && fromOthers > 100);
    }

    /**
     * Bit-input convolutions without padding over at least {@link PositionConv#MIN_POSITIONS}
     * positions (the all-positions kernel where the CPU has a vector popcount; the per-position
     * kernel elsewhere) against the naive interpreter: strides 1 and 2, 2x2/2 and other pools, OR
     * and AND channels, window widths across 32- and 64-bit word boundaries.
     */
    private static final int SEEDS = 24;

    @Test
    public void bitConvsOverManyPositionsEqualTheNaiveInterpreter() {
        int usedPositions = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            Random r = new Random(seed * 31 + 5);
            int inC = 1 + r.nextInt(40), k = 1 + r.nextInt(5), st = 1 + r.nextInt(2);
            int side = Math.max(k, 12 * st + k + r.nextInt(8));
            Shape in = new Shape(inC, side, side + r.nextInt(5));
            int outC = 1 + r.nextInt(70), taps = k * k * inC;
            BitMatrix w = BitMatrix.build(outC, taps, (row, col) -> r.nextBoolean());
            int[] tau = new int[outC];
            List<PoolCombine> comb = new ArrayList<>();
            for (int c = 0; c < outC; c++) {
                tau[c] = r.nextInt(5) == 0 ? taps + 1 : (int) Math.round(r.nextGaussian() * Math.sqrt(taps));
                comb.add(r.nextInt(3) == 0 ? PoolCombine.AND : PoolCombine.OR);
            }
            Shape conv = new ConvBlock("probe", InputKind.BITS, null, in, outC, k, k, st, st, Padding.NONE, w, null, Thresholds.of(tau)).convShape();
            PoolGeometry pool = switch (r.nextInt(3)) {
            case 0 -> new PoolGeometry(2, 2, 2, 2, Padding.NONE);
            case 1 -> new PoolGeometry(3, 3, 2, 1, new Padding(1, 0, 1, 1));
            default -> null;
            };
            ConvBlock c = new ConvBlock("conv", InputKind.BITS, null, in, outC, k, k, st, st, Padding.NONE, w, pool, new Thresholds(IntArray.of(tau), comb));
            Shape out = c.outputShape();
            int classes = 2 + r.nextInt(5);
            int[] inTau = new int[inC];
            for (int ch = 0; ch < inC; ch++)
                inTau[ch] = 1 + r.nextInt(254);
            List<Block> blocks = List.of(new ebnn.api.binary.InputThresholdBlock("in", in, IntArray.of(inTau)), c,
                    new ebnn.api.binary.DenseBlock("out", InputKind.BITS, null, out, classes,
                            BitMatrix.build(classes, out.size(), (row, col) -> r.nextBoolean()), Scores.identity(classes)));
            BinaryModel m = new BinaryModel("pos" + seed, in, blocks, null);
            JvmCompiledModel compiled = new JvmCompiledModel(m, JvmCompiledModel.DEFAULT_SIGN_LIMIT);
            usedPositions += compiled.kernelIds().get(1).equals("conv-bits-positions") ? 1 : 0;
            for (int i = 0; i < 4; i++) {
                byte[] x = new byte[in.size()];
                r.nextBytes(x);
                NaiveInterpreter.Result want = NaiveInterpreter.run(m, x);
                JvmCompiledModel.Trace got = compiled.trace(x, 0);
                int[] wb = want.hidden().get(1);
                boolean[] gb = got.bits().get(1);
                for (int b = 0; b < wb.length; b++)
                    assertEquals("seed " + seed + " input " + i + " bit " + b, wb[b] > 0, gb[b]);
                assertArrayEquals("seed " + seed + " input " + i, want.scores(), got.scores());
            }
        }
        assertEquals("the all-positions kernel is used exactly where the CPU has a vector popcount",
                PositionConv.enabled() ? SEEDS : 0, usedPositions);
    }

    /**
     * Bit-input convolutions without padding over fewer than {@link PositionConv#MIN_POSITIONS}
     * positions and 16 or more filters (each window word against all filters at once, where the CPU has
     * a vector popcount) against the naive interpreter: strides 1 to 3, no pool, 2x2/2 and padded
     * overlapping pools, OR and AND channels, thresholds that always or never pass, windows across 32-
     * and 64-bit word boundaries, filter counts off the 16 grid.
     */
    @Test
    public void bitConvsOverFewPositionsEqualTheNaiveInterpreter() {
        int used = 0, cases = 0;
        for (long seed = 0; seed < 30; seed++) {
            Random r = new Random(seed * 131 + 17);
            int inC = 1 + r.nextInt(70), k = 1 + r.nextInt(4), st = 1 + r.nextInt(3);
            int side = k + st * r.nextInt(7);
            Shape in = new Shape(inC, side, side + r.nextInt(3));
            int outC = 16 + r.nextInt(60), taps = k * k * inC;
            BitMatrix w = BitMatrix.build(outC, taps, (row, col) -> r.nextBoolean());
            int[] tau = new int[outC];
            List<PoolCombine> comb = new ArrayList<>();
            for (int c = 0; c < outC; c++) {
                tau[c] = switch (r.nextInt(8)) {
                case 0 -> taps + 1;
                case 1 -> -taps;
                default -> (int) Math.round(r.nextGaussian() * Math.sqrt(taps));
                };
                comb.add(r.nextInt(3) == 0 ? PoolCombine.AND : PoolCombine.OR);
            }
            Shape conv = new ConvBlock("probe", InputKind.BITS, null, in, outC, k, k, st, st, Padding.NONE, w, null, Thresholds.of(tau)).convShape();
            if ((long) conv.height() * conv.width() >= PositionConv.MIN_POSITIONS)
                continue;
            PoolGeometry pool = switch (r.nextInt(3)) {
            case 0 -> conv.height() >= 2 && conv.width() >= 2 ? new PoolGeometry(2, 2, 2, 2, Padding.NONE) : null;
            case 1 -> conv.height() >= 3 && conv.width() >= 3 ? new PoolGeometry(3, 3, 2, 1, new Padding(1, 0, 1, 1)) : null;
            default -> null;
            };
            ConvBlock c = new ConvBlock("conv", InputKind.BITS, null, in, outC, k, k, st, st, Padding.NONE, w, pool, new Thresholds(IntArray.of(tau), comb));
            int classes = 3;
            int[] inTau = new int[inC];
            for (int ch = 0; ch < inC; ch++)
                inTau[ch] = 1 + r.nextInt(254);
            List<Block> blocks = List.of(new ebnn.api.binary.InputThresholdBlock("in", in, IntArray.of(inTau)), c,
                    new ebnn.api.binary.DenseBlock("out", InputKind.BITS, null, c.outputShape(), classes,
                            BitMatrix.build(classes, c.outputShape().size(), (row, col) -> r.nextBoolean()), Scores.identity(classes)));
            BinaryModel m = new BinaryModel("few" + seed, in, blocks, null);
            JvmCompiledModel compiled = new JvmCompiledModel(m, JvmCompiledModel.DEFAULT_SIGN_LIMIT);
            cases++;
            used += compiled.kernelIds().get(1).equals("conv-bits-window-filters") ? 1 : 0;
            for (int i = 0; i < 4; i++) {
                byte[] x = new byte[in.size()];
                r.nextBytes(x);
                NaiveInterpreter.Result want = NaiveInterpreter.run(m, x);
                JvmCompiledModel.Trace got = compiled.trace(x, 0);
                int[] wb = want.hidden().get(1);
                boolean[] gb = got.bits().get(1);
                for (int b = 0; b < wb.length; b++)
                    assertEquals("seed " + seed + " input " + i + " bit " + b, wb[b] > 0, gb[b]);
                assertArrayEquals("seed " + seed + " input " + i, want.scores(), got.scores());
            }
        }
        assertTrue("cases " + cases, cases > 15);
        assertEquals("the per-position all-filters kernel is used exactly where the CPU has a vector popcount", PositionConv.enabled() ? cases : 0, used);
    }

    /** The eight-pixels-at-a-time single-channel input threshold: every threshold class, sizes off the 8 and 64 grids. */
    @Test
    public void singleChannelInputThresholdEqualsTheNaiveInterpreter() {
        Random r = new Random(11);
        for (int tau : new int[] { 0, 1, 2, 127, 128, 129, 200, 254, 255, 256 })
            for (int size : new int[] { 1, 7, 8, 9, 63, 64, 65, 130, 784 }) {
                Shape in = new Shape(1, 1, size);
                List<Block> blocks = List.of(new ebnn.api.binary.InputThresholdBlock("in", in, IntArray.of(new int[] { tau })),
                        new ebnn.api.binary.DenseBlock("out", InputKind.BITS, null, in, 3, BitMatrix.build(3, size, (row, col) -> r.nextBoolean()),
                                Scores.identity(3)));
                BinaryModel m = new BinaryModel("thr", in, blocks, null);
                JvmCompiledModel c = new JvmCompiledModel(m, JvmCompiledModel.DEFAULT_SIGN_LIMIT);
                for (int i = 0; i < 20; i++) {
                    byte[] x = new byte[size];
                    r.nextBytes(x);
                    if (i < 4)
                        java.util.Arrays.fill(x, (byte) new int[] { 0, 255, tau, tau - 1 }[i]);
                    int[] want = NaiveInterpreter.run(m, x).hidden().get(0);
                    boolean[] got = c.trace(x, 0).bits().get(0);
                    for (int b = 0; b < size; b++)
                        assertEquals("tau " + tau + " size " + size + " input " + i + " pixel " + b, want[b] > 0, got[b]);
                }
            }
    }
}
