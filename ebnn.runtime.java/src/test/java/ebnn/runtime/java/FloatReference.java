package ebnn.runtime.java;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.Block;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Layer;
import ebnn.api.model.Model;
import ebnn.api.model.Shape;

/**
 * Checks one sample of a lowered model against the float model, layer by layer with
 * {@link FloatEvaluator#apply}: each hidden block's bits must equal the ±1 tensor the float model
 * feeds its next Dense/Conv2d layer (the Sign output, pooled where the model pools after the sign),
 * and the predicted classes must agree unless the float top-2 margin is within the lowering's
 * score-quantisation bound.
 */
final class FloatReference {
    private final Model model;
    private final BinaryModel lowered;
    private final double scoreBound;
    /** Index in the layer list of the compute layer whose input holds each hidden block's bits. */
    private final int[] feeds;

    /** What one sample showed. */
    enum Outcome {
        SAME_CLASS, WITHIN_BOUND,
        /**
         * The integer scores tie (the class is the lowest tied index) while the float evaluator's
         * sums, rounded differently, split the tie by a margin within double rounding error: with
         * exact arithmetic the float scores tie too. Counted separately; the lowering's bound of 0
         * for accumulator scores does not cover it.
         */
        FLOAT_ROUNDING_TIE
    }

    /** Double rounding error of a score computed from O(fan-in) terms: far below any real score gap. */
    static double roundingSlack(double[] scores) {
        double max = 1;
        for (double v : scores)
            max = Math.max(max, Math.abs(v));
        return max * 1e-9;
    }

    FloatReference(Model model, BinaryModel lowered, double scoreBound) {
        this.model = model;
        this.lowered = lowered;
        this.scoreBound = scoreBound;
        List<Integer> compute = new ArrayList<>();
        for (int i = 0; i < model.layers().size(); i++)
            if (model.layers().get(i) instanceof Dense || model.layers().get(i) instanceof Conv2d)
                compute.add(i);
        List<Block> blocks = lowered.blocks();
        int skip = blocks.get(0) instanceof InputThresholdBlock ? 0 : 1;
        feeds = new int[blocks.size() - 1];
        if (compute.size() != blocks.size() - (1 - skip))
            throw new AssertionError(model.name() + ": " + compute.size() + " dense/conv layers for " + blocks.size() + " blocks");
        for (int k = 0; k < feeds.length; k++) {
            feeds[k] = compute.get(k + skip);
            Block b = blocks.get(k);
            if (!(b instanceof InputThresholdBlock) && !b.name().equals(model.layers().get(compute.get(k + skip - 1)).name()))
                throw new AssertionError(model.name() + ": block '" + b.name() + "' is not lowered from layer '"
                        + model.layers().get(compute.get(k + skip - 1)).name() + "'");
        }
    }

    /** Compares one sample (CHW bytes for the float model; the engine gets them as HWC). */
    Outcome check(JvmCompiledModel engine, byte[] chw, String where) {
        Shape s = model.input().shape();
        double[] x = new double[chw.length];
        for (int i = 0; i < x.length; i++)
            x[i] = model.input().valueOf(chw[i] & 0xff);
        List<double[]> before = new ArrayList<>(); // the tensor entering each layer
        for (Layer l : model.layers()) {
            before.add(x);
            Shape out = l.outputShape(s);
            x = FloatEvaluator.apply(l, s, out, x);
            s = out;
        }
        double[] scores = x;
        JvmCompiledModel.Trace t = engine.trace(chwToHwc(model.input().shape(), chw), 0);
        for (int k = 0; k < feeds.length; k++) {
            double[] f = before.get(feeds[k]);
            boolean[] bits = t.bits().get(k);
            Shape bs = lowered.blocks().get(k).outputShape();
            if (f.length != bits.length)
                throw new AssertionError(where + ": block " + k + " has " + bits.length + " bits, float tensor " + f.length);
            int C = bs.channels(), H = bs.height(), W = bs.width();
            for (int c = 0; c < C; c++)
                for (int y = 0; y < H; y++)
                    for (int xx = 0; xx < W; xx++) {
                        double v = f[(c * H + y) * W + xx];
                        if (v != 1 && v != -1)
                            throw new AssertionError(where + ": float input of layer '" + model.layers().get(feeds[k]).name() + "' is " + v
                                    + ", not ±1");
                        if ((v > 0) != bits[(y * W + xx) * C + c])
                            throw new AssertionError(where + ": block '" + lowered.blocks().get(k).name() + "' bit (c" + c + ", y" + y + ", x"
                                    + xx + ") is " + bits[(y * W + xx) * C + c] + ", float sign " + v);
                    }
        }
        int want = FloatEvaluator.argmax(scores);
        if (t.predicted() == want)
            return Outcome.SAME_CLASS;
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double margin = sorted[sorted.length - 1] - sorted[sorted.length - 2];
        if (margin <= scoreBound)
            return Outcome.WITHIN_BOUND;
        if (margin <= roundingSlack(scores)) { // an exact tie the double arithmetic split by an ulp or so
            if (scoreBound == 0 && t.scores()[t.predicted()] != t.scores()[want])
                throw new AssertionError(where + ": accumulator scores " + Arrays.toString(t.scores()) + " do not tie for the float class " + want);
            return Outcome.FLOAT_ROUNDING_TIE;
        }
        throw new AssertionError(where + ": class " + t.predicted() + ", float class " + want + " with margin " + margin
                + " above the bound " + scoreBound + "; float scores " + Arrays.toString(scores) + ", integer " + Arrays.toString(t.scores()));
    }

    static byte[] chwToHwc(Shape s, byte[] chw) {
        return ebnn.api.data.Samples.chwToHwc(chw, chw.length / s.size(), s);
    }
}
