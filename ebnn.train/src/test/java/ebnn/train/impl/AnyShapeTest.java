package ebnn.train.impl;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

import org.junit.Test;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.data.Dataset;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Model;
import ebnn.api.model.Shape;
import ebnn.core.lower.Lowering;
import ebnn.core.plan.MemoryPlanner;
import ebnn.testing.ColouredShapes;
import ebnn.train.api.Candidate;
import ebnn.train.api.DiscoverOptions;
import ebnn.train.api.DiscoverResult;
import ebnn.train.api.TrainListener;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainResult;
import ebnn.train.api.TrainingException;
import ebnn.train.nn.Par;

/**
 * Training and discover on inputs that are not MNIST: RGB images, non-square multi-channel images and
 * flat feature vectors (as a [F] vector and as a 1×1×F row), each exported with the input shape it was
 * trained on and lowered by ebnn.core.
 */
public class AnyShapeTest {

    /**
     * Sensor-like feature vectors: each of {@code classes} classes has a random prototype of
     * {@code features} byte values; a sample is its class's prototype plus noise of ±40.
     */
    static Dataset features(Shape shape, int classes, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int f = shape.size();
        int[][] proto = new int[classes][f];
        SplittableRandom pr = new SplittableRandom(99);
        for (int[] p : proto)
            for (int i = 0; i < f; i++)
                p[i] = 40 + pr.nextInt(176);
        byte[] x = new byte[count * f], y = new byte[count];
        for (int n = 0; n < count; n++) {
            int c = r.nextInt(classes);
            y[n] = (byte) c;
            for (int i = 0; i < f; i++)
                x[n * f + i] = (byte) Math.max(0, Math.min(255, proto[c][i] + r.nextInt(81) - 40));
        }
        return new Dataset("features-" + shape, shape, count, x, y);
    }

    private static double accuracy(TrainResult r) {
        return r.testAccuracy();
    }

    /** The exported float model gives the trainer's own scores on every sample, so the export reads the layout right. */
    private static void exportMatchesTrainer(Trainer.Trained t, Dataset d) {
        Model m = t.result().model();
        assertEquals("the model's input is the data's shape", d.shape(), m.input().shape());
        int n = Math.min(100, d.count()), k = m.classes();
        float[] mine;
        try (Par par = new Par(2)) {
            mine = Trainer.scores(t.net(), par, d, n);
        }
        FloatEvaluator ev = new FloatEvaluator(m);
        for (int i = 0; i < n; i++) {
            double[] ref = ev.scores(d.sample(i));
            for (int c = 0; c < k; c++)
                assertEquals(m.name() + " sample " + i + " class " + c, ref[c], mine[i * k + c], 1e-5 * Math.max(1, Math.abs(ref[c])));
        }
        BinaryModel lowered = Lowering.lower(m);
        assertEquals(d.shape().size(), lowered.inputSize());
    }

    @Test
    public void denseOnlySpecsLearnFlatFeatureVectorsAsAVectorAndAsARow() {
        for (Shape shape : List.of(Shape.vector(24), new Shape(1, 1, 24))) {
            Dataset all = features(shape, 4, 1600, 5);
            Dataset train = all.slice(0, 1200), test = all.slice(1200, 1600);
            TrainOptions o = TrainOptions.defaults("dense:64,dense:32").withEpochs(4).withBatchSize(50).withSeed(2);
            Trainer.Trained t = Trainer.trainNet(o, train, test, null);
            assertTrue(shape + ": accuracy " + accuracy(t.result()) + " well above chance (0.25)", accuracy(t.result()) > 0.9);
            exportMatchesTrainer(t, test);
        }
    }

    @Test
    public void aThreeChannelConvNetLearnsColouredShapes() {
        Dataset train = ColouredShapes.generate(1500, 16, 1), test = ColouredShapes.generate(500, 16, 2);
        assertEquals(new Shape(3, 16, 16), train.shape());
        TrainOptions o = TrainOptions.defaults("conv:8:3:1,pool:2:2,dense:32").withEpochs(4).withBatchSize(50).withSeed(4).withShift(1);
        Trainer.Trained t = Trainer.trainNet(o, train, test, null);
        assertTrue("accuracy " + accuracy(t.result()) + " well above chance (0.25)", accuracy(t.result()) > 0.7);
        exportMatchesTrainer(t, test);
    }

    @Test
    public void nonSquareMultiChannelImagesExportInTheirOwnLayout() {
        // 2 channels of 9 x 13, random bytes: nothing to learn, but any mix-up of channels, rows and columns
        // between the trainer and the exported model shows in the scores (strided, padded convs and a pool)
        SplittableRandom r = new SplittableRandom(3);
        Shape s = new Shape(2, 9, 13);
        byte[] x = new byte[300 * s.size()], y = new byte[300];
        for (int i = 0; i < x.length; i++)
            x[i] = (byte) (r.nextInt(4) == 0 ? 0 : r.nextInt(256));
        for (int i = 0; i < y.length; i++)
            y[i] = (byte) r.nextInt(3);
        Dataset d = new Dataset("random-2x9x13", s, 300, x, y);
        for (String spec : List.of("conv:4:3:1:2,conv:6:2,dense:8", "conv:5:3,pool:2:2,dense:8", "dense:16")) {
            Trainer.Trained t = Trainer.trainNet(TrainOptions.defaults(spec).withEpochs(1).withBatchSize(30).withSeed(1).withShift(1), d, null, null);
            exportMatchesTrainer(t, d);
        }
    }

    @Test
    public void imageOnlyLayersAndShiftsOnFlatVectorsAreClearErrors() {
        Dataset flat = features(Shape.vector(24), 3, 100, 1);
        expect(() -> Trainer.train(TrainOptions.defaults("conv:8:3,dense:16"), flat, null, null), "flat vector");
        expect(() -> Trainer.train(TrainOptions.defaults("dense:16").withShift(1), flat, null, null), "flat row of features");
        expect(() -> Trainer.train(TrainOptions.defaults("dense:16").withShift(2), features(new Shape(1, 1, 24), 3, 100, 1), null, null),
                "flat row of features");
        expect(() -> Trainer.train(TrainOptions.defaults("dense:16").withShift(8), ColouredShapes.generate(100, 14, 1), null, null),
                "out of view (at most 6)");
        expect(() -> Trainer.train(TrainOptions.defaults("convpool-2"), ColouredShapes.generate(100, 12, 1), null, null), "pool window larger than the map");
        expect(() -> Trainer.train(TrainOptions.defaults("conv:8:13"), ColouredShapes.generate(100, 12, 1), null, null), "does not fit the input [3x12x12]");
    }

    private static void expect(Runnable r, String text) {
        try {
            r.run();
            fail("expected an error containing '" + text + "'");
        } catch (TrainingException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(text));
        }
    }

    @Test
    public void discoverOnFlatVectorsPlansAndTrainsOnlyTheDenseCandidates() {
        Device small = new Device("small-avr", "test device: 6 KB flash, 2 KB RAM", Device.Arch.AVR, "avr5", 6 * 1024, 2 * 1024, 8, 16_000_000);
        BiFunction<Model, Device, MemoryPlan> planner = (m, d) -> MemoryPlanner.plan(Lowering.lower(m), d);
        Dataset train = features(Shape.vector(24), 4, 900, 7);
        List<String> messages = new ArrayList<>();
        TrainOptions quick = TrainOptions.defaults("candidate").withEpochs(2).withBatchSize(50).withSeed(3).withThreads(1).withValidation(200);
        DiscoverResult r = new Discover(new TrainingServiceImpl(), planner).run(new DiscoverOptions(small, List.of(), quick, 0, 2), train, null, null,
                new TrainListener() {
                    @Override
                    public void message(String line) {
                        messages.add(line);
                    }
                });
        List<String> convs = Discover.DEFAULT_CANDIDATES.stream().filter(c -> Architectures.spec(c).contains("conv")).toList();
        assertFalse(convs.isEmpty());
        for (String c : convs)
            assertTrue(c + " skipped: " + messages, messages.stream().anyMatch(m -> m.startsWith(c + " ") && m.contains("does not apply to inputs of [24]")));
        assertEquals("every dense default candidate planned", Discover.DEFAULT_CANDIDATES.size() - convs.size(), r.candidates().size());
        for (Candidate c : r.candidates()) {
            assertFalse(c.name(), c.spec().contains("conv"));
            assertTrue(c.name() + ": " + c.status(), c.trained() || c.status().equals("over-budget"));
        }
        assertTrue("something fits and was trained", r.candidates().stream().anyMatch(Candidate::trained));
        assertNotNull(r.bestModel());
        assertEquals(Shape.vector(24), r.bestModel().input().shape());
        assertTrue(planner.apply(r.bestModel(), small).fits());
        assertTrue("the best learned: " + r.best().validationAccuracy(), r.best().validationAccuracy() > 0.8);
    }
}
