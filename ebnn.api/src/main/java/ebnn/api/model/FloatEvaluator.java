package ebnn.api.model;

/**
 * Straightforward double-precision evaluation of a float-level model: the reference the integer
 * passes and every back end are checked against. Slow by design; not for production inference.
 * Inputs are unsigned bytes in CHW order, mapped to floats by the model's {@link InputSpec}.
 */
public final class FloatEvaluator {
    private final Model model;

    public FloatEvaluator(Model model) {
        this.model = model;
    }

    /** Scores for one sample of unsigned bytes in CHW order. */
    public double[] scores(byte[] chwInput) {
        Shape s = model.input().shape();
        if (chwInput.length != s.size())
            throw new IllegalArgumentException("input has " + chwInput.length + " bytes, model takes " + s.size());
        double[] x = new double[s.size()];
        for (int i = 0; i < x.length; i++)
            x[i] = model.input().valueOf(chwInput[i] & 0xff);
        return scores(x);
    }

    /** Scores for one sample of float input values in CHW order (as the source model takes them). */
    public double[] scores(double[] chwValues) {
        Shape s = model.input().shape();
        double[] x = chwValues.clone();
        for (Layer l : model.layers()) {
            Shape out = l.outputShape(s);
            x = apply(l, s, out, x);
            s = out;
        }
        return x;
    }

    /** The predicted class: argmax of the scores, ties to the lowest index. */
    public int classify(byte[] chwInput) {
        return argmax(scores(chwInput));
    }

    public static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++)
            if (v[i] > v[best])
                best = i;
        return best;
    }

    /** Runs one layer on a CHW tensor. */
    public static double[] apply(Layer layer, Shape in, Shape out, double[] x) {
        if (layer instanceof Dense d) {
            double[] y = new double[d.outputs()];
            for (int o = 0; o < d.outputs(); o++) {
                double acc = 0;
                for (int i = 0; i < d.inputs(); i++)
                    acc += d.weight(o, i) * x[i];
                y[o] = acc + d.biasOf(o);
            }
            return y;
        }
        if (layer instanceof Conv2d c) {
            double[] y = new double[out.size()];
            for (int o = 0; o < c.outChannels(); o++)
                for (int oy = 0; oy < out.height(); oy++)
                    for (int ox = 0; ox < out.width(); ox++) {
                        double acc = 0;
                        for (int ci = 0; ci < c.inChannels(); ci++)
                            for (int ky = 0; ky < c.kernelH(); ky++) {
                                int iy = oy * c.strideH() + ky - c.padding().top();
                                if (iy < 0 || iy >= in.height())
                                    continue;
                                for (int kx = 0; kx < c.kernelW(); kx++) {
                                    int ix = ox * c.strideW() + kx - c.padding().left();
                                    if (ix < 0 || ix >= in.width())
                                        continue;
                                    acc += c.weight(o, ci, ky, kx) * x[(ci * in.height() + iy) * in.width() + ix];
                                }
                            }
                        y[(o * out.height() + oy) * out.width() + ox] = acc + c.biasOf(o);
                    }
            return y;
        }
        if (layer instanceof MaxPool2d p) {
            double[] y = new double[out.size()];
            for (int c = 0; c < out.channels(); c++)
                for (int oy = 0; oy < out.height(); oy++)
                    for (int ox = 0; ox < out.width(); ox++) {
                        double m = Double.NEGATIVE_INFINITY;
                        for (int ky = 0; ky < p.kernelH(); ky++) {
                            int iy = oy * p.strideH() + ky - p.padding().top();
                            if (iy < 0 || iy >= in.height())
                                continue;
                            for (int kx = 0; kx < p.kernelW(); kx++) {
                                int ix = ox * p.strideW() + kx - p.padding().left();
                                if (ix >= 0 && ix < in.width())
                                    m = Math.max(m, x[(c * in.height() + iy) * in.width() + ix]);
                            }
                        }
                        y[(c * out.height() + oy) * out.width() + ox] = m;
                    }
            return y;
        }
        if (layer instanceof BatchNorm b) {
            double[] y = new double[x.length];
            int plane = in.height() * in.width();
            for (int i = 0; i < x.length; i++) {
                int c = i / plane;
                y[i] = b.gamma().get(c) * (x[i] - b.mean().get(c)) / Math.sqrt(b.variance().get(c) + b.epsilon()) + b.beta().get(c);
            }
            return y;
        }
        if (layer instanceof Affine a) {
            double[] y = new double[x.length];
            int plane = in.height() * in.width();
            for (int i = 0; i < x.length; i++) {
                int c = i / plane;
                y[i] = x[i] * a.scaleOf(c) + a.shiftOf(c);
            }
            return y;
        }
        if (layer instanceof Sign) {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++)
                y[i] = x[i] >= 0 ? 1 : -1;
            return y;
        }
        if (layer instanceof Flatten)
            return x.clone();
        throw new IllegalStateException("unknown layer kind " + layer.kind());
    }
}
