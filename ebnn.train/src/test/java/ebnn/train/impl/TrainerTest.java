package ebnn.train.impl;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.BeforeClass;
import org.junit.Test;

import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Layer;
import ebnn.api.model.Model;
import ebnn.core.format.EbnnFormat;
import ebnn.testing.TestData;
import ebnn.train.api.EpochStats;
import ebnn.train.api.TrainListener;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainResult;
import ebnn.train.api.TrainingException;
import ebnn.train.nn.Par;

/** Short seeded training runs on real MNIST digits. */
public class TrainerTest {
    private static Dataset train;
    private static Dataset test;

    @BeforeClass
    public static void load() {
        train = Idx.load(TestData.data("mnist"), false);
        test = Idx.load(TestData.data("mnist"), true);
    }

    private static TrainOptions small(String arch) {
        return TrainOptions.defaults(arch).withEpochs(2).withBatchSize(50).withSeed(7);
    }

    @Test
    public void sameSeedSameModelBytesOnOneAndTwoThreads() {
        Dataset d = train.head(600);
        TrainOptions o = small("conv:4:3,pool:2:2,conv:4:3:1:2,dense:16").withShift(1); // byte-input scatter and ±1 popcount conv paths, shifts
        byte[] one = EbnnFormat.toBytes(Trainer.train(o.withThreads(1), d, null, null).model());
        byte[] two = EbnnFormat.toBytes(Trainer.train(o.withThreads(2), d, null, null).model());
        byte[] again = EbnnFormat.toBytes(Trainer.train(o.withThreads(2), d, null, null).model());
        assertArrayEquals("1 vs 2 threads", one, two);
        assertArrayEquals("2 threads twice", two, again);
        byte[] other = EbnnFormat.toBytes(Trainer.train(o.withThreads(2).withSeed(8), d, null, null).model());
        assertFalse("another seed gives another model", java.util.Arrays.equals(one, other));
    }

    @Test
    public void batchProgressWithinTheEpochAndCancelAtABatchBoundary() {
        Dataset d = train.head(1000);
        List<ebnn.train.api.BatchStats> seen = new ArrayList<>();
        TrainListener stopAfter7 = new TrainListener() {
            @Override
            public void batch(ebnn.train.api.BatchStats b) {
                seen.add(b);
            }

            @Override
            public boolean cancelled() {
                return seen.size() == 7 + 20; // epoch 2, after its 7th batch
            }
        };
        try {
            Trainer.train(small("dense:16"), d, null, stopAfter7);
            fail("cancelled training returned a result");
        } catch (ebnn.train.api.TrainingCancelledException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("interrupted at epoch 2 of 2, after 350 of 1,000 samples"));
        }
        assertEquals(27, seen.size());
        ebnn.train.api.BatchStats first = seen.get(0), last = seen.get(19);
        assertEquals(50, first.samples());
        assertEquals(1000, first.epochSamples());
        assertEquals(1000, last.samples());
        assertEquals(2, seen.get(20).epoch());
        assertTrue(first.loss() > 0 && Double.isFinite(first.loss()));
        assertTrue(last.seconds() >= first.seconds());
    }

    @Test
    public void tinyMlpLearnsMnistInAFewHundredSteps() {
        List<EpochStats> epochs = new ArrayList<>();
        TrainOptions o = TrainOptions.defaults("dense:64").withEpochs(8).withBatchSize(100).withSeed(3).withValidation(500);
        // 5,000 digits: 4,500 train (45 steps an epoch, 360 steps) + 500 validation
        TrainResult r = Trainer.train(o, train.head(5000), test.head(2000), new TrainListener() {
            @Override
            public void epoch(EpochStats s) {
                epochs.add(s);
            }
        });
        assertEquals(8, epochs.size());
        assertTrue("loss falls: " + epochs, epochs.get(7).loss() < epochs.get(0).loss());
        assertTrue("validation measured", epochs.get(7).validationAccuracy() > 0.8);
        assertTrue("test accuracy " + r.testAccuracy(), r.testAccuracy() >= 0.85);
        assertTrue(epochs.get(0).samplesPerSecond() > 0);
    }

    @Test
    public void exportedModelIsBinaryAndItsFloatEvaluationEqualsTheTrainersInference() {
        for (String arch : List.of("dense:24,dense:16", "conv:4:3:1,pool:2:2,conv:6:3,pool:3:2", "conv:5:4:1:3,dense:12")) {
            Trainer.Trained t = Trainer.trainNet(small(arch), train.head(800), null, null);
            Model m = t.result().model();
            assertEquals(0.0, m.input().low(), 0);
            assertEquals(255.0, m.input().high(), 0);
            for (Layer l : m.layers()) {
                double[] w = l instanceof Dense d ? d.weights().toArray() : l instanceof Conv2d c ? c.weights().toArray() : new double[0];
                for (double v : w)
                    assertTrue(l.name() + " weight " + v, v == 1 || v == -1);
            }
            int n = 300;
            Dataset d = test.head(n);
            float[] mine;
            try (Par par = new Par(2)) {
                mine = Trainer.scores(t.net(), par, d, n);
            }
            FloatEvaluator ev = new FloatEvaluator(m);
            int k = m.classes();
            for (int i = 0; i < n; i++) {
                double[] ref = ev.scores(d.sample(i));
                for (int c = 0; c < k; c++)
                    assertEquals(arch + " sample " + i + " class " + c, ref[c], mine[i * k + c], 1e-5 * Math.max(1, Math.abs(ref[c])));
                int myArg = 0;
                for (int c = 1; c < k; c++)
                    if (mine[i * k + c] > mine[i * k + myArg])
                        myArg = c;
                assertEquals(arch + " sample " + i, FloatEvaluator.argmax(ref), myArg);
            }
        }
    }

    @Test
    public void validationIsHeldOutFromTheEnd() {
        TrainOptions o = small("dense:8").withEpochs(1).withValidation(200);
        TrainResult r = Trainer.train(o, train.head(1000), null, null);
        // 800 training samples in batches of 50 → 800 seen
        assertEquals(800.0, r.history().get(0).samplesPerSecond() * r.history().get(0).seconds(), 1.0);
        assertFalse(Double.isNaN(r.validationAccuracy()));
        try {
            Trainer.train(o.withValidation(1000), train.head(1000), null, null);
            fail("a validation split of everything must be refused");
        } catch (TrainingException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("validation"));
        }
    }

    @Test
    public void badSpecsAreTypedErrorsNamingTheLayer() {
        for (String[] c : new String[][] { { "conv:8", "conv:FILTERS:KERNEL" }, { "dense:64,conv:8:3", "before dense" },
                { "pool:2:2", "directly follow" }, { "conv:8:40", "does not fit" }, { "lstm:3", "unknown layer kind" },
                { "dense:x", "not a number" }, { "resnet", "unknown architecture" } }) {
            try {
                Architectures.build(c[0], train.shape(), 10);
                fail(c[0]);
            } catch (TrainingException e) {
                assertTrue(c[0] + ": " + e.getMessage(), e.getMessage().contains(c[1]));
            }
        }
    }
}
