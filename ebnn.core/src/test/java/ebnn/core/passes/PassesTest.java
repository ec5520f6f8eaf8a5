package ebnn.core.passes;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.Test;

import ebnn.api.model.Affine;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Model;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;

/**
 * Each pass alone: it rewrites the pattern it names (the layer kinds after it), leaves other chains
 * untouched, and the rewritten model gives the same scores (or, for the tail, the same class) as the
 * original on random inputs, evaluated by the float evaluator.
 */
public class PassesTest {
    static final Random R = new Random(11);

    static Params pm(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++)
            v[i] = R.nextBoolean() ? 1 : -1;
        return Params.of(v);
    }

    static Params rnd(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++)
            v[i] = R.nextGaussian();
        return Params.of(v);
    }

    static Model model(Shape in, Layer... ls) {
        return new Model("m", InputSpec.bytes(in), List.of(ls));
    }

    static List<String> kinds(Model m) {
        return m.layers().stream().map(Layer::kind).toList();
    }

    /** Applies one pass until it no longer changes anything; checks scores (exact to rounding) or classes. */
    static Model check(ModelPass p, Model m, List<String> wantKinds, boolean scoresKept) {
        Passes.Result r = Passes.run(m, List.of(p));
        assertEquals(wantKinds, kinds(r.model()));
        assertTrue(r.notes().toString(), r.notes().stream().allMatch(n -> n.startsWith(p.name() + ": ")) && !r.notes().isEmpty());
        FloatEvaluator a = new FloatEvaluator(m), b = new FloatEvaluator(r.model());
        for (int s = 0; s < 200; s++) {
            byte[] x = new byte[m.input().shape().size()];
            R.nextBytes(x);
            double[] sa = a.scores(x), sb = b.scores(x);
            if (scoresKept)
                for (int i = 0; i < sa.length; i++)
                    assertEquals("sample " + s, sa[i], sb[i], 1e-9 * Math.max(1, Math.abs(sa[i])));
            assertEquals("sample " + s, FloatEvaluator.argmax(sa), FloatEvaluator.argmax(sb));
        }
        return r.model();
    }

    @Test
    public void mergeAffinesComposesAndDropsIdentities() {
        Shape v = Shape.vector(6);
        Model m = model(v, new Sign("s"), new Dense("d", 6, 4, pm(24), Params.empty()), new Affine("a", 4, rnd(4), rnd(4)),
                new Affine("b", 4, Params.of(2), Params.of(-1)), new Affine("id", 4, Params.of(1), Params.of(0)), new Sign("s2"),
                new Dense("d2", 4, 3, pm(12), Params.empty()));
        check(new MergeAffines(), m, List.of("sign", "dense", "affine", "sign", "dense"), true);
    }

    @Test
    public void foldBiasMovesAUnitScaleAffineIntoTheBias() {
        Model m = model(new Shape(2, 5, 5), new Sign("s"), new Conv2d("c", 2, 3, 3, 3, 1, 1, Padding.same(1), pm(54), rnd(3)),
                new Affine("bias", 3, Params.of(1), rnd(3)), new Sign("s2"), new Flatten("f"), new Dense("d", 75, 4, pm(300), Params.empty()),
                new Affine("b2", 4, Params.of(1), rnd(4)));
        Model out = check(new FoldBias(), m, List.of("sign", "conv2d", "sign", "flatten", "dense"), true);
        // a scale that is not 1 is not a bias
        Model scaled = model(Shape.vector(4), new Sign("s"), new Dense("d", 4, 2, pm(8), Params.empty()), new Affine("a", 2, Params.of(2), Params.of(1)));
        assertSame(scaled.layers(), new FoldBias().apply(scaled.layers(), s -> { }));
        assertEquals(5, out.layers().size());
    }

    @Test
    public void dropSignScaleSignRemovesSignsOfPlusMinusOne() {
        Model m = model(Shape.vector(5), new Sign("s"), new Affine("add", 5, Params.of(1), Params.of(0.1)), new Sign("s2"), new Sign("s3"),
                new Dense("d", 5, 3, pm(15), Params.empty()));
        check(new DropSignScaleSign(), m, List.of("sign", "dense"), true);
        // a shift that can flip a -1 is kept
        List<Layer> keep = List.of(new Sign("s"), new Affine("add", 5, Params.of(1), Params.of(1.5)), new Sign("s2"),
                new Dense("d", 5, 3, pm(15), Params.empty()));
        assertSame(keep, new DropSignScaleSign().apply(keep, s -> { }));
    }

    @Test
    public void foldScaleIntoWeightsPassesPoolsAndFlattens() {
        // unipolar {0,1} activations (FINN), through a max-pool and a flatten, into a dense layer
        Model m = model(new Shape(2, 4, 4), new Sign("s"), new Conv2d("c", 2, 3, 3, 3, 1, 1, Padding.NONE, pm(54), rnd(3)), new Sign("s1"),
                new Affine("unipolar", 3, Params.of(0.5), Params.of(0.5)), new MaxPool2d("p", 2, 2, 2, 2, Padding.NONE), new Flatten("f"),
                new Dense("d", 3, 4, pm(12), rnd(4)));
        check(new FoldScaleIntoWeights(), m, List.of("sign", "conv2d", "sign", "maxpool", "flatten", "dense"), true);
        // into an unpadded conv
        Model c = model(new Shape(1, 6, 6), new Sign("s"), new Affine("scale", 1, Params.of(0.25), Params.of(-0.5)),
                new Conv2d("c", 1, 2, 3, 3, 1, 1, Padding.NONE, pm(18), Params.empty()), new Sign("s1"), new Flatten("f"),
                new Dense("d", 32, 3, pm(96), Params.empty()));
        check(new FoldScaleIntoWeights(), c, List.of("sign", "conv2d", "sign", "flatten", "dense"), true);
        // not a shift into a padded conv, not a negative scale through a max-pool
        List<Layer> padded = List.of(new Sign("s"), new Affine("a", 1, Params.of(1), Params.of(1)),
                new Conv2d("c", 1, 2, 3, 3, 1, 1, Padding.same(1), pm(18), Params.empty()));
        assertSame(padded, new FoldScaleIntoWeights().apply(padded, s -> { }));
        List<Layer> neg = List.of(new Sign("s"), new Affine("a", 1, Params.of(-1), Params.of(0)), new MaxPool2d("p", 2, 2, 2, 2, Padding.NONE),
                new Flatten("f"), new Dense("d", 9, 2, pm(18), Params.empty()));
        assertSame(neg, new FoldScaleIntoWeights().apply(neg, s -> { }));
    }

    @Test
    public void dropArgmaxTailKeepsTheClass() {
        Model m = model(Shape.vector(6), new Sign("s"), new Dense("d", 6, 5, pm(30), rnd(5)), new Affine("t", 5, Params.of(0.3), Params.of(7)));
        check(new DropArgmaxTail(), m, List.of("sign", "dense"), false);
        List<Layer> perChannel = List.of(new Sign("s"), new Dense("d", 6, 5, pm(30), rnd(5)), new Affine("t", 5, rnd(5), Params.of(0)));
        assertSame(perChannel, new DropArgmaxTail().apply(perChannel, s -> { }));
    }

    @Test
    public void theStandardListRunsToAFixedPointAndLeavesCleanModelsAlone() {
        Model clean = model(Shape.vector(6), new Sign("s"), new Dense("d", 6, 5, pm(30), rnd(5)));
        Passes.Result r = Passes.run(clean);
        assertSame(clean, r.model());
        assertTrue(r.notes().isEmpty());
        // a chain that needs several passes in turn: bias, merge, tail
        Model m = model(Shape.vector(6), new Sign("s"), new Dense("d", 6, 5, pm(30), Params.empty()), new Affine("bias", 5, Params.of(1), rnd(5)),
                new Affine("div", 5, Params.of(0.5), Params.of(0)), new Affine("add", 5, Params.of(1), Params.of(3)));
        Model out = Passes.apply(m);
        assertEquals(List.of("sign", "dense"), kinds(out));
        List<String> names = new ArrayList<>();
        Passes.STANDARD.forEach(p -> names.add(p.name()));
        assertArrayEquals(new String[] { "fold-bias", "merge-affines", "drop-sign-scale-sign", "fold-scale-into-weights", "drop-argmax-tail" },
                names.toArray());
    }
}
