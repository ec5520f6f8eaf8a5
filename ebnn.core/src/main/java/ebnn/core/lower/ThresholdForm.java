package ebnn.core.lower;

import java.util.ArrayList;
import java.util.List;

import ebnn.api.EbnnException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.Block;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputKind;
import ebnn.api.binary.PoolCombine;
import ebnn.api.binary.Scores;
import ebnn.api.binary.Thresholds;
import ebnn.api.model.Affine;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Layer;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Model;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;

/**
 * A float model rewritten to hold exactly what its integer model holds, in the fewest bits: the
 * form in which {@code ebnn:train} writes a trained model unless asked to keep its float batch norms.
 * <p>
 * Per block of the lowering (a binarized dense or conv layer, its batch norm / affine chain, pool
 * and sign):
 * <ul>
 * <li>the weights become ±1 (the same sign bits; the scale α and the bias move into the threshold);</li>
 * <li>the chain before the sign becomes one affine {@code d·x + t}: d = ±1 the direction the lowering
 * found (negative where it flips the row's weights), t = −d·b − k·(τ − ½) rounded to a multiple of
 * 2^-e with 2^-e ≤ k/4, where τ is the block's integer threshold, k the input scale the lowering
 * applies to the accumulator (1 on bits, the byte map's scale on the first block) and b the input
 * offset it folds: the float decision then switches between accumulator τ − 1 and τ, a quarter of a
 * step from either (so the float evaluator agrees with the integer model too). Where the pool sits
 * before the sign and its combine is AND, the direction is split into a −1 before the pool and the
 * rest after it, as the lowering derives AND from the direction after the pool;</li>
 * <li>the scoring block (a batch norm not followed by a sign) becomes the affine
 * {@code (m_c·x + o_c) / K} of the integer scores' multipliers m, offsets o and fixed-point factor K
 * (none when the scores are the accumulators): the float scores are then exactly the integer scores
 * divided by K, a power of two;</li>
 * <li>the input chain, an input sign and a scoring block that reads bytes are kept as they are.</li>
 * </ul>
 * The affines' values are integers times a power of two, which {@code .ebnn} version 3 stores as
 * varints. The result is CHECKED, not trusted: it is lowered and must give a {@link BinaryModel}
 * equal to the source's (every bit, threshold, combine rule, byte map and score); where it does not,
 * or the source does not lower, the source is returned unchanged. What is lost is what the integer
 * model does not use: the float batch norm statistics and α, which continued training would need.
 */
public final class ThresholdForm {
    private ThresholdForm() {
    }

    /** The model in threshold form, or {@code model} itself when it does not lower or the form would not lower identically. */
    public static Model of(Model model) {
        try {
            Lowering.Result lowered = Lowering.lowerWithReport(model);
            BinaryModel integer = lowered.model();
            Model form = build(model, integer, lowered.scoreScale());
            return form != null && Lowering.lower(form).equals(integer) ? form : model;
        } catch (EbnnException | IllegalArgumentException | IllegalStateException e) {
            return model;
        }
    }

    private static Model build(Model source, BinaryModel integer, double scoreScale) {
        Model m = ebnn.core.passes.Passes.apply(source);
        Segmentation seg = Segmentation.of(m);
        List<Segment> segments = seg.segments();
        List<Layer> out = new ArrayList<>(m.layers().subList(0, segments.get(0).firstLayer()));
        int block = seg.inputSign() != null ? 1 : 0, end = 0;
        for (Segment s : segments) {
            Block b = integer.blocks().get(block++);
            out.addAll(s.before());
            List<Layer> rewritten = s.scores() ? scores(s, b, scoreScale, source) : thresholds(m, seg, s, b, source);
            if (rewritten == null) { // kept as it is
                out.add(s.compute());
                out.addAll(s.tail());
            } else
                out.addAll(rewritten);
            if (s.sign() != null) {
                out.add(s.sign());
                out.addAll(s.afterSign());
            }
            end = s.firstLayer() + s.before().size() + 1 + s.tail().size() + (s.sign() == null ? 0 : 1 + s.afterSign().size());
        }
        out.addAll(m.layers().subList(end, m.layers().size()));
        return new Model(m.name(), m.input(), out, m.labels());
    }

    /** Compute layer with ±1 weights (its sign bits), no bias, then the affine(s) of the threshold, the pool and flattens as they were. */
    private static List<Layer> thresholds(Model m, Segmentation seg, Segment s, Block b, Model source) {
        Layer comp = s.compute();
        Thresholds th = (Thresholds) b.output();
        WeightBinarizer.BinaryWeights bw = WeightBinarizer.binarize(comp, b.inputShape());
        int rows = bw.signs().rows();
        var weights = b instanceof ConvBlock cb ? cb.weights() : ((DenseBlock) b).weights();
        // the input scale k and offset sum the lowering applies to the accumulator, for α = 1 and no bias
        double k = 1;
        double[] offsetSum = new double[rows];
        if (b.inputKind() == InputKind.BYTES) {
            ByteInputFolding.InputAffine in = ByteInputFolding.analyze(m.input(), seg.inputChain(), comp);
            boolean padded = comp instanceof Conv2d cv && !cv.padding().equals(Padding.NONE);
            ByteInputFolding.Choice choice = ByteInputFolding.choose(in, padded, comp);
            k = choice.k();
            if (choice.foldOffsets())
                for (int r = 0; r < rows; r++)
                    offsetSum[r] = bw.signedChannelSum(r, in.offset());
        }
        int e = 1;
        while (Math.scalb(1.0, -e) > k / 4)
            e++;
        boolean poolBefore = s.pool() != null && !s.poolAfterSign();
        double[] before = new double[rows], direction = new double[rows], shift = new double[rows];
        boolean splitDirection = false;
        for (int r = 0; r < rows; r++) {
            boolean flip = weights.get(r, 0) != bw.signs().get(r, 0);
            int d = flip ? -1 : 1;
            int afterPool = poolBefore && th.combine().get(r) == PoolCombine.AND ? -1 : 1;
            before[r] = d * afterPool;
            splitDirection |= afterPool < 0;
            double t = -d * offsetSum[r] - k * (th.tau().get(r) - 0.5);
            shift[r] = Math.scalb(Math.rint(Math.scalb(t, e)), -e);
            direction[r] = d;
        }
        List<Layer> out = new ArrayList<>();
        out.add(unitWeights(comp));
        String name = chainName(s, source);
        if (!splitDirection) {
            // right after the compute layer, so that with a pool before the sign the chain after the pool is
            // empty and its combine OR, as every row's is in the source
            out.add(new Affine(name, rows, params(direction), params(shift)));
            out.addAll(s.tail().stream().filter(l -> !(l instanceof BatchNorm || l instanceof Affine)).toList());
            return out;
        }
        // AND rows need a decreasing step after the pool: d = before · after, with after = −1 there
        double[] after = new double[rows];
        for (int r = 0; r < rows; r++)
            after[r] = th.combine().get(r) == PoolCombine.AND ? -1 : 1;
        boolean anyBefore = false;
        for (double x : before)
            anyBefore |= x < 0;
        if (anyBefore)
            out.add(new Affine(name + "_direction", rows, params(before), Params.of(0.0)));
        for (Layer l : s.tail()) {
            if (l instanceof MaxPool2d) {
                out.add(l);
                out.add(new Affine(name, rows, params(after), params(shift)));
            } else if (!(l instanceof BatchNorm || l instanceof Affine))
                out.add(l);
        }
        return out;
    }

    /** The scoring block: ±1 weights and the affine (m·x + o) / K of its integer scores; null (kept) when it reads bytes. */
    private static List<Layer> scores(Segment s, Block b, double k, Model source) {
        if (b.inputKind() != InputKind.BITS || !(b.output() instanceof Scores sc))
            return null;
        List<Layer> out = new ArrayList<>();
        out.add(unitWeights(s.compute()));
        int n = sc.multiplier().length();
        if (!sc.equals(Scores.identity(n))) {
            // K, a power of two, divides exactly
            double[] scale = new double[n], shift = new double[n];
            for (int c = 0; c < n; c++) {
                scale[c] = sc.multiplier().get(c) / k;
                shift[c] = sc.offset().get(c) / k;
            }
            out.add(new Affine(chainName(s, source), n, params(scale), params(shift)));
        }
        s.tail().stream().filter(l -> !(l instanceof BatchNorm || l instanceof Affine)).forEach(out::add);
        return out;
    }

    /**
     * The name of the block's first batch norm or affine: in the passed model, else in the source
     * (where fold-bias took a unit-scale affine into the bias: a form read back is such a model, and
     * keeps its names when rewritten again), else the compute layer's with "_threshold".
     */
    private static String chainName(Segment s, Model source) {
        for (Layer l : s.tail())
            if (l instanceof BatchNorm || l instanceof Affine)
                return l.name();
        List<Layer> ls = source.layers();
        for (int i = 0; i + 1 < ls.size(); i++)
            if (ls.get(i).name().equals(s.compute().name()) && (ls.get(i + 1) instanceof Affine || ls.get(i + 1) instanceof BatchNorm))
                return ls.get(i + 1).name();
        return s.compute().name() + "_threshold";
    }

    private static Layer unitWeights(Layer comp) {
        if (comp instanceof Dense d) {
            double[] w = d.weights().toArray();
            for (int i = 0; i < w.length; i++)
                w[i] = w[i] > 0 ? 1 : -1;
            return new Dense(d.name(), d.inputs(), d.outputs(), Params.of(w), Params.empty());
        }
        Conv2d c = (Conv2d) comp;
        double[] w = c.weights().toArray();
        for (int i = 0; i < w.length; i++)
            w[i] = w[i] > 0 ? 1 : -1;
        return new Conv2d(c.name(), c.inChannels(), c.outChannels(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding(),
                Params.of(w), Params.empty());
    }

    private static Params params(double[] v) {
        for (double x : v)
            if (x != v[0])
                return Params.of(v);
        return Params.of(v[0]);
    }
}
