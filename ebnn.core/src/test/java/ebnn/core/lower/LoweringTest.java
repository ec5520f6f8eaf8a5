package ebnn.core.lower;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;

import org.junit.Test;

import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.ByteInput;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputKind;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.binary.Scores;
import ebnn.api.data.Dataset;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Flatten;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Model;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;
import ebnn.testing.PaperModels;
import ebnn.testing.RandomModels;
import ebnn.testing.TestData;

/** The whole lowering on the paper-shaped models (structure, and agreement on real MNIST digits) and its refusals. */
public class LoweringTest {
    @Test
    public void mlp128() {
        BinaryModel b = Lowering.lower(PaperModels.mlp128(1));
        assertEquals(2, b.blocks().size());
        DenseBlock d0 = (DenseBlock) b.blocks().get(0), d1 = (DenseBlock) b.blocks().get(1);
        assertEquals(InputKind.BYTES, d0.inputKind());
        assertEquals(ByteInput.IDENTITY, d0.byteInput());
        assertEquals(new Shape(1, 28, 28), d0.inputShape());
        assertEquals(128, d0.outputs());
        assertEquals(10, d1.outputs());
        assertEquals(Scores.identity(10), d1.output()); // ±1 weights, no bias, no batch norm on the scores
        assertEquals(PaperModels.mlp128(1).labels(), b.labels());
    }

    @Test
    public void convPool16() {
        BinaryModel b = Lowering.lower(PaperModels.convPool16(2));
        ConvBlock c = (ConvBlock) b.blocks().get(0);
        assertEquals(Padding.same(1), c.padding());
        assertEquals(ByteInput.IDENTITY, c.byteInput()); // range 0..1 has no offset
        assertEquals(2, c.pool().kernelH());
        assertEquals(new Shape(16, 14, 14), c.outputShape());
        assertEquals(new Shape(16, 14, 14), b.blocks().get(1).inputShape());
    }

    @Test
    public void tfc() {
        BinaryModel b = Lowering.lower(PaperModels.tfc(3));
        assertEquals(5, b.blocks().size());
        assertEquals(128, ((InputThresholdBlock) b.blocks().get(0)).thresholds().get(0)); // 2x - 1 >= 0 <=> p >= 127.5
        // the tensor norm has equal positive scales and zero offsets: the scores are the accumulators
        assertEquals(Scores.identity(10), ((DenseBlock) b.blocks().get(4)).output());
    }

    @Test
    public void paperModelsAgreeWithTheFloatModelOnMnist() {
        Dataset test = TestData.mnistTest().head(60);
        for (Model m : List.of(PaperModels.mlp128(1), PaperModels.convPool16(2), PaperModels.tfc(3))) {
            BinaryModel b = Lowering.lower(m);
            FloatEvaluator fe = new FloatEvaluator(m);
            for (int i = 0; i < test.count(); i++) {
                byte[] x = test.sample(i);
                FloatBits.Trace t = FloatBits.trace(m, x);
                int[][] ints = IntegerReference.run(b, x); // one channel: CHW = HWC
                for (int k = 0; k < t.signs().size(); k++)
                    assertArrayEquals(m.name() + " digit " + i + " block " + k, FloatBits.hwcBits(t.signShapes().get(k), t.signs().get(k)),
                            ints[k]);
                assertEquals(m.name() + " digit " + i, fe.classify(x), IntegerReference.classify(b, x));
            }
        }
    }

    @Test
    public void resultReportsTheScoreBound() {
        // a batch norm on the scores forces fixed point; the bound is (M + 1) / K
        Model m = new Model("bnscores", InputSpec.bytes(Shape.vector(3)), List.of(
                new Dense("fc", 3, 2, Params.of(1, 1, -1, -1, 1, 1), Params.empty()),
                new BatchNorm("bn", 2, Params.of(1, 2), Params.of(0.5, 0), Params.of(0, 1), Params.of(1, 1), 0)));
        Lowering.Result r = Lowering.lowerWithReport(m);
        long maxAcc = 3 * 255;
        // K: largest power of two with |K*2|*765 + |K*(-2)| < 2^30 (class 1: A = 2, B = -2) is 2^19
        assertEquals(1 << 19, r.scoreScale(), 0);
        assertEquals((maxAcc + 1) / r.scoreScale(), r.scoreBound(), 0);
        assertTrue(r.notes().get(0), r.notes().get(0).contains("fixed point"));
    }

    @Test
    public void notBinarizedWeightsAreRefusedNamingTheLayer() {
        Model m = new Model("float", InputSpec.bytes(Shape.vector(2)), List.of(new Dense("hidden", 2, 2, Params.of(1, -1, 0.3, 1), Params.empty()),
                new Sign("s"), new Dense("out", 2, 2, Params.filled(4, 1), Params.empty())));
        try {
            Lowering.lower(m);
            fail();
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("dense layer 'hidden'") && e.getMessage().contains("0.3"));
        }
    }

    @Test
    public void perPositionBatchNormAfterFlattenIsRefused() {
        double[] mean = new double[8];
        mean[3] = 1; // differs between the positions of channel 0
        Model m = new Model("bad", InputSpec.bytes(new Shape(1, 3, 3)), List.of(
                new Conv2d("conv", 1, 2, 2, 2, 1, 1, Padding.NONE, Params.filled(8, 1), Params.empty()), new Flatten("f"),
                new BatchNorm("bnflat", 8, Params.filled(8, 1), Params.filled(8, 0), Params.of(mean), Params.filled(8, 1), 0),
                new Sign("s"), new Dense("out", 8, 2, Params.filled(16, 1), Params.empty())));
        try {
            Lowering.lower(m);
            fail();
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'bnflat'"));
        }
    }

    @Test
    public void loweringIsDeterministicAndUsableFromManyThreads() throws Exception {
        List<Model> models = RandomModels.many(40, 77).stream().map(RandomModels.Generated::model).toList();
        List<BinaryModel> once = models.stream().map(Lowering::lower).toList();
        List<BinaryModel> parallel = models.parallelStream().map(Lowering::lower).toList();
        assertEquals(once, parallel);
    }
}
