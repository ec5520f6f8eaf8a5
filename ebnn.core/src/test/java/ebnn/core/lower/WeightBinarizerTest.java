package ebnn.core.lower;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;

import ebnn.api.UnsupportedModelException;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;

public class WeightBinarizerTest {
    @Test
    public void perRowAlphaAndSigns() {
        Dense d = new Dense("fc", 3, 2, Params.of(0.5, -0.5, 0.5, -2, -2, 2), Params.empty());
        WeightBinarizer.BinaryWeights w = WeightBinarizer.binarize(d, Shape.vector(3));
        assertArrayEquals(new double[] { 0.5, 2 }, w.alpha(), 0);
        assertTrue(w.signs().get(0, 0) && !w.signs().get(0, 1) && w.signs().get(0, 2));
        assertTrue(!w.signs().get(1, 0) && !w.signs().get(1, 1) && w.signs().get(1, 2));
    }

    @Test
    public void denseColumnsArePermutedFromChwToHwc() {
        // input tensor 2 channels x 1 x 3: CHW index = c*3 + x, HWC index = x*2 + c
        Shape s = new Shape(2, 1, 3);
        double[] w = new double[6];
        int chwPositive = 4; // c = 1, x = 1
        for (int i = 0; i < 6; i++)
            w[i] = i == chwPositive ? 1 : -1;
        WeightBinarizer.BinaryWeights b = WeightBinarizer.binarize(new Dense("fc", 6, 1, Params.of(w), Params.empty()), s);
        for (int col = 0; col < 6; col++)
            assertEquals("HWC column " + col, col == 1 * 2 + 1, b.signs().get(0, col));
    }

    @Test
    public void convColumnsAreKyKxC() {
        // 2 in channels, 2x2 kernel: positive only at (c=1, ky=1, kx=0) -> column (1*2+0)*2+1 = 5
        double[] w = new double[8];
        for (int i = 0; i < 8; i++)
            w[i] = -3;
        w[(1 * 2 + 1) * 2 + 0] = 3; // [out 0][in 1][ky 1][kx 0]
        Conv2d c = new Conv2d("conv", 2, 1, 2, 2, 1, 1, Padding.NONE, Params.of(w), Params.empty());
        WeightBinarizer.BinaryWeights b = WeightBinarizer.binarize(c, new Shape(2, 4, 4));
        for (int col = 0; col < 8; col++)
            assertEquals("column " + col, col == 5, b.signs().get(0, col));
        assertEquals(3, b.alpha()[0], 0);
    }

    @Test
    public void nonBinaryWeightNamesLayerAndValue() {
        Dense d = new Dense("fc 7", 3, 2, Params.of(1, -1, 1, 1, 0.25, 1), Params.empty());
        try {
            WeightBinarizer.binarize(d, Shape.vector(3));
            fail();
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'fc 7'") && e.getMessage().contains("weight[1][1] = 0.25"));
        }
        try {
            WeightBinarizer.binarize(new Dense("z", 2, 1, Params.of(0, 0), Params.empty()), Shape.vector(2));
            fail();
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'z'") && e.getMessage().contains("= 0.0"));
        }
    }
}
