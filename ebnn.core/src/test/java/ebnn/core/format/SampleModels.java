package ebnn.core.format;

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
 * Seeded random float-level models for the format tests: every layer kind, odd sizes, padding,
 * strides, broadcast affine, labels, awkward names and awkward doubles (−0.0, subnormals, huge).
 * Not necessarily binarized: the format must store any valid model.
 */
final class SampleModels {
    private SampleModels() {
    }

    private static final String[] NAMES = { "", "fc1", "conv 1/3x3", "名前", "emoji \uD83D\uDE00 layer", "nul\0byte", "line\nbreak",
            "quote\"'\\", "x".repeat(1024) };

    static Model random(long seed) {
        Random r = new Random(seed);
        List<Layer> layers = new ArrayList<>();
        int c = 1 + r.nextInt(3);
        Shape in = new Shape(c, 1 + r.nextInt(9), 1 + r.nextInt(9));
        Shape s = in;
        if (r.nextBoolean())
            layers.add(new Affine(name(r), c, r.nextBoolean() ? params(r, 1) : params(r, c), r.nextBoolean() ? params(r, 1) : params(r, c)));
        int convs = s.height() >= 3 && s.width() >= 3 ? r.nextInt(3) : 0;
        for (int i = 0; i < convs; i++) {
            int kh = 1 + r.nextInt(Math.min(3, s.height()));
            int kw = 1 + r.nextInt(Math.min(3, s.width()));
            Padding p = new Padding(r.nextInt(kh), r.nextInt(kw), r.nextInt(kh), r.nextInt(kw));
            int out = 1 + r.nextInt(5);
            Conv2d conv = new Conv2d(name(r), s.channels(), out, kh, kw, 1 + r.nextInt(2), 1 + r.nextInt(2), p,
                    params(r, out * s.channels() * kh * kw), r.nextBoolean() ? Params.empty() : params(r, out));
            layers.add(conv);
            s = conv.outputShape(s);
            layers.add(batchNorm(r, out));
            layers.add(new Sign(name(r)));
            if (s.height() >= 2 && s.width() >= 2 && r.nextBoolean()) {
                MaxPool2d pool = new MaxPool2d(name(r), 2, 2, 1 + r.nextInt(2), 1 + r.nextInt(2), new Padding(r.nextInt(2), r.nextInt(2), 0, 0));
                layers.add(pool);
                s = pool.outputShape(s);
            }
        }
        layers.add(new Flatten(name(r)));
        int n = s.size();
        int hidden = r.nextInt(3);
        for (int i = 0; i < hidden; i++) {
            int out = 1 + r.nextInt(70);
            layers.add(new Dense(name(r), n, out, params(r, n * out), r.nextBoolean() ? Params.empty() : params(r, out)));
            layers.add(batchNorm(r, out));
            layers.add(new Sign(name(r)));
            n = out;
        }
        int classes = 2 + r.nextInt(9);
        layers.add(new Dense(name(r), n, classes, params(r, n * classes), r.nextBoolean() ? Params.empty() : params(r, classes)));
        if (r.nextBoolean())
            layers.add(batchNorm(r, classes));
        List<String> labels = new ArrayList<>();
        if (r.nextBoolean())
            for (int i = 0; i < classes; i++)
                labels.add(NAMES[r.nextInt(NAMES.length)] + i);
        double low = r.nextBoolean() ? 0 : -r.nextDouble() * 3;
        double high = low + (r.nextBoolean() ? 1 : 255 * r.nextDouble() + 1e-9);
        String modelName = "m" + seed + (r.nextBoolean() ? " \u00e9\u00df\uD83D\uDE80" : "");
        return new Model(modelName, new InputSpec(in, r.nextBoolean() ? Layout.NCHW : Layout.NHWC, low, high), layers, labels);
    }

    /**
     * {@link #random}'s model with every dense and conv weight made binary, +s or −s per output channel:
     * s = 1 everywhere (odd seeds; a trained model) or a random positive s per channel (even seeds;
     * XNOR-Net-style scales, -0.0-free by construction).
     */
    static Model binarized(long seed) {
        Model m = random(seed);
        Random r = new Random(seed ^ 0x5eed);
        List<Layer> layers = new ArrayList<>();
        for (Layer l : m.layers()) {
            if (l instanceof Dense d)
                l = new Dense(d.name(), d.inputs(), d.outputs(), signs(r, d.weights().length(), d.outputs(), seed % 2 == 1), d.bias());
            else if (l instanceof Conv2d c)
                l = new Conv2d(c.name(), c.inChannels(), c.outChannels(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding(),
                        signs(r, c.weights().length(), c.outChannels(), seed % 2 == 1), c.bias());
            layers.add(l);
        }
        return new Model(m.name(), m.input(), layers, m.labels());
    }

    private static Params signs(Random r, int n, int outputs, boolean unit) {
        double[] w = new double[n];
        int per = n / outputs;
        for (int o = 0; o < outputs; o++) {
            double s = unit ? 1 : switch (r.nextInt(4)) {
            case 0 -> Double.MIN_VALUE;
            case 1 -> Double.MAX_VALUE;
            default -> Math.abs(r.nextGaussian()) + 1e-3;
            };
            for (int i = o * per; i < (o + 1) * per; i++)
                w[i] = r.nextBoolean() ? s : -s;
        }
        return Params.of(w);
    }

    private static String name(Random r) {
        return NAMES[r.nextInt(NAMES.length)];
    }

    private static BatchNorm batchNorm(Random r, int n) {
        double[] gamma = new double[n];
        double[] var = new double[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(5);
            gamma[i] = k == 0 ? 0.0 : k == 1 ? -0.0 : r.nextGaussian();
            var[i] = r.nextInt(4) == 0 ? 0 : r.nextDouble();
        }
        return new BatchNorm(name(r), n, Params.of(gamma), params(r, n), params(r, n), Params.of(var), r.nextBoolean() ? 1e-5 : Double.MIN_VALUE);
    }

    /** Doubles covering the cases a lossy encoding would break: −0.0, subnormals, extremes, non-round values. */
    static Params params(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++)
            v[i] = switch (r.nextInt(12)) {
            case 0 -> -0.0;
            case 1 -> Double.MIN_VALUE;
            case 2 -> -Double.MAX_VALUE;
            case 3 -> Math.nextUp(1.0);
            case 4 -> r.nextBoolean() ? 1 : -1;
            default -> r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10);
            };
        return Params.of(v);
    }
}
