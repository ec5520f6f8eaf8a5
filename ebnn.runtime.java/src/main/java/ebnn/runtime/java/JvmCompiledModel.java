package ebnn.runtime.java;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import ebnn.api.EbnnException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.Block;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.spi.CompiledModel;

/**
 * A {@link BinaryModel} prepared for the JVM: per-block word layouts and sign tables computed once,
 * then shared read-only by all threads; each thread gets its own {@link Scratch} on first use, so
 * {@link #classify} allocates nothing after that. Executes the integer contract of
 * {@code ebnn.api.binary} exactly.
 */
public final class JvmCompiledModel implements CompiledModel {
    /** Byte-input layers up to this many weights get a ±1 int table (16 MB); larger ones read bits. */
    static final int DEFAULT_SIGN_LIMIT = 1 << 22;

    /** Batches smaller than this run on the calling thread: forking costs more than it saves. */
    static final int PARALLEL_MIN = 64;
    private static final int CHUNK = 16;

    private final BinaryModel model;
    private final Step[] steps;
    private final int inputSize;
    private final int classes;
    private final ThreadLocal<Scratch> scratch;

    JvmCompiledModel(BinaryModel model, int signLimit) {
        this.model = model;
        this.inputSize = model.inputSize();
        this.classes = model.classes();
        List<Block> blocks = model.blocks();
        steps = new Step[blocks.size()];
        int bits = 1, winWords = 0, byteInts = 0, winInts = 0, chWords = 0, planeChars = 0, planeTaps = 0, planeAcc = 0, pcRows = 0, posWords = 0, positions = 0;
        for (int i = 0; i < steps.length; i++) {
            Block b = blocks.get(i);
            Step s;
            if (b instanceof InputThresholdBlock t)
                s = new Step.InputThreshold(t);
            else if (b instanceof ConvBlock c)
                s = new Step.Conv(c, signLimit);
            else
                s = new Step.Dense((DenseBlock) b, signLimit);
            steps[i] = s;
            bits = Math.max(bits, s.outBits);
            winWords = Math.max(winWords, s.windowWords());
            byteInts = Math.max(byteInts, s.byteInts());
            winInts = Math.max(winInts, s.windowInts());
            chWords = Math.max(chWords, s.channelWords());
            planeChars = Math.max(planeChars, s.planeChars());
            planeTaps = Math.max(planeTaps, s.planeTaps());
            planeAcc = Math.max(planeAcc, s.planeAccLen());
            pcRows = Math.max(pcRows, s.popcountRows());
            posWords = Math.max(posWords, s.positionWords());
            positions = Math.max(positions, s.positions());
        }
        int activationBits = bits, ww = winWords, bi = byteInts, wi = winInts, cw = chWords, ps = planeChars, pt = planeTaps, pa = planeAcc, pr = pcRows, pw = posWords, pn = positions;
        scratch = ThreadLocal.withInitial(() -> new Scratch(activationBits, ww, bi, wi, cw, classes, ps, pt, pa, pr, pw, pn));
    }

    @Override
    public BinaryModel model() {
        return model;
    }

    @Override
    public int classify(byte[] input, int offset, int[] scores) {
        checkInput(input, offset, 1);
        if (scores != null && scores.length < classes)
            throw new EbnnException("model '" + model.name() + "' has " + classes + " classes; the scores array holds " + scores.length);
        Scratch s = scratch.get();
        int c = run(input, offset, s);
        if (scores != null)
            System.arraycopy(s.scores, 0, scores, 0, classes);
        return c;
    }

    @Override
    public int[] classifyBatch(byte[] inputs, int count, int[] scores) {
        if (count < 0)
            throw new EbnnException("negative sample count " + count);
        checkInput(inputs, 0, count);
        if (scores != null && scores.length < (long) count * classes)
            throw new EbnnException("model '" + model.name() + "': " + count + " samples need " + (long) count * classes
                    + " scores; the array holds " + scores.length);
        int[] out = new int[count];
        if (count < PARALLEL_MIN || Runtime.getRuntime().availableProcessors() < 2)
            runRange(inputs, 0, count, scores, out);
        else
            IntStream.range(0, (count + CHUNK - 1) / CHUNK).parallel()
                    .forEach(ch -> runRange(inputs, ch * CHUNK, Math.min(count, (ch + 1) * CHUNK), scores, out));
        return out;
    }

    private void runRange(byte[] inputs, int from, int to, int[] scores, int[] out) {
        Scratch s = scratch.get();
        for (int i = from; i < to; i++) {
            out[i] = run(inputs, i * inputSize, s);
            if (scores != null)
                System.arraycopy(s.scores, 0, scores, i * classes, classes);
        }
    }

    private void checkInput(byte[] input, int offset, int count) {
        if (input == null)
            throw new EbnnException("model '" + model.name() + "': no input");
        long need = (long) count * inputSize;
        if (offset < 0 || offset + need > input.length)
            throw new EbnnException("model '" + model.name() + "' takes " + inputSize + " bytes per sample (" + model.input()
                    + " HWC); " + count + " sample(s) from offset " + offset + " need " + need + " bytes, the array holds " + input.length);
    }

    private int run(byte[] input, int off, Scratch s) {
        long[] in = null;
        for (int i = 0; i < steps.length; i++) {
            long[] out = (i & 1) == 0 ? s.bufA : s.bufB;
            steps[i].run(input, off, in, out, s.scores, s);
            in = out;
        }
        return argmax(s.scores, classes);
    }

    /** The class: the largest score, ties to the lowest index. */
    static int argmax(int[] scores, int n) {
        int best = 0;
        for (int i = 1; i < n; i++)
            if (scores[i] > scores[best])
                best = i;
        return best;
    }

    /** Every block's output for one sample: bits (HWC, true = +1) of each hidden block, then the scores. */
    public record Trace(List<boolean[]> bits, int[] scores, int predicted) {
    }

    /** Runs one sample keeping every block's output (allocates; for tests and diagnostics, not the hot path). */
    public Trace trace(byte[] input, int offset) {
        checkInput(input, offset, 1);
        Scratch full = scratch.get();
        List<boolean[]> bits = new ArrayList<>();
        long[] in = null;
        for (int i = 0; i < steps.length; i++) {
            long[] out = (i & 1) == 0 ? full.bufA : full.bufB;
            steps[i].run(input, offset, in, out, full.scores, full);
            if (steps[i].outBits > 0) {
                boolean[] b = new boolean[steps[i].outBits];
                for (int k = 0; k < b.length; k++)
                    b[k] = (out[k >>> 6] >>> k & 1L) != 0;
                bits.add(b);
            }
            in = out;
        }
        return new Trace(bits, full.scores.clone(), argmax(full.scores, classes));
    }
}
