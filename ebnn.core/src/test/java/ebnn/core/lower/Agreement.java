package ebnn.core.lower;

import static org.junit.Assert.assertArrayEquals;

import java.util.Random;

import ebnn.api.binary.BinaryModel;
import ebnn.api.model.Model;
import ebnn.testing.RandomModels;

/** Asserts that every block's bits of the lowered model equal the float model's, on random inputs. */
final class Agreement {
    private Agreement() {
    }

    static BinaryModel assertBitsAgree(Model m, int inputs, long seed) {
        BinaryModel b = Lowering.lower(m);
        Random r = new Random(seed);
        for (int k = 0; k < inputs; k++) {
            byte[] chw = RandomModels.input(m, r);
            FloatBits.Trace t = FloatBits.trace(m, chw);
            int[][] ints = IntegerReference.run(b, RandomModels.chwToHwc(m.input().shape(), chw));
            for (int i = 0; i < t.signs().size(); i++)
                assertArrayEquals(m.name() + " block " + i + " input " + k, FloatBits.hwcBits(t.signShapes().get(i), t.signs().get(i)), ints[i]);
        }
        return b;
    }
}
