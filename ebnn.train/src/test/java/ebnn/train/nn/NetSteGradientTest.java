package ebnn.train.nn;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.Test;

import ebnn.api.model.Shape;
import ebnn.train.impl.Architectures;

/**
 * The straight-through estimator on a whole tiny network (conv → pool → BN → sign → dense → BN →
 * sign → dense → BN, softmax cross-entropy) against finite differences. Sign has no useful
 * derivative, so the reference network replaces every sign by the function that the STE
 * differentiates: f(x) = sign(x₀) + htanh(x) − htanh(x₀), pinned at the current pre-activations x₀.
 * It has the same value as sign at x₀ and the derivative 1{|x| ≤ 1}; so central differences of the
 * reference network's loss with respect to every continuous parameter (batch-norm γ and β of every
 * layer, including those before a sign) must equal what {@link Net#backward} computes.
 */
public class NetSteGradientTest {

    /** sign pinned at x₀, with the hard-tanh slope around it; backward is SignAct's STE rule. */
    static final class PinnedSign extends Op {
        private float[] x0;
        private final SignAct ste;

        PinnedSign(SignAct s) {
            super(s.name, s.in, s.out);
            ste = s;
        }

        private static float htanh(float v) {
            return Math.max(-1f, Math.min(1f, v));
        }

        @Override
        public void forward(Par par, float[] x, float[] y, int batch, boolean train) {
            int n = batch * in.size();
            if (x0 == null)
                x0 = java.util.Arrays.copyOf(x, n);
            for (int i = 0; i < n; i++)
                y[i] = (x0[i] >= 0 ? 1f : -1f) + htanh(x[i]) - htanh(x0[i]);
        }

        @Override
        public void backward(Par par, float[] x, float[] y, float[] dy, float[] dx, int batch) {
            ste.backward(par, x, y, dy, dx, batch);
        }
    }

    @Test
    public void steBackpropEqualsFiniteDifferencesOfThePinnedNetwork() {
        Shape input = new Shape(1, 8, 8);
        Net plain = Architectures.build("conv:3:3:1,pool:2:2,dense:5", input, 4);
        plain.init(5);
        List<Op> ops = new ArrayList<>();
        for (Op op : plain.ops)
            ops.add(op instanceof SignAct s ? new PinnedSign(s) : op);
        Net net = new Net("pinned", input, ops);
        SplittableRandom rnd = new SplittableRandom(9);
        for (Op op : ops)
            if (op instanceof BatchNorm b)
                for (int c = 0; c < b.channels; c++) {
                    // γ of both signs and small enough that many pre-activations lie inside |x| <= 1
                    b.gamma.w[c] = (float) ((rnd.nextBoolean() ? 1 : -1) * (0.3 + 0.7 * rnd.nextDouble()));
                    b.beta.w[c] = (float) (0.4 * rnd.nextDouble() - 0.2);
                }
        int batch = 6;
        float[] pixels = new float[batch * input.size()];
        for (int i = 0; i < pixels.length; i++)
            pixels[i] = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(256);
        int[] labels = { 0, 1, 2, 3, 1, 2 };
        try (Par par = new Par(2)) {
            double l0 = loss(net, par, pixels, labels, batch); // pins x0
            net.backward(par, batch);
            int checked = 0, nonZeroBeforeSign = 0;
            for (Op op : ops) {
                if (!(op instanceof BatchNorm b))
                    continue;
                boolean last = op == ops.get(ops.size() - 1);
                for (Param p : b.params()) {
                    float[] g = p.g.clone();
                    for (int k = 0; k < p.w.length; k++) {
                        float keep = p.w[k];
                        double h = 1e-3;
                        p.w[k] = (float) (keep + h);
                        double lp = loss(net, par, pixels, labels, batch);
                        p.w[k] = (float) (keep - h);
                        double lm = loss(net, par, pixels, labels, batch);
                        p.w[k] = keep;
                        double fd = (lp - lm) / (2 * h);
                        assertEquals(p.name + "[" + k + "]", fd, g[k], 2e-3 + 2e-2 * Math.abs(fd));
                        checked++;
                        if (!last && Math.abs(g[k]) > 1e-4)
                            nonZeroBeforeSign++;
                    }
                }
            }
            assertTrue("loss is finite", Double.isFinite(l0));
            assertEquals("γ and β of three batch norms (3 + 5 + 4 channels)", 2 * (3 + 5 + 4), checked);
            assertTrue("the STE carries gradient through the signs: " + nonZeroBeforeSign, nonZeroBeforeSign >= 6);
        }
    }

    private static double loss(Net net, Par par, float[] pixels, int[] labels, int batch) {
        float[] x = net.inputBuffer(batch);
        System.arraycopy(pixels, 0, x, 0, pixels.length);
        float[] scores = net.forward(par, batch, true);
        return net.softmaxCrossEntropy(scores, labels, batch)[0] / batch;
    }
}
