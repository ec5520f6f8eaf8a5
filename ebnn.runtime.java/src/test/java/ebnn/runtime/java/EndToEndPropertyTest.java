package ebnn.runtime.java;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

import org.junit.Test;

import ebnn.api.binary.BinaryModel;
import ebnn.api.model.Model;
import ebnn.core.lower.Lowering;
import ebnn.testing.RandomModels;

/**
 * The end-to-end property: seeded random float models (ebnn.testing RandomModels) lowered by
 * ebnn.core and run in the JVM engine agree with the double-precision float evaluator on random
 * uint8 inputs: every hidden bit equals the float model's sign, and the class equals the float
 * argmax except where the float top-2 margin is within the score-quantisation bound the lowering
 * reports (counted, and required to be rare).
 */
public class EndToEndPropertyTest {
    static final int MODELS = 240;
    static final int SAMPLES = 24;

    @Test
    public void loweredRandomModelsAgreeWithTheFloatModel() {
        JvmEngine engine = new JvmEngine();
        Set<RandomModels.Feature> seen = EnumSet.noneOf(RandomModels.Feature.class);
        int samples = 0, withinBound = 0, roundingTies = 0;
        for (RandomModels.Generated g : RandomModels.many(MODELS, 1000)) {
            Model m = g.model();
            seen.addAll(g.features());
            Lowering.Result lr = Lowering.lowerWithReport(m);
            BinaryModel bm = lr.model();
            FloatReference ref = new FloatReference(m, bm, lr.scoreBound());
            JvmCompiledModel c = engine.compile(bm);
            Random r = new Random(g.seed());
            for (int i = 0; i < SAMPLES; i++) {
                byte[] chw = RandomModels.input(m, r);
                FloatReference.Outcome o = ref.check(c, chw, "seed " + g.seed() + " sample " + i + " (" + g.features() + ")");
                withinBound += o == FloatReference.Outcome.WITHIN_BOUND ? 1 : 0;
                roundingTies += o == FloatReference.Outcome.FLOAT_ROUNDING_TIE ? 1 : 0;
                samples++;
            }
        }
        assertEquals(MODELS * SAMPLES, samples);
        // the generator's coverage: both pool orders, both signs of γ, γ = 0, padding, strides, odd input ranges
        assertEquals("features never generated: " + EnumSet.complementOf(EnumSet.copyOf(seen)), EnumSet.allOf(RandomModels.Feature.class), seen);
        assertTrue(withinBound + " of " + samples + " classes differ within the quantisation bound", withinBound * 100 <= samples);
        assertTrue(roundingTies + " of " + samples + " classes differ by a float rounding tie", roundingTies * 100 <= samples);
        System.out.println("end-to-end: " + MODELS + " models, " + samples + " samples, " + withinBound + " within the quantisation bound, "
                + roundingTies + " float rounding ties");
    }
}
