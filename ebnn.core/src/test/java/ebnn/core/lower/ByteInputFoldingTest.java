package ebnn.core.lower;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.Test;

import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.ByteInput;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.model.Affine;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.Layout;
import ebnn.api.model.Model;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;

public class ByteInputFoldingTest {
    static final Dense ANY = new Dense("fc", 1, 1, Params.of(1), Params.empty());

    static ByteInputFolding.Choice choose(double low, double high, boolean padded) {
        InputSpec spec = new InputSpec(new Shape(1, 4, 4), Layout.NCHW, low, high);
        return ByteInputFolding.choose(ByteInputFolding.analyze(spec, List.of(), ANY), padded, ANY);
    }

    @Test
    public void byteMaps() {
        // -1..1 padded: x = (2p - 255)/255 -> q = 2p - 255, k = 1/255
        ByteInputFolding.Choice c = choose(-1, 1, true);
        assertEquals(new ByteInput(2, -255), c.byteInput());
        assertEquals(1 / 255.0, c.k(), 1e-15);
        assertFalse(c.foldOffsets());
        // -1..3 padded: x = -1 + 4p/255 = (4/255)(p - 63.75) -> q = 4p - 255
        assertEquals(new ByteInput(4, -255), choose(-1, 3, true).byteInput());
        // 0..1 padded: no offset, q = p
        c = choose(0, 1, true);
        assertEquals(ByteInput.IDENTITY, c.byteInput());
        assertFalse(c.foldOffsets());
        // dense or unpadded: q = p and the offset folds into the block's constant
        c = choose(-1, 1, false);
        assertEquals(ByteInput.IDENTITY, c.byteInput());
        assertTrue(c.foldOffsets());
        assertEquals(2 / 255.0, c.k(), 1e-15);
    }

    @Test
    public void unrepresentableOffsetForPaddedConvIsRefused() {
        try {
            choose(-Math.PI / 10, 1, true);
            fail();
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'fc'"));
        }
    }

    @Test
    public void differentChannelScalesAreRefused() {
        InputSpec spec = new InputSpec(new Shape(2, 1, 1), Layout.NCHW, 0, 1);
        try {
            ByteInputFolding.analyze(spec, List.of(new Affine("norm", 2, Params.of(1, 2), Params.of(0))), ANY);
            fail();
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("different scales"));
        }
    }

    private static double[] pm(Random r, int n, double a) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++)
            w[i] = r.nextBoolean() ? a : -a;
        return w;
    }

    private static BatchNorm bn(Random r, int n, double spread) {
        double[] g = new double[n], b = new double[n], m = new double[n], v = new double[n];
        for (int c = 0; c < n; c++) {
            g[c] = (c % 3 == 0 ? -1 : 1) * (0.5 + r.nextDouble());
            m[c] = spread * r.nextGaussian() * 0.5;
            v[c] = spread * spread;
            b[c] = 0.1 * r.nextGaussian();
        }
        return new BatchNorm("bn", n, Params.of(g), Params.of(b), Params.of(m), Params.of(v), 1e-5);
    }

    /** First layer on bytes, every range kind, dense and conv with and without padding: bits equal the float model's. */
    @Test
    public void firstLayerBytesMatchTheFloatModel() {
        Random r = new Random(5);
        double[][] ranges = { { 0, 255 }, { 0, 1 }, { -1, 1 }, { -0.5, 0.5 }, { -1, 3 }, { 0.25, 1.75 } };
        for (double[] range : ranges)
            for (int kind = 0; kind < 3; kind++) {
                boolean padded = kind == 2;
                if (padded && range[0] == 0.25)
                    continue;
                Shape in = new Shape(2, 5, 6);
                List<Layer> ls = new ArrayList<>();
                double a = 0.5 + r.nextDouble();
                double spread = a * Math.sqrt(in.size()) * (range[1] - range[0]) / 3;
                if (kind == 0) {
                    ls.add(new Flatten("f"));
                    ls.add(new Dense("d1", in.size(), 7, Params.of(pm(r, 7 * in.size(), a)), Params.empty()));
                    ls.add(bn(r, 7, spread));
                    ls.add(new Sign("s"));
                    ls.add(new Dense("out", 7, 3, Params.of(pm(r, 21, 1)), Params.empty()));
                } else {
                    ls.add(new Conv2d("c1", 2, 5, 3, 3, 1, 1, padded ? Padding.same(1) : Padding.NONE, Params.of(pm(r, 5 * 18, a)),
                            Params.of(r.nextGaussian(), 0, 1, 2, -1)));
                    ls.add(bn(r, 5, a * Math.sqrt(18) * (range[1] - range[0]) / 3));
                    ls.add(new Sign("s"));
                    ls.add(new Flatten("f"));
                    int n = padded ? 5 * 5 * 6 : 5 * 3 * 4;
                    ls.add(new Dense("out", n, 3, Params.of(pm(r, 3 * n, 1)), Params.empty()));
                }
                Model m = new Model("bytes-" + range[0] + "-" + kind, new InputSpec(in, Layout.NCHW, range[0], range[1]), ls);
                var b = Agreement.assertBitsAgree(m, 400, kind);
                ByteInput bi = b.blocks().get(0) instanceof ConvBlock cb ? cb.byteInput() : ((DenseBlock) b.blocks().get(0)).byteInput();
                if (padded && range[0] != 0)
                    assertTrue(bi.multiplier() > 1 || bi.offset() != 0);
                else
                    assertEquals(ByteInput.IDENTITY, bi);
            }
    }
}
