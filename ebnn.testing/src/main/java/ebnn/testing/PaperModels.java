package ebnn.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ebnn.api.model.Affine;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.Layout;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Model;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;

/**
 * Models shaped like the eBNN paper's and FINN's MNIST networks, with random but valid binarized
 * weights (±1) and batch norms centred on the pre-activations (some γ negative). For sizes and
 * memory plans, not for accuracy. Input: one 28x28 MNIST image.
 */
public final class PaperModels {
    private PaperModels() {
    }

    public static final Shape MNIST = new Shape(1, 28, 28);

    /** "mlp-128": 784 → 128 (BN, sign) → 10, input 0..1. */
    public static Model mlp128(long seed) {
        Random r = new Random(seed);
        List<Layer> l = new ArrayList<>();
        l.add(new Flatten("flatten"));
        l.add(dense(r, "fc1", 784, 128));
        l.add(bn(r, "bn1", 128, 0.5 * 784 * 0.5, Math.sqrt(784) * 0.4));
        l.add(new Sign("sign1"));
        l.add(dense(r, "fc2", 128, 10));
        return new Model("mlp-128", new InputSpec(MNIST, Layout.NCHW, 0, 1), l, labels());
    }

    /** "convpool-16": conv 16 filters 3x3 pad 1, 2x2 max-pool (eBNN order: pool, BN, sign), dense 10; input 0..1. */
    public static Model convPool16(long seed) {
        Random r = new Random(seed);
        List<Layer> l = new ArrayList<>();
        l.add(new Conv2d("conv1", 1, 16, 3, 3, 1, 1, Padding.same(1), pm(r, 16 * 9), Params.empty()));
        l.add(new MaxPool2d("pool1", 2, 2, 2, 2, Padding.NONE));
        l.add(bn(r, "bn1", 16, 1.5, 1.0));
        l.add(new Sign("sign1"));
        l.add(new Flatten("flatten"));
        l.add(dense(r, "fc1", 16 * 14 * 14, 10));
        return new Model("convpool-16", new InputSpec(MNIST, Layout.NCHW, 0, 1), l, labels());
    }

    /** FINN's TFC: input thresholded at 0.5 (2x − 1 then sign), 784 → 64 → 64 → 64 → 10, BN + sign between. */
    public static Model tfc(long seed) {
        Random r = new Random(seed);
        List<Layer> l = new ArrayList<>();
        l.add(new Affine("input_scale", 1, Params.of(2), Params.of(-1)));
        l.add(new Sign("input_sign"));
        l.add(new Flatten("flatten"));
        int n = 784;
        for (int i = 1; i <= 3; i++) {
            l.add(dense(r, "fc" + i, n, 64));
            l.add(bn(r, "bn" + i, 64, 0, Math.sqrt(n)));
            l.add(new Sign("sign" + i));
            n = 64;
        }
        l.add(dense(r, "fc4", 64, 10));
        l.add(new BatchNorm("tensornorm", 10, Params.filled(10, 1), Params.filled(10, 0), Params.filled(10, 0), Params.filled(10, 64), 1e-4));
        return new Model("tfc", new InputSpec(MNIST, Layout.NCHW, 0, 1), l, labels());
    }

    private static List<String> labels() {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < 10; i++)
            s.add(Integer.toString(i));
        return s;
    }

    private static Params pm(Random r, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++)
            w[i] = r.nextBoolean() ? 1 : -1;
        return Params.of(w);
    }

    private static Dense dense(Random r, String name, int in, int out) {
        return new Dense(name, in, out, pm(r, in * out), Params.empty());
    }

    /** Batch norm with means around {@code centre} ± {@code spread}, one channel in five with γ < 0. */
    private static BatchNorm bn(Random r, String name, int n, double centre, double spread) {
        double[] g = new double[n], b = new double[n], m = new double[n], v = new double[n];
        for (int c = 0; c < n; c++) {
            g[c] = (r.nextInt(5) == 0 ? -1 : 1) * (0.5 + r.nextDouble());
            b[c] = 0.1 * r.nextGaussian();
            m[c] = centre * r.nextGaussian() * 0.1 + spread * 0.5 * r.nextGaussian() + 0.37;
            v[c] = spread * spread * (0.5 + r.nextDouble());
        }
        return new BatchNorm(name, n, Params.of(g), Params.of(b), Params.of(m), Params.of(v), 1e-5);
    }
}
