package ebnn.core.lower;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.Test;

import ebnn.api.binary.BinaryModel;
import ebnn.api.model.Affine;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Dense;
import ebnn.api.model.Layer;
import ebnn.api.model.Model;
import ebnn.api.model.Params;
import ebnn.api.model.Sign;
import ebnn.core.format.EbnnFormat;
import ebnn.testing.PaperModels;
import ebnn.testing.RandomModels;

/**
 * {@link ThresholdForm} on random models of every feature the lowering supports: written to .ebnn
 * and read back, the form lowers to the source's integer model (bits, thresholds, combine rules,
 * byte maps, scores: the whole {@link BinaryModel}); the form's FLOAT evaluation gives, after every
 * sign, the integer model's bits and, where the scoring block was rewritten, exactly its scores
 * divided by K (so the same class); and the file is smaller than the float model's.
 */
public class ThresholdFormTest {
    static final int MODELS = Integer.getInteger("ebnn.lowering.models", 300);

    @Test
    public void randomModelsLowerIdenticallyAndTheirFloatFormAgreesWithTheIntegerModel() {
        Set<RandomModels.Feature> seen = EnumSet.noneOf(RandomModels.Feature.class);
        int rewritten = 0, scoresRewritten = 0;
        long floatBytes = 0, formBytes = 0;
        for (RandomModels.Generated g : RandomModels.many(MODELS, 4000)) {
            Model m = g.model();
            BinaryModel integer = Lowering.lower(m);
            Model form = ThresholdForm.of(m);
            if (form == m)
                continue;
            rewritten++;
            seen.addAll(g.features());
            byte[] file = EbnnFormat.toBytes(form);
            floatBytes += EbnnFormat.toBytes(m).length;
            formBytes += file.length;
            Model back = EbnnFormat.fromBytes(file);
            assertEquals("model " + g.seed(), form, back);
            assertEquals("model " + g.seed() + " " + g.features(), integer, Lowering.lower(back));
            boolean scoresExact = integer.blocks().get(integer.blocks().size() - 1).inputKind() == ebnn.api.binary.InputKind.BITS;
            scoresRewritten += scoresExact ? 1 : 0;
            Random rnd = new Random(g.seed());
            for (int k = 0; k < 6; k++) {
                byte[] chw = RandomModels.input(m, rnd);
                if (k == 0)
                    Arrays.fill(chw, (byte) 0);
                if (k == 1)
                    Arrays.fill(chw, (byte) 255);
                FloatBits.Trace t = FloatBits.trace(back, chw);
                int[][] ints = IntegerReference.run(integer, RandomModels.chwToHwc(m.input().shape(), chw));
                for (int i = 0; i < t.signs().size(); i++)
                    assertArrayEquals("model " + g.seed() + " " + g.features() + " block " + i + " input " + k,
                            FloatBits.hwcBits(t.signShapes().get(i), t.signs().get(i)), ints[i]);
                if (scoresExact) {
                    int[] is = ints[ints.length - 1];
                    double[] fs = t.scores();
                    double kScale = Lowering.lowerWithReport(m).scoreScale();
                    for (int c = 0; c < is.length; c++)
                        assertEquals("model " + g.seed() + " class " + c + " input " + k, is[c] / kScale, fs[c], 0);
                }
            }
        }
        assertTrue("rewritten " + rewritten + " of " + MODELS, rewritten * 10 >= MODELS * 9);
        assertTrue("scoring blocks rewritten: " + scoresRewritten, scoresRewritten * 2 >= rewritten);
        // every feature but the input threshold block's own (kept as it is) is rewritten somewhere
        for (RandomModels.Feature f : RandomModels.Feature.values())
            assertTrue("feature never rewritten: " + f, seen.contains(f));
        assertTrue("form " + formBytes + " B, float " + floatBytes + " B", formBytes * 2 < floatBytes);
        System.out.printf("threshold form: %d of %d random models rewritten, %,d B as float models, %,d B in threshold form%n", rewritten,
                MODELS, floatBytes, formBytes);
    }

    @Test
    public void aFormIsItsOwnForm() {
        for (Model m : List.of(PaperModels.mlp128(3), PaperModels.convPool16(4), PaperModels.tfc(5))) {
            Model form = ThresholdForm.of(m);
            assertNotSame(m.name(), m, form);
            Model again = ThresholdForm.of(form);
            assertArrayEquals(m.name(), EbnnFormat.toBytes(form), EbnnFormat.toBytes(again));
        }
    }

    @Test
    public void aModelThatDoesNotLowerIsKeptAsItIs() {
        // a dense layer whose weights are not ±α: the lowering refuses it, the form keeps the float model whole
        Model m = new Model("real", new ebnn.api.model.InputSpec(ebnn.api.model.Shape.vector(4), ebnn.api.model.Layout.NCHW, 0, 1),
                List.<Layer>of(new Dense("fc", 4, 2, Params.of(0.5, -1, 1, 1, 1, 1, -1, 1), Params.empty())),
                List.of());
        assertSame(m, ThresholdForm.of(m));
    }

    @Test
    public void thresholdsKeepTheirPlaceAndDirection() {
        // dense 3 -> 2 on bits, batch norm with one negative gamma, sign, dense 2 -> 2 scores: the form holds the
        // integer thresholds as d*x + (1/2 - tau), d = -1 for the flipped row, and no bias or scale
        Model m = new Model("tiny", new ebnn.api.model.InputSpec(ebnn.api.model.Shape.vector(3), ebnn.api.model.Layout.NCHW, 0, 1), List.<Layer>of(new Sign("in"),
                new Dense("fc1", 3, 2, Params.of(.3, -.3, .3, .7, .7, -.7), Params.of(0.1, -0.2)),
                new BatchNorm("bn1", 2, Params.of(1.5, -2), Params.of(0.25, 0.5), Params.of(0.4, -0.3), Params.of(1, 4), 1e-5),
                new Sign("s1"), new Dense("fc2", 2, 2, Params.of(1, -1, 1, 1), Params.empty())), List.of());
        BinaryModel b = Lowering.lower(m);
        Model form = ThresholdForm.of(m);
        Affine a = (Affine) form.layers().get(2);
        var th = (ebnn.api.binary.Thresholds) b.blocks().get(1).output();
        assertEquals(-1, a.scaleOf(1), 0);
        assertEquals(1, a.scaleOf(0), 0);
        for (int c = 0; c < 2; c++)
            assertEquals(0.5 - th.tau().get(c), a.shiftOf(c), 0);
        assertEquals(b, Lowering.lower(EbnnFormat.fromBytes(EbnnFormat.toBytes(form))));
    }
}
