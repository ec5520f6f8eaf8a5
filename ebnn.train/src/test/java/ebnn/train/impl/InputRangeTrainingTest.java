package ebnn.train.impl;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.data.DataOptions;
import ebnn.api.data.DataReaders;
import ebnn.api.data.Dataset;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Model;
import ebnn.core.lower.Lowering;
import ebnn.testing.DataFiles;
import ebnn.testing.TestData;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainResult;

/**
 * Training on data whose values are not bytes (issue 14's gap): a float32 copy of MNIST digits in
 * [0,1], read by the data layer with the range 0..1 ({@code --input-range 0,1}), trains the model
 * the bytes train: the same integer model (so the same accuracy, exactly), declaring the input range
 * 0..1, and its float model gives the trained classes for the float values. Read with the old default
 * 0..255 the same file is bytes 0 and 1, and trains a much worse model: what the trainer did before.
 */
public class InputRangeTrainingTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static Dataset train, test;

    @BeforeClass
    public static void load() {
        train = TestData.mnistTrain().head(3000);
        test = TestData.mnistTest().head(1000);
    }

    /** The samples as a float32 .npy of byte/255 with a uint8 label .npy beside it. */
    private Path[] floatCopy(Dataset d, String name) throws Exception {
        int size = d.shape().size();
        Path x = tmp.getRoot().toPath().resolve(name + "-x.npy"), y = tmp.getRoot().toPath().resolve(name + "-y.npy");
        Files.write(x, DataFiles.npy("<f4", false, new long[] { d.count(), 1, 28, 28 }, DataFiles.values(d.samples(), 0, d.count() * size, 1 / 255.0, 0)));
        Files.write(y, DataFiles.npy("|u1", false, new long[] { d.count() }, DataFiles.values(d.labels(), 0, d.count(), 1, 0)));
        return new Path[] { x, y };
    }

    private static Dataset read(Path[] xy, DataOptions o) {
        return DataReaders.readAll(xy[0], o.withLabels(xy[1]), Long.MAX_VALUE, true);
    }

    @Test
    public void aFloatCopyInZeroOneTrainsTheBytesModelAndDeclaresItsRange() throws Exception {
        Dataset floatTrain = read(floatCopy(train, "train"), DataOptions.raw().withRange(0, 1));
        Dataset floatTest = read(floatCopy(test, "test"), DataOptions.raw().withRange(0, 1));
        assertArrayEquals("the data layer turns [0,1] floats back into the bytes", train.samples(), floatTrain.samples());

        TrainOptions o = TrainOptions.defaults("dense:48").withEpochs(6).withBatchSize(50).withThreads(1);
        TrainResult bytes = Trainer.train(o, train, test, null);
        TrainResult floats = Trainer.train(o.withInputRange(0, 1), floatTrain, floatTest, null);
        Model m = floats.model();
        assertEquals(0.0, m.input().low(), 0);
        assertEquals(1.0, m.input().high(), 0);
        assertEquals(255.0, bytes.model().input().high(), 0);
        assertEquals("the same integer model", Lowering.lower(bytes.model()), Lowering.lower(m));
        assertEquals(bytes.testAccuracy(), floats.testAccuracy(), 0);
        assertTrue("accuracy " + floats.testAccuracy(), floats.testAccuracy() > 0.8);

        // the float model, fed the float values (byte / 255 as its input range says), classifies as the byte model does
        FloatEvaluator fb = new FloatEvaluator(bytes.model()), ff = new FloatEvaluator(m);
        for (int i = 0; i < 200; i++)
            assertEquals("sample " + i, FloatEvaluator.argmax(fb.scores(test.sample(i))), FloatEvaluator.argmax(ff.scores(test.sample(i))));
    }

    @Test
    public void aPaddedConvOnDataInMinusOneToOneTrainsTheBytesModel() throws Exception {
        // x = 2 * byte / 255 - 1: an input offset, which a padded convolution cannot fold unless the map back is exact
        Path x = tmp.getRoot().toPath().resolve("pm1-x.npy"), y = tmp.getRoot().toPath().resolve("pm1-y.npy");
        Dataset small = train.head(1000);
        Files.write(x, DataFiles.npy("<f8", false, new long[] { small.count(), 1, 28, 28 },
                DataFiles.values(small.samples(), 0, small.count() * 784, 2 / 255.0, -1)));
        Files.write(y, DataFiles.npy("|u1", false, new long[] { small.count() }, DataFiles.values(small.labels(), 0, small.count(), 1, 0)));
        Dataset read = read(new Path[] { x, y }, DataOptions.raw().withRange(-1, 1));
        assertArrayEquals(small.samples(), read.samples());
        TrainOptions o = TrainOptions.defaults("conv:4:3:1,pool:2:2,dense:16").withEpochs(1).withBatchSize(50).withThreads(1);
        Model bytes = Trainer.train(o, small, null, null).model(), floats = Trainer.train(o.withInputRange(-1, 1), read, null, null).model();
        assertEquals(-1.0, floats.input().low(), 0);
        assertEquals("the same integer model", Lowering.lower(bytes), Lowering.lower(floats));
    }

    @Test
    public void readAsBytesTheFloatCopyTrainsAModelThatFailsOnTheSameDigitsAsBytes() throws Exception {
        // what the trainer did before --input-range: the default range 0..255 makes every value byte 0 or 1, and the
        // model declares 0..255, so the same digits as images (bytes 0..255: IDX, PNG) are far out of what it learnt
        Dataset asBytes = read(floatCopy(train, "train"), DataOptions.raw());
        for (byte b : asBytes.samples())
            assertTrue((b & 0xff) <= 1);
        TrainOptions o = TrainOptions.defaults("dense:48").withEpochs(6).withBatchSize(50).withThreads(1);
        Model wrong = Trainer.train(o, asBytes, null, null).model();
        Model right = Trainer.train(o.withInputRange(0, 1), read(floatCopy(train, "train"), DataOptions.raw().withRange(0, 1)), null, null).model();
        double wrongAccuracy = accuracy(wrong, test), rightAccuracy = accuracy(right, test);
        assertTrue("on the digits as bytes: " + rightAccuracy + " trained with the range, " + wrongAccuracy + " without",
                rightAccuracy > 0.8 && wrongAccuracy < rightAccuracy - 0.1);
    }

    /** Float-model accuracy on byte samples (the model's input range says what each byte stands for). */
    private static double accuracy(Model m, Dataset d) {
        FloatEvaluator ev = new FloatEvaluator(m);
        int ok = 0;
        for (int i = 0; i < d.count(); i++)
            ok += FloatEvaluator.argmax(ev.scores(d.sample(i))) == d.label(i) ? 1 : 0;
        return (double) ok / d.count();
    }
}
