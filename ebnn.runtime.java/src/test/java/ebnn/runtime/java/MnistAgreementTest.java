package ebnn.runtime.java;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import ebnn.api.data.Dataset;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Model;
import ebnn.core.lower.Lowering;
import ebnn.testing.PaperModels;
import ebnn.testing.TestData;

/**
 * Paper-shaped models (random ±1 weights) on the real MNIST test set: the JVM engine's class equals
 * the float evaluator's on all 10,000 digits except where the float top-2 margin is within the
 * lowering's quantisation bound, and the hidden bits equal the float signs on the first 300.
 */
public class MnistAgreementTest {
    private static final Dataset MNIST = TestData.mnistTest();

    private static void agree(Model m) {
        assertEquals(10_000, MNIST.count());
        Lowering.Result lr = Lowering.lowerWithReport(m);
        JvmCompiledModel c = new JvmEngine().compile(lr.model());
        // one channel: CHW and HWC are the same bytes
        int[] classes = c.classifyBatch(MNIST.samples(), MNIST.count(), null);
        FloatEvaluator f = new FloatEvaluator(m);
        FloatReference ref = new FloatReference(m, lr.model(), lr.scoreBound());
        int differ = 0;
        for (int i = 0; i < MNIST.count(); i++) {
            byte[] x = MNIST.sample(i);
            if (i < 300) {
                ref.check(c, x, m.name() + " digit " + i);
            }
            double[] s = f.scores(x);
            int want = FloatEvaluator.argmax(s);
            if (classes[i] != want) {
                double[] sorted = s.clone();
                java.util.Arrays.sort(sorted);
                double margin = sorted[9] - sorted[8];
                assertTrue(m.name() + " digit " + i + ": class " + classes[i] + ", float " + want + ", margin " + margin + " > bound "
                        + lr.scoreBound(), margin <= lr.scoreBound() || margin <= FloatReference.roundingSlack(s));
                differ++;
            }
        }
        assertTrue(m.name() + ": " + differ + " of 10000 differ within the bound", differ <= 50);
    }

    @Test
    public void mlp128() {
        agree(PaperModels.mlp128(1));
    }

    @Test
    public void convPool16() {
        agree(PaperModels.convPool16(2));
    }

    @Test
    public void tfc() {
        agree(PaperModels.tfc(3));
    }
}
