package ebnn.core.lower;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;

import org.junit.Test;

import ebnn.api.EbnnException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.model.Affine;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Model;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;

public class SegmentationTest {
    static Dense dense(String n, int in, int out) {
        return new Dense(n, in, out, Params.filled(in * out, 1), Params.empty());
    }

    static BatchNorm bn(String n, int c) {
        return new BatchNorm(n, c, Params.filled(c, 1), Params.filled(c, 0), Params.filled(c, 0), Params.filled(c, 1), 0);
    }

    static Model model(Shape in, Layer... ls) {
        return new Model("m", InputSpec.bytes(in), List.of(ls));
    }

    @Test
    public void splitsIntoBlocks() {
        Conv2d conv = new Conv2d("conv", 1, 2, 3, 3, 1, 1, Padding.NONE, Params.filled(18, 1), Params.empty());
        MaxPool2d pool = new MaxPool2d("pool", 2, 2, 2, 2, Padding.NONE);
        Model m = model(new Shape(1, 6, 6), new Affine("a", 1, Params.of(1), Params.of(-100)), new Sign("s0"), conv, bn("bn1", 2),
                new Sign("s1"), pool, new Flatten("f"), dense("fc", 8, 3), bn("bn2", 3), new Sign("s2"), dense("out", 3, 2), bn("bn3", 2));
        Segmentation s = Segmentation.of(m);
        assertEquals("s0", s.inputSign().name());
        assertEquals(1, s.inputChain().size());
        assertEquals(3, s.segments().size());
        Segment first = s.segments().get(0);
        assertSame(conv, first.compute());
        assertSame(pool, first.pool());
        assertTrue(first.poolAfterSign());
        assertEquals("fc", s.segments().get(1).compute().name());
        assertTrue(s.segments().get(2).scores());
        assertNull(s.segments().get(2).sign());
    }

    private static void refused(Class<? extends EbnnException> type, String layerName, Model m) {
        try {
            Segmentation.of(m);
            fail("accepted " + m.layers());
        } catch (EbnnException e) {
            assertTrue(e.getClass().getName() + ": " + e.getMessage(), type.isInstance(e));
            assertTrue(e.getMessage(), e.getMessage().contains("'" + layerName + "'"));
        }
    }

    @Test
    public void aSignEndingTheModelMakesItsOutputBits() {
        Model m = model(Shape.vector(4), dense("a", 4, 4), bn("b", 4), new Sign("s"));
        assertEquals(ebnn.api.model.OutputKind.BITS, m.outputKind());
        Segmentation s = Segmentation.of(m);
        assertEquals(1, s.segments().size());
        assertEquals("s", s.segments().get(0).sign().name());
        ebnn.api.binary.BinaryModel bm = Lowering.lower(m);
        assertEquals(ebnn.api.model.OutputKind.BITS, bm.outputKind());
        assertTrue(bm.blocks().get(0).output() instanceof ebnn.api.binary.Thresholds);
        assertEquals(ebnn.api.model.OutputKind.CLASSES, model(Shape.vector(4), dense("a", 4, 4), bn("b", 4)).outputKind());
    }

    @Test
    public void unsupportedOrdersNameTheLayer() {
        Shape v = Shape.vector(4);
        // a sign may end the model (a bit-vector output) only after a dense layer: a conv map's bits are HWC, its floats CHW
        refused(UnsupportedModelException.class, "s", model(new Shape(1, 3, 3), new Conv2d("c", 1, 2, 3, 3, 1, 1, Padding.NONE,
                Params.filled(18, 1), Params.empty()), new Sign("s"), new Flatten("f")));
        refused(UnsupportedModelException.class, "b", model(v, dense("a", 4, 4), dense("b", 4, 2)));
        refused(UnsupportedModelException.class, "aff", model(v, dense("a", 4, 4), new Sign("s"), new Affine("aff", 4, Params.of(1), Params.of(0)),
                dense("b", 4, 2)));
        refused(UnsupportedModelException.class, "c", model(new Shape(1, 3, 3), new Conv2d("c", 1, 2, 3, 3, 1, 1, Padding.NONE,
                Params.filled(18, 1), Params.empty()), new Flatten("f")));
        refused(UnsupportedModelException.class, "p2", model(new Shape(1, 6, 6),
                new Conv2d("c", 1, 1, 1, 1, 1, 1, Padding.NONE, Params.filled(1, 1), Params.empty()),
                new MaxPool2d("p1", 2, 2, 2, 2, Padding.NONE), new Sign("s"), new MaxPool2d("p2", 2, 2, 1, 1, Padding.NONE),
                new Flatten("f"), dense("o", 4, 2)));
        refused(UnsupportedModelException.class, "p", model(new Shape(1, 4, 4), new MaxPool2d("p", 2, 2, 2, 2, Padding.NONE),
                new Flatten("f"), dense("o", 4, 2)));
    }
}
