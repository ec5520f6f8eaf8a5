package ebnn.train.impl;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;

import org.junit.BeforeClass;
import org.junit.Test;

import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.model.Shape;
import ebnn.core.format.EbnnFormat;
import ebnn.testing.ColouredShapes;
import ebnn.testing.TestData;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainResult;
import ebnn.train.api.TrainingException;
import ebnn.train.nn.BatchNorm;
import ebnn.train.nn.BinaryDense;
import ebnn.train.nn.Net;
import ebnn.train.nn.SignAct;

/**
 * The memory-lean pass (bits for activations and masks, integers for batch-norm inputs, bytes for pool
 * winners) computes what the standard pass computes: the same seed gives the same model bytes, the
 * same accuracy, in less activation storage.
 */
public class LeanTrainingTest {
    private static Dataset train, test;

    @BeforeClass
    public static void load() {
        train = Idx.load(TestData.data("mnist"), false).head(600);
        test = Idx.load(TestData.data("mnist"), true).head(500);
    }

    private static void same(String spec, Dataset d, Dataset t, int shift, int threads) {
        TrainOptions o = TrainOptions.defaults(spec).withEpochs(2).withBatchSize(50).withSeed(5).withShift(shift).withThreads(threads);
        TrainResult std = Trainer.train(o, d, t, null), lean = Trainer.train(o.withLean(true), d, t, null);
        assertArrayEquals(spec + ": the same model bytes", EbnnFormat.toBytes(std.model()), EbnnFormat.toBytes(lean.model()));
        assertEquals(spec + ": the same test accuracy (the trainer's own inference)", std.testAccuracy(), lean.testAccuracy(), 0);
        for (int e = 0; e < std.history().size(); e++)
            assertEquals(spec + " epoch " + e + " loss", std.history().get(e).loss(), lean.history().get(e).loss(), 0);
        assertTrue(spec + ": lean holds less: " + lean.activationBytes() + " vs " + std.activationBytes(),
                lean.activationBytes() > 0 && lean.activationBytes() < std.activationBytes());
    }

    @Test
    public void mlpAndConvFamiliesTrainTheSameModelBytesLean() {
        same("dense:48", train, test, 0, 2); // MLP-1's shape: a 32-bit batch-norm input (784 x 255)
        same("dense:34,dense:24", train, test, 0, 1);
        same("conv:8:7:0:5", train, test, 1, 2); // conv without pool, strided
        same("conv:8:5,pool:4:4", train, test, 1, 2); // ConvPool-1's shape
        same("conv:6:5,pool:3:2,conv:8:3:1,pool:2:2", train, test, 1, 1); // overlapping pool windows, padded conv on bits
    }

    @Test
    public void rgbImagesAndFlatVectorsToo() {
        Dataset rgb = ColouredShapes.generate(300, 16, 3);
        same("conv:6:3:1:2,conv:8:3,pool:2:2,dense:16", rgb, ColouredShapes.generate(100, 16, 4), 1, 2);
        Dataset flat = AnyShapeTest.features(Shape.vector(24), 4, 400, 5);
        same("dense:32,dense:16", flat.slice(0, 300), flat.slice(300, 400), 0, 2);
    }

    @Test
    public void leanStoresAFractionOfTheStandardBytes() {
        TrainOptions o = TrainOptions.defaults("conv:48:5,pool:4:4").withEpochs(1).withBatchSize(100).withSeed(1);
        long std = Trainer.train(o, train, null, null).activationBytes(), lean = Trainer.train(o.withLean(true), train, null, null).activationBytes();
        // standard: every op's output and gradient as floats (the 24x24x48 conv output dominates); lean: bits, 16-bit
        // batch-norm inputs and pool winners of the 6x6x48 pooled map, the conv output one sample at a time
        assertTrue("ConvPool-1 at batch 100: " + std + " vs " + lean + " bytes", std > 6 * lean);
    }

    @Test
    public void aNetworkOfAnotherArrangementIsRefusedNamingTheLayer() {
        Shape s = Shape.vector(8);
        Net net = new Net("odd", s, List.of(new BinaryDense("fc1", 8, 4), new SignAct("sign", Shape.vector(4)), new BinaryDense("fc2", 4, 2),
                new BatchNorm("bn", Shape.vector(2))));
        try {
            net.lean();
            fail("a sign without a batch norm before it");
        } catch (TrainingException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("layer 'sign'") && e.getMessage().contains("batch norm"));
        }
    }
}
