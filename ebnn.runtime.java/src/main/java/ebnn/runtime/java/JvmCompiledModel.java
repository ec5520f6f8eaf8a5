package ebnn.runtime.java;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;


import ebnn.api.EbnnException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.model.OutputKind;
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
    private final Kernel<?>[] kernels;
    private final int inputSize;
    private final int classes;
    private final ThreadLocal<Scratch> scratch;

    JvmCompiledModel(BinaryModel model, int signLimit) {
        this.model = model;
        this.inputSize = model.inputSize();
        this.classes = model.classes();
        kernels = JvmKernels.select(model.blocks(), signLimit);
        scratch = ThreadLocal.withInitial(() -> new Scratch(kernels, classes));
    }

    /** The kernel chosen for each block, by its selector name (for tests and profiles). */
    public List<String> kernelIds() {
        List<String> ids = new ArrayList<>();
        for (Kernel<?> k : kernels)
            ids.add(k.id());
        return ids;
    }

    @Override
    public BinaryModel model() {
        return model;
    }

    @Override
    public int classify(byte[] input, int offset, int[] scores) {
        requireClasses();
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
        requireClasses();
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

    @Override
    public void outputBits(byte[] input, int offset, boolean[] bits) {
        if (model.outputKind() != OutputKind.BITS)
            throw new UnsupportedModelException("model '" + model.name() + "' outputs classes, not a bit vector: classify it");
        checkInput(input, offset, 1);
        if (bits == null || bits.length < classes)
            throw new EbnnException("model '" + model.name() + "' outputs " + classes + " bits; the array holds "
                    + (bits == null ? "none" : bits.length));
        Scratch s = scratch.get();
        long[] in = null;
        for (int i = 0; i < kernels.length; i++)
            in = s.run(kernels, i, input, offset, in);
        for (int k = 0; k < classes; k++)
            bits[k] = (in[k >>> 6] >>> k & 1L) != 0;
    }

    /** A bit vector has no argmax that would mean anything: classifying one is an error, not a guess. */
    private void requireClasses() {
        if (model.outputKind() == OutputKind.BITS)
            throw new UnsupportedModelException("model '" + model.name() + "' outputs a bit vector of " + classes
                    + " bits, not a class: read its bits (CompiledModel.outputBits; ebnn:classify prints them)");
    }

    /**
     * As {@link #classifyBatch} but always on the calling thread (no fork-join): what one core does with a
     * batch, e.g. for a benchmark charging the caller's CPU time.
     */
    public int[] classifyBatchOnCaller(byte[] inputs, int count, int[] scores) {
        requireClasses();
        if (count < 0)
            throw new EbnnException("negative sample count " + count);
        checkInput(inputs, 0, count);
        if (scores != null && scores.length < (long) count * classes)
            throw new EbnnException("model '" + model.name() + "': " + count + " samples need " + (long) count * classes
                    + " scores; the array holds " + scores.length);
        int[] out = new int[count];
        runRange(inputs, 0, count, scores, out);
        return out;
    }

    /** Samples [from, to): when block 0 has a batched form, it runs once per group of its batch, the later blocks per sample. */
    private void runRange(byte[] inputs, int from, int to, int[] scores, int[] out) {
        Scratch s = scratch.get();
        int batch = kernels[0].batch();
        if (batch > 1 && to - from > 1) {
            for (int i = from; i < to; i += batch) {
                int n = Math.min(batch, to - i);
                long[][] first = s.runFirstBatch(kernels, inputs, i * inputSize, n);
                for (int k = 0; k < n; k++) {
                    out[i + k] = runAfterFirst(first[k], s);
                    if (scores != null)
                        System.arraycopy(s.scores, 0, scores, (i + k) * classes, classes);
                }
            }
            return;
        }
        for (int i = from; i < to; i++) {
            out[i] = run(inputs, i * inputSize, s);
            if (scores != null)
                System.arraycopy(s.scores, 0, scores, i * classes, classes);
        }
    }

    private int runAfterFirst(long[] in, Scratch s) {
        for (int i = 1; i < kernels.length; i++)
            in = s.run(kernels, i, null, 0, in);
        return argmax(s.scores, classes);
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
        for (int i = 0; i < kernels.length; i++)
            in = s.run(kernels, i, input, off, in);
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

    /**
     * Runs one sample keeping every block's output (allocates; for tests and diagnostics, not the hot
     * path). For a bit-output model the last entry of {@code bits} is the output and the scores are 0.
     */
    public Trace trace(byte[] input, int offset) {
        checkInput(input, offset, 1);
        Scratch full = scratch.get();
        List<boolean[]> bits = new ArrayList<>();
        long[] in = null;
        for (int i = 0; i < kernels.length; i++) {
            long[] out = full.run(kernels, i, input, offset, in);
            if (kernels[i].outBits > 0) {
                boolean[] b = new boolean[kernels[i].outBits];
                for (int k = 0; k < b.length; k++)
                    b[k] = (out[k >>> 6] >>> k & 1L) != 0;
                bits.add(b);
            }
            in = out;
        }
        boolean scored = model.outputKind() == OutputKind.CLASSES;
        return new Trace(bits, scored ? full.scores.clone() : new int[classes], scored ? argmax(full.scores, classes) : -1);
    }
}
