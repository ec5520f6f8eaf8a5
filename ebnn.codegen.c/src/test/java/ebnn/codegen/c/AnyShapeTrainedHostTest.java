package ebnn.codegen.c;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.data.Samples;
import ebnn.api.model.Shape;
import ebnn.api.spi.CompileOptions;
import ebnn.core.lower.Lowering;
import ebnn.core.plan.MemoryPlanner;
import ebnn.api.data.DataOptions;
import ebnn.api.data.DataReaders;
import ebnn.testing.ColouredShapes;
import ebnn.testing.DataFiles;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainResult;
import ebnn.train.impl.Trainer;

/**
 * Models that ebnn.train trained on data other than MNIST, through the C back end (host gcc, strict
 * flags) and the JVM runtime: a 3-channel conv net trained on seeded RGB images (ColouredShapes,
 * 3×16×16, four classes) and a dense-only net on flat feature vectors. Each must have learned (well
 * above chance) and give identical classes and integer scores in C and in the JVM on every test sample,
 * on 8- and 32-bit words. The RGB model is also trained from .npy files and run on its test images read
 * back from .npy and from a PNG folder through the data layer (ebnn.api.data, what every command reads with).
 */
public class AnyShapeTrainedHostTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private void check(String what, BinaryModel m, Dataset test, double atLeast) throws IOException {
        byte[] hwc = Samples.chwToHwc(test.samples(), test.count(), test.shape());
        Reference.Answers jvm = Reference.jvm(m, hwc);
        int ok = 0;
        for (int i = 0; i < test.count(); i++)
            if (jvm.classes()[i] == test.label(i))
                ok++;
        assertTrue(what + " learned: " + ok + " / " + test.count(), ok >= atLeast * test.count());
        for (String device : new String[] { "atmega328p", "arduino101" }) {
            Path dir = tmp.newFolder(what + "-" + device).toPath();
            Built b = Built.generate(m, MemoryPlanner.plan(m, Device.named(device)), CompileOptions.defaults(), dir);
            Reference.assertSame(what + " on " + device + " words", m, jvm, b.runHost(b.buildHost(), hwc));
        }
    }

    @Test
    public void rgbConvNetTrainedOnColouredShapes() throws IOException {
        Dataset train = ColouredShapes.generate(1500, 16, 1), test = ColouredShapes.generate(500, 16, 2);
        TrainOptions o = TrainOptions.defaults("conv:8:3:1,pool:2:2,dense:32").withEpochs(4).withBatchSize(50).withSeed(4).withShift(1);
        TrainResult r = Trainer.train(o, train, null, null);
        BinaryModel m = Lowering.lower(r.model());
        assertEquals(new Shape(3, 16, 16).size(), m.inputSize());
        check("rgb-shapes", m, test, 0.7);
    }

    /** The samples as a uint8 .npy of N x H x W x C (NHWC, as NumPy image pipelines save them) and their labels as a uint8 .npy. */
    private static Path[] npy(Path dir, String name, Dataset d) throws IOException {
        Shape s = d.shape();
        byte[] hwc = Samples.chwToHwc(d.samples(), d.count(), s);
        Path x = dir.resolve(name + "-x.npy"), y = dir.resolve(name + "-y.npy");
        java.nio.file.Files.write(x, DataFiles.npy("|u1", false, new long[] { d.count(), s.height(), s.width(), s.channels() }, DataFiles.values(hwc, 0, hwc.length, 1, 0)));
        java.nio.file.Files.write(y, DataFiles.npy("|u1", false, new long[] { d.count() }, DataFiles.values(d.labels(), 0, d.count(), 1, 0)));
        return new Path[] { x, y };
    }

    @Test
    public void rgbModelFromNpyAndPngFilesGivesTheSameAnswersInTheJvmAndInC() throws IOException {
        Path dir = tmp.newFolder("rgb-files").toPath();
        Dataset train = ColouredShapes.generate(1500, 16, 1), test = ColouredShapes.generate(300, 16, 2);
        Path[] trainFiles = npy(dir, "train", train), testFiles = npy(dir, "test", test);
        DataFiles.pngFolder(dir.resolve("test-png"), test.samples(), test.labels(), test.count(), 3, 16, 16);

        Dataset fromNpy = DataReaders.readAll(trainFiles[0], DataOptions.raw().withLabels(trainFiles[1]), Long.MAX_VALUE, true);
        assertEquals(train.shape(), fromNpy.shape());
        assertTrue("the .npy's NHWC samples read back as the CHW bytes", java.util.Arrays.equals(train.samples(), fromNpy.samples()));
        TrainOptions o = TrainOptions.defaults("conv:8:3:1,pool:2:2,dense:32").withEpochs(4).withBatchSize(50).withSeed(4).withShift(1);
        TrainResult r = Trainer.train(o, fromNpy, null, null);
        BinaryModel m = Lowering.lower(r.model());

        DataOptions forModel = DataOptions.forInput(r.model().input());
        Dataset npyTest = DataReaders.readAll(testFiles[0], forModel.withLabels(testFiles[1]), Long.MAX_VALUE, true);
        Dataset pngTest = DataReaders.readAll(dir.resolve("test-png"), forModel, Long.MAX_VALUE, true);
        assertTrue(java.util.Arrays.equals(test.samples(), npyTest.samples()));
        check("rgb-npy", m, npyTest, 0.7);
        check("rgb-png", m, pngTest, 0.7);
        // the PNG folder lists the images class by class: sample k of it is the test sample of the k-th (label, index)
        Integer[] order = new Integer[test.count()];
        for (int i = 0; i < order.length; i++)
            order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> test.label(a) != test.label(b) ? test.label(a) - test.label(b) : a - b);
        int[] fromPng = Reference.jvm(m, Samples.chwToHwc(pngTest.samples(), pngTest.count(), pngTest.shape())).classes();
        int[] fromNpyAnswers = Reference.jvm(m, Samples.chwToHwc(npyTest.samples(), npyTest.count(), npyTest.shape())).classes();
        for (int k = 0; k < order.length; k++) {
            assertEquals("PNG image " + k + " label", test.label(order[k]), pngTest.label(k));
            assertEquals("PNG image " + k + " = .npy sample " + order[k], fromNpyAnswers[order[k]], fromPng[k]);
        }
    }

    @Test
    public void denseNetTrainedOnFlatFeatureVectors() throws IOException {
        // 4 classes of 24 byte features: a random prototype per class plus noise of +-40
        SplittableRandom pr = new SplittableRandom(99), r = new SplittableRandom(5);
        int f = 24, n = 1600;
        int[][] proto = new int[4][f];
        for (int[] p : proto)
            for (int i = 0; i < f; i++)
                p[i] = 40 + pr.nextInt(176);
        byte[] x = new byte[n * f], y = new byte[n];
        for (int s = 0; s < n; s++) {
            int c = r.nextInt(4);
            y[s] = (byte) c;
            for (int i = 0; i < f; i++)
                x[s * f + i] = (byte) Math.max(0, Math.min(255, proto[c][i] + r.nextInt(81) - 40));
        }
        Dataset all = new Dataset("features", Shape.vector(f), n, x, y);
        TrainResult t = Trainer.train(TrainOptions.defaults("dense:64,dense:32").withEpochs(4).withBatchSize(50).withSeed(2), all.slice(0, 1200), null,
                null);
        check("flat-features", Lowering.lower(t.model()), all.slice(1200, n), 0.9);
    }
}
