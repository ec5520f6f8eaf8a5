package ebnn.testing;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import org.junit.Test;

import ebnn.api.NotFoundException;
import ebnn.api.data.Dataset;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Model;
import ebnn.api.model.Shape;

public class TestingTest {
    @Test
    public void sameSeedSameModelAndEveryFeatureIsGenerated() {
        assertEquals(RandomModels.model(42), RandomModels.model(42));
        assertNotEquals(RandomModels.model(42), RandomModels.model(43));
        Set<RandomModels.Feature> seen = EnumSet.noneOf(RandomModels.Feature.class);
        for (RandomModels.Generated g : RandomModels.many(200, 0))
            seen.addAll(g.features());
        assertEquals(EnumSet.allOf(RandomModels.Feature.class), seen);
    }

    @Test
    public void randomModelsMakeRealDecisions() {
        // the batch norms are centred: over random inputs a model does not always answer the same class
        int varied = 0;
        java.util.Random r = new java.util.Random(1);
        for (RandomModels.Generated g : RandomModels.many(50, 500)) {
            FloatEvaluator fe = new FloatEvaluator(g.model());
            java.util.Set<Integer> classes = new java.util.HashSet<>();
            for (int i = 0; i < 30; i++)
                classes.add(fe.classify(RandomModels.input(g.model(), r)));
            varied += classes.size() > 1 ? 1 : 0;
        }
        assertTrue("only " + varied + " of 50 models vary their answer", varied >= 25);
    }

    @Test
    public void chwToHwc() {
        // 2 channels of 1x3: CHW a0 a1 a2 b0 b1 b2 -> HWC a0 b0 a1 b1 a2 b2
        assertArrayEquals(new byte[] { 1, 4, 2, 5, 3, 6 }, RandomModels.chwToHwc(new Shape(2, 1, 3), new byte[] { 1, 2, 3, 4, 5, 6 }));
    }

    @Test
    public void paperModelShapes() {
        Model mlp = PaperModels.mlp128(1);
        assertEquals(10, mlp.classes());
        assertEquals(784 * 128 + 128 * 10, mlp.layers().stream().filter(l -> l instanceof ebnn.api.model.Dense)
                .mapToInt(l -> ((ebnn.api.model.Dense) l).weights().length()).sum());
        assertEquals(new Shape(16, 14, 14), PaperModels.convPool16(1).shapes().get(4));
        assertEquals(10, PaperModels.tfc(1).classes());
    }

    @Test
    public void dataLocation() {
        String old = System.getProperty("ebnn.data");
        try {
            System.setProperty("ebnn.data", "/nonexistent/dir");
            assertEquals(Path.of("/nonexistent/dir"), TestData.dataDir());
            try {
                TestData.mnistTest();
                fail();
            } catch (NotFoundException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("/nonexistent/dir") && e.getMessage().contains("ebnn.data"));
            }
        } finally {
            if (old == null)
                System.clearProperty("ebnn.data");
            else
                System.setProperty("ebnn.data", old);
        }
        Dataset d = TestData.mnistTest();
        assertEquals(10_000, d.count());
        assertEquals(new Shape(1, 28, 28), d.shape());
    }
}
