package ebnn.core.lower;

import java.util.function.LongToDoubleFunction;

import ebnn.api.UnsupportedModelException;

/**
 * Pass: batch norm (and affine) + sign become one integer threshold per channel.
 * <p>
 * The float decision of a channel is {@code f(acc) >= 0}, where {@code f} is the exact double
 * evaluation of the float chain (pre-activation α·acc + b, then batch norm / affine steps as the
 * reference evaluator computes them) and {@code acc} is the integer accumulator in [−M, M].
 * <ul>
 * <li>direction > 0: τ = the smallest integer acc with f(acc) >= 0, so bit = acc >= τ;</li>
 * <li>direction < 0 (e.g. γ < 0): the row's weights are flipped (acc → −acc) and τ is derived for
 * f(−acc), so the same test holds;</li>
 * <li>direction 0 (γ = 0 or scale 0): the decision is constant; τ = −M (always 1) or M + 1 (never).</li>
 * </ul>
 * τ starts from the closed form ⌈−B/A⌉ of the real affine, is adjusted against the double
 * evaluation, and is then VERIFIED against f for every integer acc in [−M, M]: the verification,
 * not the formula, is the guarantee. (Every IEEE step of f is monotone, so f is monotone and the
 * adjusted τ always verifies; for huge M, or when a layer's total work would exceed
 * {@link #WORK_LIMIT} evaluations, only a window of {@value #WINDOW} values either side of τ and the
 * ends are checked, which monotonicity makes sufficient.)
 */
public final class ThresholdFolding {
    /** Above this M, verification checks a window around τ instead of every value. */
    public static final long FULL_CHECK_LIMIT = 1L << 22;
    public static final long WINDOW = 1L << 16;
    /** Most evaluations an exhaustive check of one layer may take (rows × (2M + 1)); about a few seconds. */
    public static final long WORK_LIMIT = 1L << 28;

    /** Whether a layer of {@code rows} channels and accumulator range M is verified exhaustively. */
    public static boolean exhaustive(int rows, long maxAcc) {
        return maxAcc <= FULL_CHECK_LIMIT && rows * (2 * maxAcc + 1) <= WORK_LIMIT;
    }

    private ThresholdFolding() {
    }

    /** @param flip whether the row's weight bits must be inverted */
    public record Folded(int tau, boolean flip) {
    }

    /**
     * @param f         decision value as a function of the (unflipped) integer accumulator
     * @param slope     the real slope of f (its sign is the direction; a closed-form guess uses its value)
     * @param intercept f(0) as a real affine, for the closed-form guess
     * @param maxAcc    M: |acc| <= M
     * @param where     names the layer and channel for messages
     */
    public static Folded fold(LongToDoubleFunction f, double slope, double intercept, long maxAcc, String where) {
        return fold(f, slope, intercept, maxAcc, where, maxAcc <= FULL_CHECK_LIMIT);
    }

    /**
     * As {@link #fold(LongToDoubleFunction, double, double, long, String)}; {@code exhaustive} false
     * verifies only the ends and a window around τ (the caller bounds a layer's total work so that a
     * hostile model cannot make lowering run for hours).
     */
    public static Folded fold(LongToDoubleFunction f, double slope, double intercept, long maxAcc, String where, boolean exhaustive) {
        if (maxAcc <= 0 || maxAcc >= Integer.MAX_VALUE / 2)
            throw new UnsupportedModelException(where + ": accumulator range " + maxAcc + " does not fit int32");
        long M = maxAcc;
        boolean flip = slope < 0;
        LongToDoubleFunction g = flip ? a -> f.applyAsDouble(-a) : f;
        long tau;
        if (slope == 0 || !Double.isFinite(slope)) {
            tau = g.applyAsDouble(0) >= 0 ? -M : M + 1;
        } else {
            double guess = Math.ceil(-intercept / Math.abs(slope));
            tau = Double.isNaN(guess) ? 0 : (long) Math.max(-M, Math.min(M + 1, guess));
            // adjust to the double evaluation, which is monotone non-decreasing in acc after the flip:
            // the closed form is usually exact; otherwise the smallest acc with g(acc) >= 0 by bisection
            boolean ok = (tau > M || g.applyAsDouble(tau) >= 0) && (tau == -M || g.applyAsDouble(tau - 1) < 0);
            if (!ok) {
                long lo = -M, hi = M + 1; // answer in [lo, hi]; hi = M + 1 means never
                while (lo < hi) {
                    long mid = Math.floorDiv(lo + hi, 2);
                    if (g.applyAsDouble(mid) >= 0)
                        hi = mid;
                    else
                        lo = mid + 1;
                }
                tau = lo;
            }
        }
        verify(g, tau, M, where, exhaustive);
        return new Folded((int) tau, flip);
    }

    private static void verify(LongToDoubleFunction g, long tau, long M, String where, boolean exhaustive) {
        if (exhaustive) {
            for (long acc = -M; acc <= M; acc++)
                check(g, tau, acc, where);
        } else {
            check(g, tau, -M, where);
            check(g, tau, M, where);
            for (long acc = Math.max(-M, tau - WINDOW); acc <= Math.min(M, tau + WINDOW); acc++)
                check(g, tau, acc, where);
        }
    }

    private static void check(LongToDoubleFunction g, long tau, long acc, String where) {
        if ((acc >= tau) != (g.applyAsDouble(acc) >= 0))
            throw new UnsupportedModelException(where + ": the float decision is not a threshold of the integer accumulator (acc "
                    + acc + ", tau " + tau + ", value " + g.applyAsDouble(acc) + ")");
    }
}
