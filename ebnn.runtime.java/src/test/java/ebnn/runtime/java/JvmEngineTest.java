package ebnn.runtime.java;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.Test;

import ebnn.api.Device;
import ebnn.api.EbnnException;
import ebnn.api.InvalidModelException;
import ebnn.api.UnsupportedModelException;
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
import ebnn.api.spi.CompiledModel;

public class JvmEngineTest {
    private final JvmEngine engine = new JvmEngine();

    private static BitMatrix row(int... bits) {
        return BitMatrix.build(1, bits.length, (r, c) -> bits[c] != 0);
    }

    private static BitMatrix rows(int[]... bits) {
        return BitMatrix.build(bits.length, bits[0].length, (r, c) -> bits[r][c] != 0);
    }

    // ------------------------------------------------------------------ hand-computed examples

    @Test
    public void inputThresholdThenBinaryDense() {
        // bits of [200, 10, 128] at t = 128: 1 0 1 (128 >= 128 gives 1)
        // row [1,0,1]: 3 agreements -> +3; row [0,0,0]: 1 agreement, 2 differences -> -1
        BinaryModel m = new BinaryModel("hand1", new Shape(3, 1, 1),
                List.of(new InputThresholdBlock("thr", new Shape(3, 1, 1), IntArray.of(128, 128, 128)),
                        new DenseBlock("fc", InputKind.BITS, null, new Shape(3, 1, 1), 2, rows(new int[] { 1, 0, 1 }, new int[] { 0, 0, 0 }),
                                Scores.identity(2))),
                null);
        CompiledModel c = engine.load(m);
        int[] s = new int[2];
        assertEquals(0, c.classify(new byte[] { (byte) 200, 10, (byte) 128 }, 0, s));
        assertArrayEquals(new int[] { 3, -1 }, s);
        // [0, 255, 0] -> bits 0 1 0: row0 all differ -3; row1 agrees twice +1
        assertEquals(1, c.classify(new byte[] { 0, (byte) 255, 0 }, 0, s));
        assertArrayEquals(new int[] { -3, 1 }, s);
    }

    /** q = p − 2 on a 2x2 image [1 2; 3 4] is [−1 0; 1 2]; a 3x3 kernel, pad 1, +1 only at the centre. */
    private static ConvBlock byteConv(int channels, PoolGeometry pool, List<PoolCombine> combine) {
        int[] centre = { 0, 0, 0, 0, 1, 0, 0, 0, 0 };
        int[][] w = new int[channels][];
        int[] tau = new int[channels];
        for (int c = 0; c < channels; c++)
            w[c] = centre;
        return new ConvBlock("conv", InputKind.BYTES, new ByteInput(1, -2), new Shape(1, 2, 2), channels, 3, 3, 1, 1, Padding.same(1),
                rows(w), pool, new Thresholds(IntArray.of(tau), combine));
    }

    private static final byte[] IMAGE = { 1, 2, 3, 4 };

    @Test
    public void byteConvPaddingContributesZero() {
        // acc at (0,0) = +q00 − q01 − q10 − q11 = −1 − 0 − 1 − 2 = −4; (0,1) = 0 + 1 − 1 − 2 = −2;
        // (1,0) = 1 + 1 − 0 − 2 = 0; (1,1) = 2 + 1 − 0 − 1 = 2. τ = 0 gives bits 0 0 1 1.
        // (Counting the 5 padded taps as q(0) = −2 would change every value.)
        ConvBlock conv = byteConv(1, null, null);
        DenseBlock fc = new DenseBlock("fc", InputKind.BITS, null, new Shape(1, 2, 2), 2, rows(new int[] { 1, 1, 1, 1 }, new int[] { 0, 0, 0, 0 }),
                new Scores(IntArray.of(1, 1), IntArray.of(0, 1)));
        JvmCompiledModel c = engine.compile(new BinaryModel("hand2", new Shape(1, 2, 2), List.of(conv, fc), null));
        JvmCompiledModel.Trace t = c.trace(IMAGE, 0);
        assertArrayEquals(new boolean[] { false, false, true, true }, t.bits().get(0));
        // row0 [1111] vs 0011: −1 −1 +1 +1 = 0; row1 [0000]: +1 +1 −1 −1 = 0, offset 1 -> class 1
        assertArrayEquals(new int[] { 0, 1 }, t.scores());
        assertEquals(1, c.classify(IMAGE));
    }

    @Test
    public void poolCombinesOrAndAndPerChannel() {
        // two identical channels over the map 0 0 1 1, one 2x2 window: OR gives 1, AND gives 0
        ConvBlock conv = byteConv(2, new PoolGeometry(2, 2, 2, 2, Padding.NONE), List.of(PoolCombine.OR, PoolCombine.AND));
        DenseBlock fc = new DenseBlock("fc", InputKind.BITS, null, new Shape(2, 1, 1), 2, rows(new int[] { 1, 0 }, new int[] { 0, 1 }),
                Scores.identity(2));
        JvmCompiledModel c = engine.compile(new BinaryModel("hand3", new Shape(1, 2, 2), List.of(conv, fc), null));
        JvmCompiledModel.Trace t = c.trace(IMAGE, 0);
        assertArrayEquals(new boolean[] { true, false }, t.bits().get(0));
        assertArrayEquals(new int[] { 2, -2 }, t.scores());
    }

    @Test
    public void bitConvCountsOnlyValidTaps() {
        // bits [1, 0]; kernel 1x3 all +1, pad 1 left and right: each position sees one agreement and
        // one difference, acc = 0 (n_valid = 2). Two channels, τ = 0 and τ = 1, give bits 1 0 at both
        // positions. A padding tap counted as a 0 bit would give acc = −2 (bits 0 0); counting n as
        // all 3 taps would give acc = +1 (bits 1 1).
        BinaryModel m = new BinaryModel("hand4", new Shape(1, 1, 2),
                List.of(new InputThresholdBlock("thr", new Shape(1, 1, 2), IntArray.of(128)),
                        new ConvBlock("conv", InputKind.BITS, null, new Shape(1, 1, 2), 2, 1, 3, 1, 1, new Padding(0, 1, 0, 1),
                                rows(new int[] { 1, 1, 1 }, new int[] { 1, 1, 1 }), null, Thresholds.of(0, 1)),
                        new DenseBlock("fc", InputKind.BITS, null, new Shape(2, 1, 2), 2, rows(new int[] { 1, 1, 1, 1 }, new int[] { 1, 0, 1, 0 }),
                                Scores.identity(2))),
                null);
        JvmCompiledModel c = engine.compile(m);
        JvmCompiledModel.Trace t = c.trace(new byte[] { (byte) 255, 0 }, 0);
        assertArrayEquals(new boolean[] { true, false, true, false }, t.bits().get(1));
        // row [1111] vs 1010: two agree, two differ = 0; row [1010]: four agree = 4
        assertArrayEquals(new int[] { 0, 4 }, t.scores());
        assertEquals(1, t.predicted());
    }

    @Test
    public void argmaxTiesGoToTheLowestIndex() {
        BinaryModel m = new BinaryModel("ties", new Shape(1, 1, 1),
                List.of(new DenseBlock("fc", InputKind.BYTES, ByteInput.IDENTITY, new Shape(1, 1, 1), 4, rows(new int[] { 0 }, new int[] { 1 },
                        new int[] { 1 }, new int[] { 1 }), Scores.identity(4))),
                null);
        CompiledModel c = engine.load(m);
        assertEquals(1, c.classify(new byte[] { 9 })); // scores −9, 9, 9, 9
        assertEquals(0, c.classify(new byte[] { 0 })); // all 0
    }

    // ------------------------------------------------------------------ against the naive interpreter

    @Test
    public void equalsTheNaiveInterpreterOnRandomModels() {
        int models = 500;
        // threshold-first, conv, pooled conv with an AND channel, bytes-first dense, byte conv with an
        // offset, strided conv, padded conv, padded pool, windows entirely in the padding
        int[] kinds = new int[9];
        java.util.Set<String> kernels = new java.util.TreeSet<>();
        for (long seed = 0; seed < models; seed++) {
            BinaryModel m = RandomBinaryModels.model(seed);
            for (Block b : m.blocks()) {
                kinds[0] += b instanceof InputThresholdBlock ? 1 : 0;
                kinds[1] += b instanceof ConvBlock ? 1 : 0;
                kinds[2] += b instanceof ConvBlock c && c.pool() != null && c.output().anyAnd() ? 1 : 0;
                kinds[3] += b instanceof DenseBlock d && d.inputKind() == InputKind.BYTES ? 1 : 0;
                kinds[4] += b instanceof ConvBlock c && c.byteInput() != null && c.byteInput().offset() != 0 ? 1 : 0;
                kinds[5] += b instanceof ConvBlock c && (c.strideH() > 1 || c.strideW() > 1) ? 1 : 0;
                kinds[6] += b instanceof ConvBlock c && !c.padding().equals(Padding.NONE) ? 1 : 0;
                kinds[7] += b instanceof ConvBlock c && c.pool() != null && !c.pool().padding().equals(Padding.NONE) ? 1 : 0;
                kinds[8] += b instanceof ConvBlock c && (c.padding().top() >= c.kernelH() || c.padding().left() >= c.kernelW()) ? 1 : 0;
            }
            JvmCompiledModel compiled = engine.compile(m);
            kernels.addAll(compiled.kernelIds());
            compareWithNaive(m, compiled, seed);
        }
        // every kernel the selector chooses for these small models ran (the all-positions bit conv, over
        // 128 positions, and byte convs of more than 257 taps, the per-position sign-table kernel: PlaneConvTest)
        java.util.Set<String> want = new java.util.TreeSet<>(java.util.List.of("input-threshold", "dense-bits", "dense-bytes-signs",
                "conv-bytes-planes-short-batched", "conv-bytes-planes-int", "conv-bits-window"));
        if (PositionConv.enabled()) // unpadded bit convs of 16 or more filters over few positions, where the CPU has a vector popcount
            want.add("conv-bits-window-filters");
        assertTrue("kernels run: " + kernels, kernels.containsAll(want));
        for (int k : kinds)
            assertTrue("every case was generated: " + java.util.Arrays.toString(kinds), k > models / 50);
    }

    @Test
    public void bitReadingFallbackForHugeByteLayersAgrees() {
        java.util.Set<String> kernels = new java.util.TreeSet<>();
        for (long seed = 0; seed < 150; seed++) {
            BinaryModel m = RandomBinaryModels.model(seed);
            JvmCompiledModel c = new JvmCompiledModel(m, 0);
            kernels.addAll(c.kernelIds());
            compareWithNaive(m, c, seed);
        }
        assertTrue("kernels run: " + kernels, kernels.containsAll(java.util.List.of("dense-bytes-bits", "conv-bytes-window-bits")));
    }

    private static void compareWithNaive(BinaryModel m, JvmCompiledModel c, long seed) {
        Random r = new Random(seed);
        int n = m.inputSize(), classes = m.classes();
        byte[] all = new byte[12 * n];
        int[] allScores = new int[12 * classes];
        for (int i = 0; i < 12; i++) {
            byte[] in = new byte[n];
            if (i == 1)
                java.util.Arrays.fill(in, (byte) 255);
            else if (i > 1)
                r.nextBytes(in);
            NaiveInterpreter.Result want = NaiveInterpreter.run(m, in);
            JvmCompiledModel.Trace got = c.trace(in, 0);
            String where = "seed " + seed + " input " + i + " model " + describe(m);
            assertEquals(where, want.hidden().size(), got.bits().size());
            for (int b = 0; b < got.bits().size(); b++) {
                int[] w = want.hidden().get(b);
                boolean[] g = got.bits().get(b);
                assertEquals(where, w.length, g.length);
                for (int k = 0; k < w.length; k++)
                    if ((w[k] > 0) != g[k])
                        fail(where + ": block " + m.blocks().get(b).name() + " bit " + k);
            }
            assertArrayEquals(where, want.scores(), got.scores());
            int[] s = new int[m.classes()];
            assertEquals(where, want.predicted(), c.classify(in, 0, s));
            assertArrayEquals(where, want.scores(), s);
            System.arraycopy(in, 0, all, i * n, n);
            System.arraycopy(want.scores(), 0, allScores, i * classes, classes);
        }
        // the same samples as one batch on this thread (a batched first block runs them in one pass)
        int[] batchScores = new int[12 * classes];
        c.classifyBatchOnCaller(all, 12, batchScores);
        assertArrayEquals("seed " + seed + " as a batch, model " + describe(m), allScores, batchScores);
    }

    static String describe(BinaryModel m) {
        StringBuilder sb = new StringBuilder(m.input().toString());
        for (Block b : m.blocks()) {
            sb.append(" -> ").append(b.getClass().getSimpleName()).append(b.inputShape()).append(b.outputShape());
            if (b instanceof ConvBlock c)
                sb.append(" k").append(c.kernelH()).append('x').append(c.kernelW()).append(" s").append(c.strideH()).append('x')
                        .append(c.strideW()).append(' ').append(c.padding()).append(" pool ").append(c.pool());
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ batches and threads

    private static byte[] inputs(BinaryModel m, int count, long seed) {
        byte[] b = new byte[count * m.inputSize()];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A model big enough to be worth threads: byte conv with pool, a bit conv, two dense blocks. */
    private static BinaryModel mediumModel() {
        for (long seed = 0;; seed++) {
            BinaryModel m = RandomBinaryModels.model(seed);
            if (m.blocks().size() >= 3 && m.blocks().get(0) instanceof ConvBlock && m.inputSize() > 40)
                return m;
        }
    }

    @Test
    public void batchEqualsOneByOneWithAndWithoutThreads() {
        BinaryModel m = mediumModel();
        CompiledModel c = engine.load(m);
        int k = m.classes();
        for (int count : new int[] { 0, 1, 5, JvmCompiledModel.PARALLEL_MIN - 1, 1000 }) {
            byte[] in = inputs(m, count, count);
            int[] scores = new int[count * k];
            int[] classes = c.classifyBatch(in, count, scores);
            int[] one = new int[k];
            for (int i = 0; i < count; i++) {
                assertEquals(c.classify(in, i * m.inputSize(), one), classes[i]);
                assertArrayEquals(one, java.util.Arrays.copyOfRange(scores, i * k, (i + 1) * k));
            }
            assertArrayEquals(classes, c.classifyBatch(in, count, null));
        }
    }

    @Test
    public void eightThreadsAgreeWithOneThread() throws Exception {
        BinaryModel m = mediumModel();
        CompiledModel c = engine.load(m);
        int count = 2000, k = m.classes(), n = m.inputSize();
        byte[] in = inputs(m, count, 42);
        int[] wantClass = new int[count];
        int[] wantScores = new int[count * k];
        int[] one = new int[k];
        for (int i = 0; i < count; i++) {
            wantClass[i] = c.classify(in, i * n, one);
            System.arraycopy(one, 0, wantScores, i * k, k);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                Callable<Integer> job = () -> {
                    int[] s = new int[k];
                    int checked = 0;
                    for (int rep = 0; rep < 3; rep++)
                        for (int j = 0; j < count; j++) {
                            int i = (j * 7 + thread * 131 + rep) % count; // different orders per thread
                            if (c.classify(in, i * n, s) != wantClass[i])
                                throw new AssertionError("thread " + thread + " sample " + i);
                            for (int q = 0; q < k; q++)
                                if (s[q] != wantScores[i * k + q])
                                    throw new AssertionError("thread " + thread + " sample " + i + " score " + q);
                            checked++;
                        }
                    if (thread % 2 == 0) // batches running in parallel with single calls
                        assertArrayEquals(wantClass, c.classifyBatch(in, count, null));
                    return checked;
                };
                results.add(pool.submit(job));
            }
            int total = 0;
            for (Future<Integer> f : results)
                total += f.get();
            assertEquals(8 * 3 * count, total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void classifyAllocatesNothingOnceWarm() {
        BinaryModel m = mediumModel();
        CompiledModel c = engine.load(m);
        byte[] in = inputs(m, 200, 3);
        int[] s = new int[m.classes()];
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 2000; i++)
            c.classify(in, (i % 200) * m.inputSize(), s);
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 2000; i++)
            c.classify(in, (i % 200) * m.inputSize(), s);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        // 2000 inferences; a single small allocation each would already be > 32 KB
        assertTrue("allocated " + allocated + " bytes in 2000 inferences", allocated < 4096);
    }

    // ------------------------------------------------------------------ errors and the service

    @Test
    public void badInputIsATypedErrorNamingTheModel() {
        BinaryModel m = mediumModel();
        CompiledModel c = engine.load(m);
        for (Runnable bad : List.<Runnable>of(() -> c.classify(new byte[m.inputSize() - 1]), () -> c.classify(null, 0, null),
                () -> c.classify(new byte[m.inputSize()], 1, null), () -> c.classify(new byte[m.inputSize()], -1, null),
                () -> c.classify(new byte[m.inputSize()], 0, new int[m.classes() - 1]),
                () -> c.classifyBatch(new byte[m.inputSize() * 3], 4, null),
                () -> c.classifyBatch(new byte[m.inputSize() * 3], 3, new int[3]))) {
            try {
                bad.run();
                fail();
            } catch (EbnnException e) {
                assertTrue(e.getMessage(), e.getMessage().contains(m.name()));
            }
        }
    }

    @Test
    public void poolWindowEntirelyInPaddingIsRefusedAtLoad() {
        // pool padding 1 on top with a 1x1 window: the first pooled row reads only padding
        ConvBlock conv = new ConvBlock("conv", InputKind.BYTES, ByteInput.IDENTITY, new Shape(1, 2, 2), 1, 1, 1, 1, 1, Padding.NONE, row(1),
                new PoolGeometry(1, 1, 1, 1, new Padding(1, 0, 0, 0)), Thresholds.of(0));
        BinaryModel m = new BinaryModel("emptywin", new Shape(1, 2, 2), List.of(conv, new DenseBlock("fc", InputKind.BITS, null,
                conv.outputShape(), 2, rows(new int[6], new int[6]), Scores.identity(2))), null);
        try {
            engine.load(m);
            fail();
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'conv'"));
        }
    }

    @Test
    public void isTheJvmBackendForEveryDevice() {
        assertEquals("jvm", engine.id());
        assertFalse(engine.description().isBlank());
        for (Device d : Device.BUILT_IN)
            assertTrue(d.name(), engine.supports(d));
        try {
            engine.load(null);
            fail();
        } catch (InvalidModelException expected) {
            // typed
        }
    }
}
