package ebnn.runtime.java;

import ebnn.api.binary.ByteInput;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputKind;
import ebnn.api.binary.Scores;
import ebnn.api.binary.Thresholds;

/** The two dense kernels: on bits (XOR + popcount, four rows at a time) and on bytes (±1 dot products). */
abstract class DenseKernel<S> extends Kernel<S> {
    final int inputs;
    final int outputs;
    final int wpr;
    final long[] weights;
    final int[] tau;
    final int[] mult;
    final int[] offset;

    DenseKernel(DenseBlock b) {
        super(b.name(), b.producesScores() ? 0 : b.outputs());
        inputs = b.inputs();
        outputs = b.outputs();
        wpr = b.weights().wordsPerRow();
        weights = b.weights().toWords();
        if (b.output() instanceof Scores sc) {
            tau = null;
            mult = sc.multiplier().toArray();
            offset = sc.offset().toArray();
        } else {
            tau = ((Thresholds) b.output()).tau().toArray();
            mult = offset = null;
        }
    }

    /** Dense on bits: popcount(x XOR w) per row, then branch-free thresholds or the scores. */
    static final class OnBits extends DenseKernel<int[]> {
        static boolean applies(DenseBlock b) {
            return b.inputKind() == InputKind.BITS;
        }

        OnBits(DenseBlock b) {
            super(b);
        }

        @Override
        String id() {
            return "dense-bits";
        }

        @Override
        int[] newScratch() {
            return new int[outputs]; // popcount per row
        }

        @Override
        void run(byte[] bytes, int off, long[] in, long[] out, int[] scores, int[] pc) {
            // padding bits past `inputs` are 0 in both streams: XOR 0, never counted
            popcounts(in, weights, wpr, outputs, pc);
            if (tau == null) {
                for (int o = 0; o < outputs; o++)
                    scores[o] = (inputs - 2 * pc[o]) * mult[o] + offset[o];
                return;
            }
            clear(out, outBits);
            // branch-free: bit = acc - τ >= 0 (in long: τ may lie outside the accumulator range)
            long word = 0;
            for (int o = 0; o < outputs; o++) {
                word |= (((long) (inputs - 2 * pc[o]) - tau[o]) >>> 63 ^ 1L) << o;
                if ((o & 63) == 63) {
                    out[o >>> 6] = word;
                    word = 0;
                }
            }
            if ((outputs & 63) != 0)
                out[outputs >>> 6] = word;
        }
    }

    /** Dense on bytes: q = m·p + o once, then Σ ±q per row (a ±1 int table, or the bits of huge layers). */
    static final class OnBytes extends DenseKernel<int[]> {
        private final ByteInput map;
        private final int[] signs;

        static boolean applies(DenseBlock b) {
            return b.inputKind() == InputKind.BYTES;
        }

        OnBytes(DenseBlock b, int signLimit) {
            super(b);
            map = b.byteInput();
            signs = signs(b.weights(), signLimit);
        }

        @Override
        String id() {
            return signs != null ? "dense-bytes-signs" : "dense-bytes-bits";
        }

        @Override
        int[] newScratch() {
            return new int[inputs]; // the mapped input q
        }

        @Override
        void run(byte[] bytes, int off, long[] in, long[] out, int[] scores, int[] q) {
            mapBytes(map, bytes, off, inputs, q);
            if (tau != null)
                clear(out, outBits);
            for (int o = 0; o < outputs; o++) {
                int acc = signs != null ? dot(signs, o * inputs, q, inputs) : dotBits(weights, o * wpr, q, inputs);
                if (tau != null) {
                    if (acc >= tau[o])
                        out[o >>> 6] |= 1L << o;
                } else
                    scores[o] = acc * mult[o] + offset[o];
            }
        }
    }
}
