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
import ebnn.testing.ColouredShapes;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainResult;
import ebnn.train.impl.Trainer;

/**
 * Models that ebnn.train trained on data other than MNIST, through the C back end (host gcc, strict
 * flags) and the JVM runtime: a 3-channel conv net trained on seeded RGB images (ColouredShapes,
 * 3×16×16, four classes) and a dense-only net on flat feature vectors. Each must have learned (well
 * above chance) and give identical classes and integer scores in C and in the JVM on every test sample,
 * on 8- and 32-bit words.
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
