package ebnn.testing;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

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
 * Seeded random float-level models that the eBNN lowering supports, covering its cases: MLPs and
 * conv nets with odd sizes (not multiples of 8/32/64), conv with and without padding and stride,
 * max-pool before batch norm (eBNN order) and after the sign (Larq/FINN order), γ < 0 and γ = 0,
 * affine layers, byte input with various value ranges, an input threshold first layer, per-row α
 * weight scales, flatten into dense, batch norm on the scores. The same seed always gives the same
 * model. Batch-norm statistics are drawn around the pre-activation's expected mean and spread, so
 * the bits are neither all 0 nor all 1 and the models exercise real decisions.
 */
public final class RandomModels {
    private RandomModels() {
    }

    /** What a generated model contains (for coverage checks in tests). */
    public enum Feature {
        MLP, CONV, CONV_PADDED, CONV_STRIDED, POOL_BEFORE_BN, POOL_AFTER_SIGN, POOL_PADDED, NEGATIVE_GAMMA, ZERO_GAMMA,
        EXTREME_VARIANCE, AFFINE, INPUT_AFFINE, INPUT_THRESHOLD, BYTE_RANGE_SIGNED, BYTE_RANGE_UNIT, BYTE_RANGE_RAW,
        BYTE_RANGE_ODD, PER_ROW_ALPHA, FLATTEN_INTO_DENSE, SCORE_BATCHNORM, SCORE_AFFINE, MULTI_CHANNEL_INPUT, TWO_CONV,
        /** a conv on 32 or 64 binary channels: whole words of channel bits (8- and 32-bit words; 64-bit ones with 64 channels) */
        CONV_ON_WORD_CHANNELS,
        /** a 6x6 or 7x7 filter: 36-147 taps, more than one register holds */
        WIDE_FILTER
    }

    public record Generated(long seed, Model model, Set<Feature> features) {
    }

    public static Model model(long seed) {
        return generate(seed).model();
    }

    /** {@code count} models from consecutive seeds starting at {@code seed}. */
    public static List<Generated> many(int count, long seed) {
        List<Generated> out = new ArrayList<>();
        for (int i = 0; i < count; i++)
            out.add(generate(seed + i));
        return out;
    }

    /** Random input bytes for a model, in CHW order (as {@link ebnn.api.model.FloatEvaluator} takes them). */
    public static byte[] input(Model m, Random rnd) {
        byte[] b = new byte[m.input().shape().size()];
        rnd.nextBytes(b);
        return b;
    }

    /** CHW bytes to the device's HWC order. */
    public static byte[] chwToHwc(Shape s, byte[] chw) {
        return ebnn.api.data.Samples.chwToHwc(chw, chw.length / s.size(), s);
    }

    public static Generated generate(long seed) {
        return new Builder(seed).build();
    }

    /** Mean and spread of the values a layer reads, to centre batch norms. */
    private record Stats(double mean, double sd) {
    }

    private static final class Builder {
        final long seed;
        final Random rnd;
        final Set<Feature> f = EnumSet.noneOf(Feature.class);
        final List<Layer> layers = new ArrayList<>();
        int counter;
        boolean zeroGamma, negGamma, perRowAlpha, extremeVar, affine;

        Builder(long seed) {
            this.seed = seed;
            this.rnd = new Random(seed * 0x9E3779B97F4A7C15L + 12345);
        }

        String name(String kind) {
            return kind + (++counter);
        }

        Generated build() {
            int family = (int) Math.floorMod(seed, 4L); // 0 MLP, 1 conv eBNN order, 2 conv Larq order, 3 conv without pool
            zeroGamma = rnd.nextInt(3) == 0;
            negGamma = rnd.nextInt(4) != 0;
            perRowAlpha = rnd.nextInt(3) == 0;
            extremeVar = rnd.nextInt(5) == 0;
            affine = rnd.nextInt(3) == 0;
            int channels = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(3) : 1;
            Shape in = family == 0 ? new Shape(channels, 2 + rnd.nextInt(10), 2 + rnd.nextInt(10))
                    : new Shape(channels, 5 + rnd.nextInt(8), 5 + rnd.nextInt(8));
            if (channels > 1)
                f.add(Feature.MULTI_CHANNEL_INPUT);
            boolean inputThreshold = rnd.nextInt(5) == 0;
            // padded conv on bytes needs a range whose low/(high-low)*255 is a simple fraction
            boolean firstPadded = family != 0 && rnd.nextBoolean();
            double[] range = pickRange(inputThreshold || !firstPadded);
            InputSpec spec = new InputSpec(in, rnd.nextBoolean() ? Layout.NCHW : Layout.NHWC, range[0], range[1]);
            Stats st = new Stats((range[0] + range[1]) / 2, (range[1] - range[0]) / Math.sqrt(12));
            if (inputThreshold) {
                f.add(Feature.INPUT_THRESHOLD);
                double[] scale = new double[channels], shift = new double[channels];
                for (int c = 0; c < channels; c++) {
                    scale[c] = 0.5 + rnd.nextDouble() * 2;
                    double t = range[0] + (0.15 + 0.7 * rnd.nextDouble()) * (range[1] - range[0]);
                    shift[c] = -scale[c] * t;
                }
                layers.add(new Affine(name("inaffine"), channels, Params.of(scale), Params.of(shift)));
                layers.add(new Sign(name("insign")));
                st = new Stats(0, 1);
            } else if (!firstPadded && rnd.nextInt(4) == 0) {
                // input normalisation: one positive scale, per-channel shifts
                f.add(Feature.INPUT_AFFINE);
                double s = 0.2 + rnd.nextDouble() * 3;
                double[] shift = new double[channels];
                for (int c = 0; c < channels; c++)
                    shift[c] = rnd.nextGaussian();
                layers.add(new Affine(name("norm"), channels, Params.of(s), Params.of(shift)));
                st = new Stats(st.mean * s, st.sd * s);
            }
            Shape cur = in;
            int classes = 2 + rnd.nextInt(9);
            if (family == 0) {
                f.add(Feature.MLP);
                if (!cur.isVector())
                    layers.add(new Flatten(name("flatten")));
                int n = cur.size();
                int hidden = 1 + rnd.nextInt(3);
                for (int h = 0; h < hidden; h++) {
                    int out = 1 + rnd.nextInt(70);
                    hiddenDense(n, out, st);
                    n = out;
                    st = new Stats(0, 1);
                }
                finalDense(n, classes, st);
            } else {
                f.add(Feature.CONV);
                cur = convBlock(cur, st, family, firstPadded);
                if (cur.height() >= 3 && cur.width() >= 3 && rnd.nextBoolean()) {
                    f.add(Feature.TWO_CONV);
                    cur = convBlock(cur, new Stats(0, 1), family, rnd.nextBoolean());
                }
                layers.add(new Flatten(name("flatten")));
                f.add(Feature.FLATTEN_INTO_DENSE);
                int n = cur.size();
                if (rnd.nextBoolean()) {
                    int out = 1 + rnd.nextInt(40);
                    hiddenDense(n, out, new Stats(0, 1));
                    n = out;
                }
                finalDense(n, classes, new Stats(0, 1));
            }
            Model m = new Model("random-" + seed, spec, layers);
            return new Generated(seed, m, f);
        }

        double[] pickRange(boolean anyRange) {
            int k = rnd.nextInt(anyRange ? 6 : 5);
            switch (k) {
            case 0:
                f.add(Feature.BYTE_RANGE_RAW);
                return new double[] { 0, 255 };
            case 1:
                f.add(Feature.BYTE_RANGE_UNIT);
                return new double[] { 0, 1 };
            case 2:
                f.add(Feature.BYTE_RANGE_SIGNED);
                return new double[] { -1, 1 };
            case 3:
                f.add(Feature.BYTE_RANGE_SIGNED);
                return new double[] { -0.5, 0.5 };
            case 4:
                f.add(Feature.BYTE_RANGE_ODD);
                return new double[] { -1, 3 };
            default:
                f.add(Feature.BYTE_RANGE_ODD);
                double lo = -2 + 3 * rnd.nextDouble();
                return new double[] { lo, lo + 0.1 + 3 * rnd.nextDouble() };
            }
        }

        /** ±α weights, α = 1, one common random α, or (per-row) one random α per row. */
        double[] weights(int rows, int cols, double[] alphaOut) {
            double common = rnd.nextBoolean() ? 1 : 0.05 + rnd.nextDouble() * 2;
            boolean perRow = perRowAlpha && rows > 1;
            if (perRow)
                f.add(Feature.PER_ROW_ALPHA);
            double[] w = new double[rows * cols];
            for (int r = 0; r < rows; r++) {
                double a = perRow ? Math.exp(rnd.nextGaussian()) : common;
                alphaOut[r] = a;
                for (int c = 0; c < cols; c++)
                    w[r * cols + c] = rnd.nextBoolean() ? a : -a;
            }
            return w;
        }

        /** Pre-activation mean and spread per row, given the inputs' stats. */
        void rowStats(double[] w, int rows, int cols, double[] bias, Stats st, double[] mu, double[] sd) {
            for (int r = 0; r < rows; r++) {
                double sum = 0, a = Math.abs(w[r * cols]);
                for (int c = 0; c < cols; c++)
                    sum += w[r * cols + c];
                mu[r] = bias[r] + sum * st.mean;
                sd[r] = a * Math.sqrt(cols) * Math.max(st.sd, 1e-3);
            }
        }

        /** Batch norm and/or affine layers centred on the pre-activation, with random signs. */
        void normalizer(int channels, double[] mu, double[] sd) {
            double[] gamma = new double[channels], beta = new double[channels], mean = new double[channels], var = new double[channels];
            for (int c = 0; c < channels; c++) {
                double g = 0.2 + rnd.nextDouble() * 2;
                int pick = rnd.nextInt(10);
                if (negGamma && pick < 3) {
                    g = -g;
                    f.add(Feature.NEGATIVE_GAMMA);
                } else if (zeroGamma && pick == 3) {
                    g = 0;
                    f.add(Feature.ZERO_GAMMA);
                }
                gamma[c] = g;
                mean[c] = mu[c] + sd[c] * 0.7 * rnd.nextGaussian();
                double s = sd[c] * (0.3 + 1.7 * rnd.nextDouble());
                var[c] = s * s;
                if (extremeVar && rnd.nextInt(6) == 0) {
                    var[c] = rnd.nextBoolean() ? 1e-9 : 1e9;
                    f.add(Feature.EXTREME_VARIANCE);
                }
                beta[c] = 0.3 * rnd.nextGaussian();
            }
            if (affine && rnd.nextInt(3) == 0) {
                // an affine in place of the batch norm: x*scale + shift with the same decision point
                f.add(Feature.AFFINE);
                double[] scale = new double[channels], shift = new double[channels];
                for (int c = 0; c < channels; c++) {
                    scale[c] = gamma[c] / Math.sqrt(var[c]);
                    shift[c] = beta[c] - mean[c] * scale[c];
                }
                layers.add(new Affine(name("affine"), channels, Params.of(scale), Params.of(shift)));
                return;
            }
            layers.add(new BatchNorm(name("bn"), channels, Params.of(gamma), Params.of(beta), Params.of(mean), Params.of(var),
                    rnd.nextBoolean() ? 1e-5 : 0));
            if (affine && rnd.nextBoolean()) {
                // e.g. FINN's Mul/Add after a batch norm; a negative scale reverses the decision
                f.add(Feature.AFFINE);
                double[] scale = new double[channels], shift = new double[channels];
                for (int c = 0; c < channels; c++) {
                    scale[c] = (rnd.nextInt(4) == 0 ? -1 : 1) * (0.5 + rnd.nextDouble());
                    shift[c] = 0.2 * rnd.nextGaussian();
                }
                layers.add(new Affine(name("affine"), channels, Params.of(scale), Params.of(shift)));
            }
        }

        void hiddenDense(int n, int out, Stats st) {
            double[] alpha = new double[out];
            double[] w = weights(out, n, alpha);
            double[] bias = new double[out];
            boolean hasBias = rnd.nextBoolean();
            for (int r = 0; r < out && hasBias; r++)
                bias[r] = alpha[r] * rnd.nextGaussian();
            layers.add(new Dense(name("dense"), n, out, Params.of(w), hasBias ? Params.of(bias) : Params.empty()));
            double[] mu = new double[out], sd = new double[out];
            rowStats(w, out, n, bias, st, mu, sd);
            normalizer(out, mu, sd);
            layers.add(new Sign(name("sign")));
        }

        void finalDense(int n, int classes, Stats st) {
            double[] alpha = new double[classes];
            double[] w = weights(classes, n, alpha);
            boolean hasBias = rnd.nextInt(3) == 0;
            double[] bias = new double[classes];
            for (int r = 0; r < classes && hasBias; r++)
                bias[r] = rnd.nextGaussian() * Math.sqrt(n);
            layers.add(new Dense(name("out"), n, classes, Params.of(w), hasBias ? Params.of(bias) : Params.empty()));
            int tail = rnd.nextInt(4);
            if (tail == 1) {
                f.add(Feature.SCORE_BATCHNORM);
                double[] gamma = new double[classes], beta = new double[classes], mean = new double[classes], var = new double[classes];
                for (int c = 0; c < classes; c++) {
                    gamma[c] = (negGamma && rnd.nextInt(4) == 0 ? -1 : 1) * (0.5 + rnd.nextDouble());
                    beta[c] = rnd.nextGaussian();
                    mean[c] = rnd.nextGaussian() * Math.sqrt(n);
                    var[c] = n * (0.5 + rnd.nextDouble());
                }
                if (gamma[0] < 0)
                    f.add(Feature.NEGATIVE_GAMMA);
                layers.add(new BatchNorm(name("scorebn"), classes, Params.of(gamma), Params.of(beta), Params.of(mean), Params.of(var), 1e-5));
            } else if (tail == 2) {
                f.add(Feature.SCORE_AFFINE);
                layers.add(new Affine(name("scoreaffine"), classes, Params.of(0.1 + rnd.nextDouble()), Params.of(rnd.nextGaussian())));
            }
        }

        /** One conv block in the family's order; returns its output shape. */
        Shape convBlock(Shape cur, Stats st, int family, boolean padded) {
            int kh = 1 + rnd.nextInt(Math.min(3, cur.height())), kw = 1 + rnd.nextInt(Math.min(3, cur.width()));
            if (rnd.nextBoolean())
                kw = kh = Math.min(Math.min(kh, cur.height()), cur.width()); // square kernels most of the time
            if (cur.channels() <= 3 && cur.height() >= 9 && cur.width() >= 9 && rnd.nextInt(4) == 0) {
                kh = kw = Math.min(6 + rnd.nextInt(2), Math.min(cur.height(), cur.width()));
                f.add(Feature.WIDE_FILTER);
            }
            int stride = rnd.nextInt(4) == 0 ? 2 : 1;
            Padding pad = Padding.NONE;
            if (padded && (kh > 1 || kw > 1)) {
                pad = rnd.nextBoolean() ? new Padding(kh / 2, kw / 2, kh / 2, kw / 2) : new Padding((kh - 1) / 2, (kw - 1) / 2, kh - 1 - (kh - 1) / 2, kw - 1 - (kw - 1) / 2);
                if (!pad.equals(Padding.NONE))
                    f.add(Feature.CONV_PADDED);
            }
            if (stride > 1)
                f.add(Feature.CONV_STRIDED);
            // 32 or 64 filters now and then, so that a second conv reads whole words of channel bits
            int filters = rnd.nextInt(5) == 0 ? (rnd.nextBoolean() ? 32 : 64) : 1 + rnd.nextInt(9);
            if (cur.channels() % 32 == 0)
                f.add(Feature.CONV_ON_WORD_CHANNELS);
            int cols = cur.channels() * kh * kw;
            double[] alpha = new double[filters];
            double[] w = weights(filters, cols, alpha);
            // Conv2d weights are [out][in][kh][kw]; weights() filled row-major [out][cols] = same layout
            boolean hasBias = rnd.nextBoolean();
            double[] bias = new double[filters];
            for (int r = 0; r < filters && hasBias; r++)
                bias[r] = alpha[r] * rnd.nextGaussian();
            Conv2d conv = new Conv2d(name("conv"), cur.channels(), filters, kh, kw, stride, stride, pad, Params.of(w),
                    hasBias ? Params.of(bias) : Params.empty());
            layers.add(conv);
            Shape out = conv.outputShape(cur);
            double[] mu = new double[filters], sd = new double[filters];
            rowStats(w, filters, cols, bias, st, mu, sd);
            MaxPool2d pool = null;
            if (family != 3 && out.height() >= 2 && out.width() >= 2) {
                int k = 2, s = rnd.nextInt(3) == 0 ? 1 : 2;
                Padding pp = Padding.NONE;
                if (rnd.nextInt(4) == 0 && out.height() >= 3 && out.width() >= 3) {
                    k = 3;
                    pp = Padding.same(1);
                    f.add(Feature.POOL_PADDED);
                }
                pool = new MaxPool2d(name("pool"), k, k, s, s, pp);
            }
            if (pool != null && family == 1) {
                f.add(Feature.POOL_BEFORE_BN);
                layers.add(pool);
                out = pool.outputShape(out);
                for (int r = 0; r < filters; r++)
                    mu[r] += sd[r]; // the max of a window sits above the mean
            }
            normalizer(filters, mu, sd);
            layers.add(new Sign(name("sign")));
            if (pool != null && family == 2) {
                f.add(Feature.POOL_AFTER_SIGN);
                layers.add(pool);
                out = pool.outputShape(out);
            }
            return out;
        }
    }
}
