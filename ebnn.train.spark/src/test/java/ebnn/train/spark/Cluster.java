package ebnn.train.spark;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.util.List;

import ebnn.api.Device;
import ebnn.core.format.EbnnFormat;
import ebnn.train.api.Candidate;
import ebnn.train.api.CandidateExecutor.JobResult;
import ebnn.train.api.DiscoverResult;
import ebnn.train.api.EpochStats;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainResult;

/** What the Spark tests search, and how they compare a Spark search with the local executor's. */
final class Cluster {
    private Cluster() {
    }

    /** An AVR with 6 KB of flash and 2 KB of RAM: dense:64 and conv:32:3 do not fit, the rest does. */
    static final Device SMALL = new Device("small-avr", "test device: 6 KB flash, 2 KB RAM", Device.Arch.AVR, "avr5", 6 * 1024, 2 * 1024, 8,
            16_000_000);

    /** Ten candidates, eight of them tiny enough to fit and to train in about a second. */
    static final List<String> CANDIDATES = List.of("dense:4", "dense:8", "dense:12", "dense:64", "dense:16", "conv:2:3,pool:2:2",
            "conv:4:3,pool:2:2", "conv:32:3", "dense:8,dense:8", "conv:2:5,pool:4:4");

    /** A driver in this JVM for a standalone cluster: loopback only, no UI, the shaded jar shipped to the executors. */
    static org.apache.spark.api.java.JavaSparkContext driver(String masterUrl, String app) {
        String jar = System.getProperty("ebnn.spark.jar");
        if (jar == null || !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(jar)))
            throw new IllegalStateException("the shaded jar is not built (-Debnn.spark.jar): " + jar);
        return new org.apache.spark.api.java.JavaSparkContext(new org.apache.spark.SparkConf().setMaster(masterUrl).setAppName(app)
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.executor.memory", "512m").set("spark.executor.extraJavaOptions", String.join(" ", StandaloneCluster.LEAN_JVM))
                .setJars(new String[] { jar }));
    }

    /** Waits (bounded) until {@code n} executors have registered, so that every worker gets tasks from the start. */
    static void awaitExecutors(org.apache.spark.api.java.JavaSparkContext sc, int n) throws InterruptedException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (SparkExecutor.executors(sc) < n) {
            if (System.nanoTime() > end)
                throw new AssertionError(n + " executors did not register within 120 s; " + SparkExecutor.executors(sc) + " did");
            Thread.sleep(100);
        }
    }

    /** An executor that keeps the job results it returns, to compare every candidate and not only the best. */
    static final class Recording implements ebnn.train.api.CandidateExecutor {
        final ebnn.train.api.CandidateExecutor inner;
        volatile List<JobResult> results;

        Recording(ebnn.train.api.CandidateExecutor inner) {
            this.inner = inner;
        }

        @Override
        public List<JobResult> run(List<Job> jobs, ebnn.train.api.TrainingService trainer, ebnn.train.api.TrainListener listener) {
            results = inner.run(jobs, trainer, listener);
            return results;
        }
    }

    static TrainOptions options() {
        return TrainOptions.defaults("candidate").withEpochs(1).withBatchSize(50).withSeed(3).withThreads(1).withValidation(200);
    }

    /** Job by job: the same error, or the same model bytes, accuracies and epochs (wall-clock times aside). */
    static void assertSameResults(List<JobResult> local, List<JobResult> spark) {
        assertEquals(local.size(), spark.size());
        for (int k = 0; k < local.size(); k++) {
            JobResult l = local.get(k), s = spark.get(k);
            assertNotNull("job " + k + " has a result", s);
            assertEquals("job " + k + " error", l.error(), s.error());
            if (l.result() == null) {
                assertNull(s.result());
                continue;
            }
            TrainResult a = l.result(), b = s.result();
            assertArrayEquals("job " + k + " (" + a.spec() + "): the same model bytes", EbnnFormat.toBytes(a.model()), EbnnFormat.toBytes(b.model()));
            assertEquals(a.spec(), b.spec());
            assertEquals(a.spec(), a.validationAccuracy(), b.validationAccuracy(), 0);
            assertEquals(a.spec(), a.testAccuracy(), b.testAccuracy(), 0);
            assertEquals(a.parameters(), b.parameters());
            assertEquals(a.activationBytes(), b.activationBytes());
            assertEquals(a.history().size(), b.history().size());
            for (int e = 0; e < a.history().size(); e++) {
                EpochStats x = a.history().get(e), y = b.history().get(e);
                assertEquals(a.spec() + " epoch " + e, List.of(x.arch(), x.epoch(), x.epochs(), x.loss(), x.trainAccuracy(), x.validationAccuracy(),
                        x.learningRate()), List.of(y.arch(), y.epoch(), y.epochs(), y.loss(), y.trainAccuracy(), y.validationAccuracy(), y.learningRate()));
            }
        }
    }

    /** The same candidates (plans, statuses, accuracies, front), the same best candidate and the same best model bytes. */
    static void assertSameDiscover(DiscoverResult local, DiscoverResult spark) {
        assertEquals(local.candidates().size(), spark.candidates().size());
        for (int i = 0; i < local.candidates().size(); i++) {
            Candidate a = local.candidates().get(i), b = spark.candidates().get(i);
            assertEquals(a.name(), withoutTime(a), withoutTime(b));
        }
        assertNotNull("something fits and trains", local.best());
        assertEquals(withoutTime(local.best()), withoutTime(spark.best()));
        assertArrayEquals("the best model, byte for byte", EbnnFormat.toBytes(local.bestModel()), EbnnFormat.toBytes(spark.bestModel()));
    }

    static Candidate withoutTime(Candidate c) {
        return new Candidate(c.name(), c.spec(), c.flashBytes(), c.ramBytes(), c.status(), c.validationAccuracy(), c.testAccuracy(), 0, c.pareto());
    }
}
