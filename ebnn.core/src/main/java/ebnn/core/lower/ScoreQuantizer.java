package ebnn.core.lower;

import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.IntArray;
import ebnn.api.binary.Scores;

/**
 * Pass: the last block's per-class float scores f_c(acc) = A_c·acc + B_c become int32 scores.
 * <ul>
 * <li>All A_c equal and positive and all B_c = 0: the scores are the accumulators (multiplier 1,
 * offset 0); the argmax is exactly the float argmax.</li>
 * <li>Otherwise fixed point: the largest power of two K ≤ 2^24 with |round(K·A_c)|·M +
 * |round(K·B_c)| < 2^30 for every class, multiplier_c = round(K·A_c), offset_c = round(K·B_c).
 * Each integer score is within (M + 1)/2 of K·f_c(acc), so two classes' order can differ from the
 * float order only when their float scores are within {@code bound} = (M + 1)/K of each other;
 * whenever the float top score leads the runner-up by more than {@code bound}, the integer argmax
 * is the float argmax.</li>
 * </ul>
 */
public final class ScoreQuantizer {
    public static final int MAX_SHIFT = 24;
    private static final long LIMIT = 1L << 30;

    private ScoreQuantizer() {
    }

    /**
     * @param k     the fixed-point factor K (1 for identity scores)
     * @param bound float score gap below which the integer argmax may differ from the float one (0: never)
     */
    public record Quantized(Scores scores, double k, double bound) {
    }

    public static Quantized quantize(double[] a, double[] b, long maxAcc, String where) {
        int n = a.length;
        boolean identity = true;
        for (int c = 0; c < n; c++)
            identity &= a[c] == a[0] && a[0] > 0 && b[c] == 0;
        if (identity)
            return new Quantized(Scores.identity(n), 1, 0);
        for (int e = MAX_SHIFT; e >= -60; e--) {
            double k = Math.scalb(1.0, e);
            int[] m = new int[n], o = new int[n];
            boolean ok = true;
            for (int c = 0; c < n && ok; c++) {
                double mm = Math.rint(k * a[c]), oo = Math.rint(k * b[c]);
                ok = Math.abs(mm) * maxAcc + Math.abs(oo) < LIMIT;
                m[c] = (int) mm;
                o[c] = (int) oo;
            }
            if (ok)
                return new Quantized(new Scores(IntArray.of(m), IntArray.of(o)), k, (maxAcc + 1) / k);
        }
        throw new UnsupportedModelException(where + ": class scores cannot be represented as int32 fixed point (scale/offset too large)");
    }
}
