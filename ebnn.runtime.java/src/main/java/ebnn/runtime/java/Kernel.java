package ebnn.runtime.java;

import java.util.Arrays;

import ebnn.api.binary.BitMatrix;
import ebnn.api.binary.ByteInput;

/**
 * One block's kernel on the JVM: chosen once per block by {@link JvmKernels#select}, it knows what
 * it computes ({@link #run}) and what per-thread working memory it needs ({@link #newScratch}).
 * Everything derivable from the block alone (word layouts, sign tables, masks) is computed in the
 * constructor; kernels are immutable and shared by all threads.
 *
 * @param <S> the kernel's scratch type (one instance per thread and block, reused by every inference)
 */
abstract class Kernel<S> {
    final String name;
    /** Bits this kernel writes (0 when it produces scores). */
    final int outBits;

    Kernel(String name, int outBits) {
        this.name = name;
        this.outBits = outBits;
    }

    /** The kernel's name in the selector and in profiles, e.g. "conv-bytes-planes". */
    abstract String id();

    /** This kernel's per-thread working memory (null: it needs none). */
    abstract S newScratch();

    /**
     * Runs the block. Byte-input kernels read {@code bytes} at {@code off}; bit-input ones read
     * {@code in}. Bit output goes to {@code out} (cleared here first); scores to {@code scores}.
     */
    abstract void run(byte[] bytes, int off, long[] in, long[] out, int[] scores, S s);

    /** Images this kernel takes per {@link #runBatch} pass (1: it has no batched form). */
    int batch() {
        return 1;
    }

    /**
     * A first (byte-input) block's batched form: {@code count} (≤ {@link #batch}) samples stored back to back
     * from {@code off}, one pass; returns the scratch's per-sample output bit buffers (sample i's in element i).
     */
    long[][] runBatch(byte[] bytes, int off, int count, S s) {
        throw new UnsupportedOperationException(id() + " has no batched form");
    }

    @SuppressWarnings("unchecked")
    final long[][] runBatchWith(byte[] bytes, int off, int count, Object s) {
        return runBatch(bytes, off, count, (S) s);
    }

    @SuppressWarnings("unchecked")
    final void runWith(byte[] bytes, int off, long[] in, long[] out, int[] scores, Object s) {
        run(bytes, off, in, out, scores, (S) s);
    }

    static void clear(long[] out, int bits) {
        Arrays.fill(out, 0, Bits.words(bits) + 1, 0L);
    }

    /** A ±1 table of a weight matrix (row-major), or null when it has more than {@code limit} entries. */
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
}
