package ebnn.train.nn;

import java.util.ArrayList;
import java.util.List;

import ebnn.train.api.TrainingException;

/**
 * The memory-lean training pass (after Wang et al., "Enabling Binary Neural Network Training on the
 * Edge", EMDL 2021): between the forward and the backward pass only what backward needs is kept, each
 * in its smallest exact form: the batch's input as its bytes; each binarized activation as 1 bit and
 * the straight-through mask (|x| ≤ 1) as 1 bit; each batch norm's input, an integer accumulator, as
 * 16 or 32 bits (what its largest possible value needs), from which x-hat is recomputed; each max-pool
 * winner as its window offset in a byte. The convolution output before a pool never exists for the
 * whole batch (conv and pool run sample by sample), and the gradients flow through two buffers of the
 * largest block. Weight gradients are computed from the binary inputs, decoded one sample at a time.
 * <p>
 * Every value is computed with the same float operations in the same order as the standard pass, so
 * the same seed trains the same model bytes (the tests assert it).
 */
final class Lean {
    /** One block of the networks {@code Architectures} builds: conv or dense, [max-pool], batch norm, [sign]. */
    record Block(Op linear, MaxPool pool, BatchNorm bn, SignAct sign, int inSize, int linearOut, int size) {
    }

    /** Integers of a known bound in 16 or 32 bits. */
    static final class Ints {
        final short[] shorts;
        final int[] ints;

        Ints(int n, long bound) {
            shorts = bound <= Short.MAX_VALUE ? new short[n] : null;
            ints = shorts == null ? new int[n] : null;
        }

        int get(int k) {
            return shorts != null ? shorts[k] : ints[k];
        }

        void set(int k, int v) {
            if (shorts != null)
                shorts[k] = (short) v;
            else
                ints[k] = v;
        }

        long bytes() {
            return shorts != null ? 2L * shorts.length : 4L * ints.length;
        }
    }

    /** One bit per element; each sample's bits start a new 64-bit word so samples are written in parallel. */
    static final class Bits {
        final long[] words;
        final int perSample;

        Bits(int batch, int size) {
            perSample = (size + 63) >>> 6;
            words = new long[batch * perSample];
        }

        boolean get(int b, int k) {
            return (words[b * perSample + (k >>> 6)] >>> (k & 63) & 1L) != 0;
        }

        void clearSample(int b) {
            java.util.Arrays.fill(words, b * perSample, (b + 1) * perSample, 0L);
        }

        void set(int b, int k) {
            words[b * perSample + (k >>> 6)] |= 1L << (k & 63);
        }

        long bytes() {
            return 8L * words.length;
        }
    }

    private final List<Block> blocks;
    private final int inputSize;
    private int capacity;
    private byte[] input;
    private Ints[] bnIn;
    private byte[][] winners;
    private Bits[] signs, masks;
    private float[] scores, scoreGrad, gA, gB;
    private final float[][] xs = new float[Par.SHARDS][], ys = new float[Par.SHARDS][], dys = new float[Par.SHARDS][];
    private final float[][] pooled = new float[Par.SHARDS][];
    private final float[][] infA = new float[Par.SHARDS][], infB = new float[Par.SHARDS][]; // inference: a block's input and output

    Lean(Net net) {
        this.inputSize = net.input.size();
        this.blocks = blocks(net.ops);
    }

    /** The ops as blocks; a network of another arrangement is refused with what was found. */
    static List<Block> blocks(List<Op> ops) {
        List<Block> out = new ArrayList<>();
        int i = 0;
        while (i < ops.size()) {
            Op linear = ops.get(i);
            if (!(linear instanceof BinaryConv2d || linear instanceof BinaryDense))
                throw unsupported(linear, "a binary conv or dense layer starts each block");
            i++;
            MaxPool pool = i < ops.size() && ops.get(i) instanceof MaxPool p ? p : null;
            if (pool != null) {
                if (pool.kernel * pool.kernel > 256)
                    throw unsupported(pool, "pool windows of at most 256 positions (its winner is kept as a byte; this one has "
                            + pool.kernel * pool.kernel + ")");
                i++;
            }
            if (i >= ops.size() || !(ops.get(i) instanceof BatchNorm bn))
                throw unsupported(i < ops.size() ? ops.get(i) : linear, "a batch norm after each conv [+ pool] or dense layer");
            i++;
            SignAct sign = i < ops.size() && ops.get(i) instanceof SignAct a ? a : null;
            if (sign != null)
                i++;
            else if (i < ops.size())
                throw unsupported(ops.get(i), "a sign after every batch norm but the last");
            out.add(new Block(linear, pool, bn, sign, linear.in.size(), linear.out.size(), bn.in.size()));
        }
        if (out.isEmpty() || out.get(out.size() - 1).sign() != null)
            throw new TrainingException("--lean needs a network ending in dense + batch norm (the class scores); train without --lean");
        return out;
    }

    private static TrainingException unsupported(Op op, String needs) {
        return new TrainingException("--lean does not support layer '" + op.name + "' (" + op.getClass().getSimpleName()
                + ") where it is: lean training needs " + needs + "; train without --lean");
    }

    /** The largest absolute value a block's linear output can take: taps × 255 on the input bytes, taps on ±1. */
    private static long bound(Block k, boolean first) {
        long taps = k.linear() instanceof BinaryConv2d c ? (long) c.inChannels * c.kernel * c.kernel : ((BinaryDense) k.linear()).inputs;
        return taps * (first ? 255 : 1);
    }

    private void ensure(int batch) {
        if (batch <= capacity)
            return;
        capacity = batch;
        input = new byte[batch * inputSize];
        int n = blocks.size(), max = 0;
        bnIn = new Ints[n];
        winners = new byte[n][];
        signs = new Bits[n];
        masks = new Bits[n];
        for (int j = 0; j < n; j++) {
            Block k = blocks.get(j);
            bnIn[j] = new Ints(batch * k.size(), bound(k, j == 0));
            if (k.pool() != null)
                winners[j] = new byte[batch * k.size()];
            if (k.sign() != null) {
                signs[j] = new Bits(batch, k.size());
                masks[j] = new Bits(batch, k.size());
            }
            max = Math.max(max, k.size());
        }
        int classes = blocks.get(n - 1).size();
        scores = new float[batch * classes];
        scoreGrad = new float[batch * classes];
        gA = new float[batch * max];
        gB = new float[batch * max];
    }

    byte[] inputBuffer(int batch) {
        ensure(batch);
        return input;
    }

    float[] scoreGradient() {
        return scoreGrad;
    }

    private static float[] buf(float[][] b, int s, int n) {
        if (b[s] == null || b[s].length < n)
            b[s] = new float[n];
        return b[s];
    }

    /** Block j's input of sample b as floats: the bytes for the first block, ±1 from the previous block's sign bits. */
    private void loadInput(int j, int b, float[] x) {
        int n = blocks.get(j).inSize();
        if (j == 0) {
            int o = b * n;
            for (int i = 0; i < n; i++)
                x[i] = input[o + i] & 0xff;
        } else {
            Bits s = signs[j - 1];
            for (int i = 0; i < n; i++)
                x[i] = s.get(b, i) ? 1f : -1f;
        }
    }

    private static int exact(float v, Op op) {
        int i = (int) v;
        if (i != v)
            throw new IllegalStateException(op.name + ": accumulator " + v + " is not an integer");
        return i;
    }

    /**
     * Max-pool of one sample's linear output y (as MaxPool.forward: the first maximum of each window);
     * writes the maxima to {@code out} and, when winners is not null, each window offset.
     */
    private static void pool(MaxPool mp, float[] y, float[] out, byte[] winners, int wo) {
        int H = mp.in.height(), W = mp.in.width(), OH = mp.out.height(), OW = mp.out.width(), C = mp.in.channels(), k = mp.kernel;
        int q = 0;
        for (int c = 0; c < C; c++)
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++, q++) {
                    int best = -1;
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < k; ky++) {
                        int row = (c * H + oy * mp.stride + ky) * W + ox * mp.stride;
                        for (int kx = 0; kx < k; kx++)
                            if (best < 0 || y[row + kx] > m) {
                                m = y[row + kx];
                                best = ky * k + kx;
                            }
                    }
                    out[q] = m;
                    if (winners != null)
                        winners[wo + q] = (byte) best;
                }
    }

    /** Training forward of a batch placed in {@link #inputBuffer}; returns the scores (batch × classes). */
    float[] forwardTrain(Par par, int batch) {
        ensure(batch);
        for (int j = 0; j < blocks.size(); j++) {
            final int jj = j;
            Block k = blocks.get(j);
            Ints store = bnIn[j];
            par.shards(batch, (s, from, to) -> {
                float[] x = buf(xs, s, k.inSize()), y = buf(ys, s, k.linearOut());
                float[] p = k.pool() == null ? y : buf(pooled, s, k.size());
                for (int b = from; b < to; b++) {
                    loadInput(jj, b, x);
                    k.linear().forwardSample(x, 0, y, 0, s);
                    if (k.pool() != null)
                        pool(k.pool(), y, p, winners[jj], b * k.size());
                    for (int i = 0; i < k.size(); i++)
                        store.set(b * k.size() + i, exact(p[i], k.linear()));
                }
            });
            k.bn().leanStatistics(par, store, batch);
            int plane = k.bn().plane(), size = k.size();
            if (k.sign() != null) {
                Bits sg = signs[j], mk = masks[j];
                par.shards(batch, (s, from, to) -> {
                    for (int b = from; b < to; b++) {
                        sg.clearSample(b);
                        mk.clearSample(b);
                        for (int i = 0; i < size; i++) {
                            float v = k.bn().leanOutput(i / plane, store.get(b * size + i));
                            if (v >= 0f)
                                sg.set(b, i);
                            if (Math.abs(v) <= 1f)
                                mk.set(b, i);
                        }
                    }
                });
            } else {
                par.shards(batch, (s, from, to) -> {
                    for (int b = from; b < to; b++)
                        for (int i = 0; i < size; i++)
                            scores[b * size + i] = k.bn().leanOutput(i / plane, store.get(b * size + i));
                });
            }
        }
        return scores;
    }

    /** Backward from {@link #scoreGradient()}, after {@link #forwardTrain} of the same batch. */
    void backward(Par par, int batch) {
        for (int j = blocks.size() - 1; j >= 0; j--) {
            final int jj = j;
            Block k = blocks.get(j);
            // gA holds the gradient at this block's sign output (the scores' gradient for the last block)
            k.bn().leanBackward(par, bnIn[j], k.sign() == null ? null : masks[j], k.sign() == null ? scoreGrad : gA, gB, batch);
            float[] dx = j == 0 ? null : gA;
            par.shards(batch, (s, from, to) -> {
                k.linear().beginShard(s);
                float[] x = buf(xs, s, k.inSize());
                float[] dy = k.pool() == null ? null : buf(dys, s, k.linearOut());
                for (int b = from; b < to; b++) {
                    loadInput(jj, b, x);
                    if (k.pool() == null) {
                        k.linear().backwardSample(x, 0, gB, b * k.size(), dx, b * k.inSize(), s);
                        continue;
                    }
                    // the pool's backward: each output's gradient to its window's winner, in output order
                    MaxPool mp = k.pool();
                    int H = mp.in.height(), W = mp.in.width(), OH = mp.out.height(), OW = mp.out.width(), kk = mp.kernel;
                    java.util.Arrays.fill(dy, 0, k.linearOut(), 0f);
                    int q = 0, base = b * k.size();
                    for (int c = 0; c < mp.in.channels(); c++)
                        for (int oy = 0; oy < OH; oy++)
                            for (int ox = 0; ox < OW; ox++, q++) {
                                int w = winners[jj][base + q];
                                dy[(c * H + oy * mp.stride + w / kk) * W + ox * mp.stride + w % kk] += gB[base + q];
                            }
                    k.linear().backwardSample(x, 0, dy, 0, dx, b * k.inSize(), s);
                }
            });
            k.linear().finishGradients(par);
        }
    }

    /** Inference (running statistics) of the first m samples in {@link #inputBuffer}, sample by sample; the scores. */
    float[] infer(Par par, int m) {
        ensure(m);
        int classes = blocks.get(blocks.size() - 1).size();
        int widest = inputSize;
        for (Block k : blocks)
            widest = Math.max(widest, k.size());
        final int w = widest;
        par.shards(m, (s, from, to) -> {
            for (int b = from; b < to; b++) {
                float[] x = buf(infA, s, w), other = buf(infB, s, w);
                loadInput(0, b, x);
                for (Block k : blocks) {
                    float[] y = buf(ys, s, k.linearOut());
                    k.linear().forwardSample(x, 0, y, 0, s);
                    float[] p = y;
                    if (k.pool() != null) {
                        p = buf(pooled, s, k.size());
                        pool(k.pool(), y, p, null, 0);
                    }
                    int plane = k.bn().plane();
                    float[] next = k.sign() == null ? null : other;
                    for (int i = 0; i < k.size(); i++) {
                        float v = k.bn().inferenceOutput(i / plane, p[i]);
                        if (next != null)
                            next[i] = v >= 0f ? 1f : -1f;
                        else
                            scores[b * classes + i] = v;
                    }
                    if (next != null) { // the output is the next block's input
                        other = x;
                        x = next;
                    }
                }
            }
        });
        return scores;
    }

    /** Bytes held for a batch: the stores above and the per-shard sample buffers (not the ops' own work space). */
    long storageBytes() {
        long n = input == null ? 0 : input.length;
        for (int j = 0; bnIn != null && j < blocks.size(); j++) {
            n += bnIn[j].bytes();
            n += winners[j] == null ? 0 : winners[j].length;
            n += signs[j] == null ? 0 : signs[j].bytes() + masks[j].bytes();
        }
        n += 4L * (len(scores) + len(scoreGrad) + len(gA) + len(gB));
        for (int s = 0; s < Par.SHARDS; s++)
            n += 4L * (len(xs[s]) + len(ys[s]) + len(dys[s]) + len(pooled[s]) + len(infA[s]) + len(infB[s]));
        return n;
    }

    private static long len(float[] a) {
        return a == null ? 0 : a.length;
    }
}
