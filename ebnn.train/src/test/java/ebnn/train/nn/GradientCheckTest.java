package ebnn.train.nn;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.SplittableRandom;

import org.junit.Test;

import ebnn.api.model.Shape;

/**
 * Each layer's backward pass against finite differences of L = Σ y·r on tiny shapes. Where the STE
 * replaces a true derivative (sign), the test checks the STE rule itself; binary weights enter the
 * forward pass linearly, so flipping one weight (Δw = ∓2) is an exact finite difference for them.
 */
public class GradientCheckTest {
    private final SplittableRandom rnd = new SplittableRandom(42);

    private float[] random(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++)
            a[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        return a;
    }

    private static double loss(Op op, Par par, float[] x, float[] r, int batch) {
        float[] y = new float[batch * op.out.size()];
        op.prepare();
        op.forward(par, x, y, batch, true);
        double l = 0;
        for (int i = 0; i < y.length; i++)
            l += (double) y[i] * r[i];
        return l;
    }

    /** Runs forward+backward with dy = r; returns dx and leaves parameter gradients in the params. */
    private static float[] backward(Op op, Par par, float[] x, float[] r, int batch) {
        float[] y = new float[batch * op.out.size()];
        op.prepare();
        op.forward(par, x, y, batch, true);
        float[] dx = new float[x.length];
        op.backward(par, x, y, r, dx, batch);
        return dx;
    }

    private void checkInputGradient(Op op, float[] x, int batch, double h, double tol) {
        try (Par par = new Par(2)) {
            float[] r = random(batch * op.out.size(), 1);
            float[] dx = backward(op, par, x, r, batch);
            for (int i = 0; i < x.length; i++) {
                float keep = x[i];
                x[i] = (float) (keep + h);
                double lp = loss(op, par, x, r, batch);
                x[i] = (float) (keep - h);
                double lm = loss(op, par, x, r, batch);
                x[i] = keep;
                double fd = (lp - lm) / (2 * h);
                assertEquals(op.name + " dx[" + i + "]", fd, dx[i], tol * Math.max(1, Math.abs(fd)));
            }
        }
    }

    /** Binary weights: flipping latent weight k changes the used weight by Δ = ∓2; L is linear in it. */
    private void checkBinaryWeightGradient(Op op, Param w, float[] x, int batch) {
        try (Par par = new Par(2)) {
            float[] r = random(batch * op.out.size(), 1);
            backward(op, par, x, r, batch);
            float[] g = w.g.clone();
            double l0 = loss(op, par, x, r, batch);
            for (int k = 0; k < w.w.length; k++) {
                float keep = w.w[k];
                double before = keep >= 0 ? 1 : -1;
                w.w[k] = keep >= 0 ? -0.5f : 0.5f;
                double l1 = loss(op, par, x, r, batch);
                w.w[k] = keep;
                double fd = (l1 - l0) / (-before - before);
                assertEquals(op.name + " dW[" + k + "]", fd, g[k], 1e-3 * Math.max(1, Math.abs(fd)));
            }
        }
    }

    @Test
    public void binaryDenseInputAndWeightGradients() {
        BinaryDense d = new BinaryDense("fc", 7, 5);
        d.weight.w[0] = 0.3f;
        for (int i = 1; i < d.weight.w.length; i++)
            d.weight.w[i] = (float) (rnd.nextDouble() - 0.5);
        float[] x = random(3 * 7, 2);
        x[4] = 0f; // the zero-skipping path
        checkInputGradient(d, x, 3, 1e-2, 1e-3);
        checkBinaryWeightGradient(d, d.weight, x, 3);
    }

    @Test
    public void binaryConvInputAndWeightGradientsWithPadding() {
        BinaryConv2d c = new BinaryConv2d("conv", new Shape(2, 5, 4), 3, 3, 1);
        for (int i = 0; i < c.weight.w.length; i++)
            c.weight.w[i] = (float) (rnd.nextDouble() - 0.5);
        float[] x = random(2 * 2 * 5 * 4, 2);
        checkInputGradient(c, x, 2, 1e-2, 1e-3);
        checkBinaryWeightGradient(c, c.weight, x, 2);
    }

    @Test
    public void binaryConvWithStrideTwoAndPadding() {
        BinaryConv2d c = new BinaryConv2d("conv", new Shape(2, 7, 6), 3, 3, 1, 2);
        assertEquals(4, c.out.height()); // (7 + 2 - 3) / 2 + 1
        assertEquals(3, c.out.width()); // (6 + 2 - 3) / 2 + 1
        for (int i = 0; i < c.weight.w.length; i++)
            c.weight.w[i] = (float) (rnd.nextDouble() - 0.5);
        float[] x = random(2 * 2 * 7 * 6, 2);
        checkInputGradient(c, x, 2, 1e-2, 1e-3);
        checkBinaryWeightGradient(c, c.weight, x, 2);
    }

    /** The forward pass against the definition: mostly-zero input (scatter path), dense bytes, ±1 input (popcount path). */
    @Test
    public void convForwardEqualsTheDefinitionOnDenseAndSparseInputs() {
        int[][] geometries = { { 3, 1, 1 }, { 5, 0, 3 }, { 4, 2, 2 } }; // kernel, pad, stride
        for (int[] g : geometries) {
            int k = g[0], pad = g[1], st = g[2];
            Shape in = new Shape(2, 9, 8);
            BinaryConv2d c = new BinaryConv2d("conv", in, 5, k, pad, st);
            for (int i = 0; i < c.weight.w.length; i++)
                c.weight.w[i] = (float) (rnd.nextDouble() - 0.5);
            int batch = 3;
            float[] x = new float[batch * in.size()];
            for (int i = 0; i < x.length; i++) {
                int sample = i / in.size(); // sample 0: 80 % zeros (scatter path), 1: dense bytes, 2: ±1 (popcount path)
                x[i] = sample == 2 ? (rnd.nextBoolean() ? 1f : -1f) : sample == 0 && rnd.nextInt(5) != 0 ? 0f : rnd.nextInt(256);
            }
            float[] y = new float[batch * c.out.size()];
            c.prepare();
            try (Par par = new Par(2)) {
                c.forward(par, x, y, batch, true);
            }
            for (int b = 0; b < batch; b++)
                for (int oc = 0; oc < 5; oc++)
                    for (int oy = 0; oy < c.out.height(); oy++)
                        for (int ox = 0; ox < c.out.width(); ox++) {
                            double sum = 0;
                            for (int ci = 0; ci < 2; ci++)
                                for (int ky = 0; ky < k; ky++)
                                    for (int kx = 0; kx < k; kx++) {
                                        int iy = oy * st + ky - pad, ix = ox * st + kx - pad;
                                        if (iy < 0 || ix < 0 || iy >= 9 || ix >= 8)
                                            continue;
                                        double w = c.weight.w[((oc * 2 + ci) * k + ky) * k + kx] >= 0 ? 1 : -1;
                                        sum += w * x[b * in.size() + (ci * 9 + iy) * 8 + ix];
                                    }
                            int yi = b * c.out.size() + (oc * c.out.height() + oy) * c.out.width() + ox;
                            assertEquals("k" + k + " pad " + pad + " stride " + st + " sample " + b, sum, y[yi], 0);
                        }
        }
    }

    @Test
    public void maxPoolGradientGoesToTheWinner() {
        MaxPool p = new MaxPool("pool", new Shape(2, 5, 5), 2, 2);
        float[] x = random(3 * 2 * 5 * 5, 5); // distinct values: no ties within h
        checkInputGradient(p, x, 3, 1e-3, 1e-3);
    }

    @Test
    public void batchNormGradientsInTrainingMode() {
        BatchNorm b = new BatchNorm("bn", new Shape(3, 2, 2));
        for (int c = 0; c < 3; c++) {
            b.gamma.w[c] = (float) (rnd.nextDouble() * 2 - 0.5);
            b.beta.w[c] = (float) (rnd.nextDouble() - 0.5);
        }
        float[] x = random(4 * 12, 3);
        checkInputGradient(b, x, 4, 1e-2, 2e-2);
        // gamma and beta by central differences
        try (Par par = new Par(1)) {
            float[] r = random(4 * 12, 1);
            backward(b, par, x, r, 4);
            for (Param p : b.params()) {
                float[] g = p.g.clone();
                for (int k = 0; k < p.w.length; k++) {
                    float keep = p.w[k];
                    double h = 1e-2;
                    p.w[k] = (float) (keep + h);
                    double lp = loss(b, par, x, r, 4);
                    p.w[k] = (float) (keep - h);
                    double lm = loss(b, par, x, r, 4);
                    p.w[k] = keep;
                    double fd = (lp - lm) / (2 * h);
                    assertEquals(p.name + "[" + k + "]", fd, g[k], 1e-2 * Math.max(1, Math.abs(fd)));
                }
            }
        }
    }

    @Test
    public void signPassesGradientStraightThroughOnlyWithinOne() {
        SignAct s = new SignAct("sign", Shape.vector(6));
        float[] x = { -2f, -1f, -0.5f, 0f, 0.99f, 1.5f };
        float[] y = new float[6];
        try (Par par = new Par(1)) {
            s.forward(par, x, y, 1, true);
            assertEquals(-1f, y[2], 0f);
            assertEquals(1f, y[3], 0f); // ties to +1
            float[] dy = { 1, 2, 3, 4, 5, 6 };
            float[] dx = new float[6];
            s.backward(par, x, y, dy, dx, 1);
            float[] expect = { 0, 2, 3, 4, 5, 0 };
            for (int i = 0; i < 6; i++)
                assertEquals("dx[" + i + "]", expect[i], dx[i], 0f);
        }
    }

    @Test
    public void softmaxCrossEntropyGradient() {
        Net net = new Net("t", Shape.vector(4), java.util.List.of(new BinaryDense("fc", 4, 3)));
        net.inputBuffer(2);
        float[] s = { 0.5f, -1f, 2f, 0.1f, 0.2f, -0.3f };
        int[] labels = { 2, 0 };
        double l0 = net.softmaxCrossEntropy(s, labels, 2)[0] / 2;
        float[] g = net.scoreGradient().clone();
        for (int k = 0; k < s.length; k++) {
            float keep = s[k];
            s[k] = keep + 1e-3f;
            double lp = net.softmaxCrossEntropy(s, labels, 2)[0] / 2;
            s[k] = keep - 1e-3f;
            double lm = net.softmaxCrossEntropy(s, labels, 2)[0] / 2;
            s[k] = keep;
            assertEquals("dscore[" + k + "]", (lp - lm) / 2e-3, g[k], 1e-3);
        }
        assertTrue(l0 > 0);
    }

    @Test
    public void adamKeepsLatentWeightsClippedAndMovesAgainstTheGradient() {
        Param w = new Param("w", 3, true);
        Param b = new Param("b", 1, false);
        w.w[0] = 0.999f;
        w.w[1] = -0.2f;
        w.w[2] = 0.2f;
        Adam adam = new Adam(java.util.List.of(w, b));
        try (Par par = new Par(1)) {
            for (int i = 0; i < 50; i++) {
                w.g[0] = -1f; // pushes above +1
                w.g[1] = 1f; // pushes down
                w.g[2] = 0f;
                b.g[0] = -1f; // unclipped
                adam.step(par, 0.1);
            }
        }
        assertEquals(1f, w.w[0], 0f);
        assertTrue(w.w[1] < -0.9f && w.w[1] >= -1f);
        assertEquals(0.2f, w.w[2], 0f);
        assertTrue("unclipped parameter passes 1: " + b.w[0], b.w[0] > 2f);
    }
}
