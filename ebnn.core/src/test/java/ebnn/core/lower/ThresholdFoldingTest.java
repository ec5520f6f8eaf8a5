package ebnn.core.lower;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.Test;

import ebnn.api.model.BatchNorm;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;

/**
 * Batch norm + sign folding: for random parameters (γ < 0, γ = 0, tiny and huge variance), the
 * integer test acc >= τ (on flipped weights where the fold says so) equals the float decision of
 * {@link FloatEvaluator} for EVERY integer accumulator in [−M, M].
 */
public class ThresholdFoldingTest {
    private static final Shape ONE = new Shape(1, 1, 1);

    /** The reference decision: FloatEvaluator's batch norm on the pre-activation α·acc + b, then sign. */
    private static boolean floatBit(BatchNorm bn, double alpha, double bias, long acc) {
        double[] y = FloatEvaluator.apply(bn, ONE, ONE, new double[] { alpha * acc + bias });
        return y[0] >= 0;
    }

    private static ThresholdFolding.Folded fold(BatchNorm bn, double alpha, double bias, long m) {
        ChannelOp op = ChannelOp.of(bn, ONE, false, 0);
        double slope = alpha * op.slope();
        return ThresholdFolding.fold(acc -> op.apply(alpha * acc + bias), slope, bias * op.slope() + op.intercept(), m, "test");
    }

    private static void assertExact(BatchNorm bn, double alpha, double bias, long m, ThresholdFolding.Folded f) {
        for (long acc = -m; acc <= m; acc++) {
            long deviceAcc = f.flip() ? -acc : acc; // flipped weights negate the accumulator
            assertEquals("acc " + acc + " " + bn + " tau " + f.tau() + " flip " + f.flip(), floatBit(bn, alpha, bias, acc), deviceAcc >= f.tau());
        }
    }

    static BatchNorm bn(double gamma, double beta, double mean, double var, double eps) {
        return new BatchNorm("bn", 1, Params.of(gamma), Params.of(beta), Params.of(mean), Params.of(var), eps);
    }

    @Test
    public void randomBatchNormsFoldExactlyForEveryAccumulator() {
        Random r = new Random(7);
        int negatives = 0, zeros = 0, constantsSeen = 0;
        for (int t = 0; t < 800; t++) {
            long m = 1 + r.nextInt(t % 10 == 0 ? 2000 : 200);
            double alpha = r.nextBoolean() ? 1 : Math.exp(2 * r.nextGaussian());
            double bias = r.nextBoolean() ? 0 : alpha * r.nextGaussian() * 3;
            int kind = r.nextInt(10);
            double gamma = kind < 3 ? -(0.01 + r.nextDouble() * 3) : kind == 3 ? 0 : 0.01 + r.nextDouble() * 3;
            double var = switch (r.nextInt(6)) {
            case 0 -> 1e-12;
            case 1 -> 1e12;
            default -> Math.pow(10, 4 * r.nextDouble() - 2) * alpha * alpha * m;
            };
            // means both on and between the reachable values α·acc
            double mean = r.nextBoolean() ? alpha * (r.nextInt((int) (2 * m + 1)) - m) : alpha * m * (2 * r.nextDouble() - 1);
            double beta = r.nextInt(4) == 0 ? 0 : r.nextGaussian();
            BatchNorm b = bn(gamma, beta, mean, var, r.nextBoolean() ? 0 : 1e-5);
            ThresholdFolding.Folded f = fold(b, alpha, bias, m);
            assertExact(b, alpha, bias, m, f);
            assertEquals(gamma < 0, f.flip());
            negatives += gamma < 0 ? 1 : 0;
            zeros += gamma == 0 ? 1 : 0;
            constantsSeen += f.tau() == -m || f.tau() == m + 1 ? 1 : 0;
            assertTrue(f.tau() >= -m && f.tau() <= m + 1);
        }
        assertTrue(negatives > 120 && zeros > 30 && constantsSeen > zeros);
    }

    @Test
    public void handComputedThresholds() {
        // x = acc, BN(γ=1, μ=2.5, σ²=1) : acc - 2.5 >= 0  <=>  acc >= 3
        ThresholdFolding.Folded f = fold(bn(1, 0, 2.5, 1, 0), 1, 0, 10);
        assertEquals(3, f.tau());
        assertFalse(f.flip());
        // ties go to +1: μ = 3 exactly gives acc >= 3 too
        assertEquals(3, fold(bn(1, 0, 3, 1, 0), 1, 0, 10).tau());
        // γ = -1: -(acc - 2.5) >= 0 <=> acc <= 2 <=> -acc >= -2 on flipped weights
        f = fold(bn(-1, 0, 2.5, 1, 0), 1, 0, 10);
        assertTrue(f.flip());
        assertEquals(-2, f.tau());
        // γ = 0: constant β; β >= 0 always 1 (τ = -M), β < 0 never (τ = M + 1)
        assertEquals(-10, fold(bn(0, 0.1, 2.5, 1, 0), 1, 0, 10).tau());
        assertEquals(-10, fold(bn(0, 0, 2.5, 1, 0), 1, 0, 10).tau());
        assertEquals(11, fold(bn(0, -0.1, 2.5, 1, 0), 1, 0, 10).tau());
        // a threshold beyond the reachable range is clamped to a constant
        assertEquals(11, fold(bn(1, 0, 50, 1, 0), 1, 0, 10).tau());
        assertEquals(-10, fold(bn(1, 0, -50, 1, 0), 1, 0, 10).tau());
        // α and bias fold in: 0.5·acc + 1 - 2 >= 0 <=> acc >= 2
        assertEquals(2, fold(bn(2, 0, 2, 4, 0), 0.5, 1, 10).tau());
    }

    @Test
    public void chainsOfBatchNormAndAffineFoldExactly() {
        Random r = new Random(11);
        for (int t = 0; t < 500; t++) {
            long m = 1 + r.nextInt(200);
            double alpha = Math.exp(r.nextGaussian());
            BatchNorm b = bn(r.nextGaussian(), r.nextGaussian(), alpha * m * (2 * r.nextDouble() - 1), alpha * alpha * m, 1e-5);
            ebnn.api.model.Affine a = new ebnn.api.model.Affine("a", 1, Params.of(r.nextGaussian()), Params.of(r.nextGaussian()));
            List<ChannelOp> ops = List.of(ChannelOp.of(b, ONE, false, 0), ChannelOp.of(a, ONE, false, 0));
            double slope = alpha * ops.get(0).slope() * ops.get(1).slope();
            double icpt = ops.get(0).intercept() * ops.get(1).slope() + ops.get(1).intercept();
            ThresholdFolding.Folded f = ThresholdFolding.fold(acc -> ChannelOp.applyAll(ops, alpha * acc), slope, icpt, m, "t");
            for (long acc = -m; acc <= m; acc++) {
                double[] x = { alpha * acc };
                x = FloatEvaluator.apply(b, ONE, ONE, x);
                x = FloatEvaluator.apply(a, ONE, ONE, x);
                assertEquals(x[0] >= 0, (f.flip() ? -acc : acc) >= f.tau());
            }
        }
    }

    @Test
    public void hugeRangesAreCheckedAroundTheThreshold() {
        // M above the full-check limit (e.g. a wide layer on byte input): τ still equals the float decision point
        long m = ThresholdFolding.FULL_CHECK_LIMIT * 3;
        BatchNorm b = bn(1.5, 0.25, 1234567.3, 4e10, 0);
        ThresholdFolding.Folded f = fold(b, 1, 0, m);
        assertFalse(floatBit(b, 1, 0, f.tau() - 1));
        assertTrue(floatBit(b, 1, 0, f.tau()));
        assertFalse(floatBit(b, 1, 0, -m));
        assertTrue(floatBit(b, 1, 0, m));
        BatchNorm neg = bn(-1.5, 0.25, -7654321.7, 4e10, 0);
        ThresholdFolding.Folded g = fold(neg, 1, 0, m);
        assertTrue(g.flip());
        assertTrue(floatBit(neg, 1, 0, -g.tau()));
        assertFalse(floatBit(neg, 1, 0, -(g.tau() - 1)));
    }

    @Test
    public void verificationWorkIsBounded() {
        // mlp-128's first layer (128 rows, M = 784 * 255) is checked value by value
        assertTrue(ThresholdFolding.exhaustive(128, 784 * 255));
        // a hostile 16384-input byte layer with 64 rows would need 535M evaluations: window check instead
        assertFalse(ThresholdFolding.exhaustive(64, 16384 * 255));
        assertFalse(ThresholdFolding.exhaustive(1, ThresholdFolding.FULL_CHECK_LIMIT + 1));
        // the window check still finds the right τ when the closed form is useless (slope underflow)
        BatchNorm b = bn(1e-300, 0, 12345.5, 1, 0);
        ThresholdFolding.Folded f = ThresholdFolding.fold(acc -> FloatEvaluator.apply(b, ONE, ONE, new double[] { acc })[0], Double.MIN_VALUE,
                0, 1_000_000, "t", false);
        assertEquals(12346, f.tau());
    }
}
