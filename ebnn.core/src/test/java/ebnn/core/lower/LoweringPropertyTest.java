package ebnn.core.lower;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

import org.junit.Test;

import ebnn.api.binary.BinaryModel;
import ebnn.api.model.Model;
import ebnn.testing.RandomModels;

/**
 * Lowering of random models checked against the float reference: every block's bits equal the
 * float model's ±1 tensor after the corresponding sign (pool, flatten), element for element, and
 * the integer class equals the float class unless the float top-2 are within the documented
 * rounding bound. The integer side is {@link IntegerReference}, written from the contract.
 */
public class LoweringPropertyTest {
    static final int MODELS = Integer.getInteger("ebnn.lowering.models", 300);
    static final long FIRST_SEED = Long.getLong("ebnn.lowering.seed", 1000);
    static final int INPUTS = 6;

    @Test
    public void loweredModelsReproduceTheFloatModelBitForBit() {
        Set<RandomModels.Feature> seen = EnumSet.noneOf(RandomModels.Feature.class);
        int boundSkips = 0, compared = 0;
        for (RandomModels.Generated g : RandomModels.many(MODELS, FIRST_SEED)) {
            Model m = g.model();
            seen.addAll(g.features());
            Lowering.Result r = Lowering.lowerWithReport(m);
            BinaryModel b = r.model();
            Random rnd = new Random(g.seed());
            for (int k = 0; k < INPUTS; k++) {
                byte[] chw = RandomModels.input(m, rnd);
                if (k == 0)
                    Arrays.fill(chw, (byte) 0);
                if (k == 1)
                    Arrays.fill(chw, (byte) 255);
                FloatBits.Trace t = FloatBits.trace(m, chw);
                int[][] ints = IntegerReference.run(b, RandomModels.chwToHwc(m.input().shape(), chw));
                assertEquals(b.blocks().size() - 1, t.signs().size());
                for (int i = 0; i < t.signs().size(); i++)
                    assertArrayEquals("model " + g.seed() + " " + g.features() + " block " + i + " '" + b.blocks().get(i).name() + "' input " + k,
                            FloatBits.hwcBits(t.signShapes().get(i), t.signs().get(i)), ints[i]);
                double[] fs = t.scores();
                int[] is = ints[ints.length - 1];
                int fc = argmax(fs), ic = argmax(is);
                double[] sorted = fs.clone();
                Arrays.sort(sorted);
                double gap = sorted.length > 1 ? sorted[sorted.length - 1] - sorted[sorted.length - 2] : Double.MAX_VALUE;
                // the float evaluator sums ±α terms one by one, so equal integer scores can differ by a few ulps in float
                double slack = 1e-9 * Math.max(1, Math.max(Math.abs(sorted[0]), Math.abs(sorted[sorted.length - 1])));
                if (gap <= r.scoreBound() + slack) {
                    boundSkips++;
                    continue;
                }
                compared++;
                assertEquals("model " + g.seed() + " " + g.features() + " input " + k + " float " + Arrays.toString(fs) + " int "
                        + Arrays.toString(is), fc, ic);
            }
        }
        assertTrue("features not covered: " + EnumSet.complementOf(EnumSet.copyOf(seen)), seen.containsAll(EnumSet.allOf(RandomModels.Feature.class)));
        assertTrue("too many close calls: " + boundSkips + " of " + (boundSkips + compared), boundSkips * 10 < compared);
    }

    static int argmax(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++)
            if (v[i] > v[b])
                b = i;
        return b;
    }

    static int argmax(int[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++)
            if (v[i] > v[b])
                b = i;
        return b;
    }
}
