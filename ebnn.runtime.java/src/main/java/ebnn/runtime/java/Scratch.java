package ebnn.runtime.java;

/**
 * One thread's working memory for one compiled model, allocated once and reused for every
 * inference: the ping-pong activation buffers, the scores, and each kernel's own scratch.
 */
final class Scratch {
    final long[] bufA, bufB; // ping-pong activation bits; block i writes A when i is even
    final int[] scores;
    final Object[] kernel; // kernel i's scratch (see Kernel.newScratch)

    Scratch(Kernel<?>[] kernels, int classes) {
        int bits = 1;
        kernel = new Object[kernels.length];
        for (int i = 0; i < kernels.length; i++) {
            bits = Math.max(bits, kernels[i].outBits);
            kernel[i] = kernels[i].newScratch();
        }
        bufA = new long[Bits.words(bits) + 1];
        bufB = new long[Bits.words(bits) + 1];
        scores = new int[classes];
    }

    /** Runs block 0's batched form on {@code count} samples from {@code off}; returns their output buffers. */
    long[][] runFirstBatch(Kernel<?>[] kernels, byte[] input, int off, int count) {
        return kernels[0].runBatchWith(input, off, count, kernel[0]);
    }

    /** Runs kernel i of {@code kernels} (this scratch's model) and returns the buffer it wrote. */
    long[] run(Kernel<?>[] kernels, int i, byte[] input, int off, long[] in) {
        long[] out = (i & 1) == 0 ? bufA : bufB;
        kernels[i].runWith(input, off, in, out, scores, kernel[i]);
        return out;
    }
}
