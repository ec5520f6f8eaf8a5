package ebnn.train.spark;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import ebnn.api.Device;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.core.toolchain.DefaultToolchain;
import ebnn.train.api.CandidateExecutor.Job;
import ebnn.train.api.CandidateExecutor.JobResult;
import ebnn.train.api.DiscoverOptions;
import ebnn.train.api.DiscoverResult;
import ebnn.train.api.TrainListener;
import ebnn.train.impl.LocalExecutor;
import ebnn.train.impl.TrainingServiceImpl;
import ebnn.testing.TestData;

/**
 * The Spark executor in local[2]: every candidate trains to the same model bytes, accuracies and
 * history as in the local executor; discover through it keeps the same front and best model and never
 * sends an over-budget candidate to Spark; tasks carry options, not data.
 */
public class SparkExecutorTest {
    private static JavaSparkContext sc;
    private static Dataset train, test;
    private static final AtomicInteger TASKS_STARTED = new AtomicInteger();

    @BeforeClass
    public static void start() {
        Dataset all = Idx.load(TestData.data("mnist"), false);
        train = all.head(600);
        test = Idx.load(TestData.data("mnist"), true).head(200);
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("SparkExecutorTest").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"));
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart t) {
                TASKS_STARTED.incrementAndGet();
            }
        });
    }

    @AfterClass
    public static void stop() {
        if (sc != null)
            sc.stop();
    }

    @Test
    public void everyCandidateTrainsToTheSameBytesAsInTheLocalExecutor() {
        List<Job> jobs = new ArrayList<>();
        for (String spec : List.of("dense:8", "conv:2:3,pool:2:2", "dense:16", "conv:4:3,pool:2:2"))
            jobs.add(new Job(spec, Cluster.options().withArch(spec), train, spec.startsWith("conv:4") ? test : null));
        jobs.add(new Job("no-such", Cluster.options().withArch("no-such-architecture"), train, null));
        List<JobResult> local = new LocalExecutor(2).run(jobs, new TrainingServiceImpl(), null);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        List<JobResult> spark = new SparkExecutor(sc, Cluster.SMALL, java.time.Duration.ofSeconds(30)).run(jobs, new TrainingServiceImpl(),
                new TrainListener() {
                    @Override
                    public void message(String line) {
                        lines.add(line);
                    }
                });
        Cluster.assertSameResults(local, spark);
        assertTrue("a job that cannot train fails alone: " + spark.get(4).error(), spark.get(4).error().contains("no-such-architecture"));
        assertTrue(spark.get(3).result().testAccuracy() >= 0);
        assertEquals("one progress line per job: " + lines, jobs.size(), lines.size());
        for (int k = 0; k < jobs.size(); k++) {
            String name = jobs.get(k).name();
            assertEquals(name + " reported once: " + lines, 1, lines.stream().filter(l -> l.contains("] " + name + " ")).count());
        }
        assertTrue("the worker's memory plan is in the line: " + lines,
                lines.stream().anyMatch(l -> l.contains("] dense:8 trained") && l.contains("flash ") && l.contains("RAM ")));
    }

    @Test
    public void discoverThroughSparkKeepsTheLocalFrontAndBestModelAndNeverTrainsOverBudget() {
        DiscoverOptions o = new DiscoverOptions(Cluster.SMALL, Cluster.CANDIDATES, Cluster.options(), 0, 2);
        TrainingServiceImpl service = new TrainingServiceImpl(new DefaultToolchain());
        DiscoverResult local = service.discover(o, train, null, null, null);
        int before = TASKS_STARTED.get();
        DiscoverResult spark = service.discover(o, train, null, new SparkExecutor(sc, Cluster.SMALL, java.time.Duration.ofSeconds(30)), null);
        int tasks = TASKS_STARTED.get() - before;
        Cluster.assertSameDiscover(local, spark);
        long overBudget = spark.candidates().stream().filter(c -> c.status().equals("over-budget")).count();
        assertTrue("the candidate list has some over the budget", overBudget >= 1);
        assertEquals("Spark ran one task per candidate that fits, none for those over budget", Cluster.CANDIDATES.size() - overBudget, tasks);
    }

    @Test
    public void tasksCarryTheirOptionsAndTheDataTravelsOnceInTheBroadcast() throws IOException {
        List<Job> jobs = new ArrayList<>();
        for (String spec : Cluster.CANDIDATES)
            jobs.add(new Job(spec, Cluster.options().withArch(spec), train, test));
        SparkExecutor.Plan plan = SparkExecutor.plan(jobs);
        assertEquals("the training and test sets, each once for all jobs", 2, plan.datasets().size());
        assertEquals(jobs.size(), plan.tasks().size());
        long data = train.samples().length + test.samples().length;
        for (SparkExecutor.TaskSpec t : plan.tasks()) {
            int size = serializedSize(t);
            assertTrue(t.name() + ": a task is its options (" + size + " B), not the " + data + " B of data", size < 2048);
        }
        assertTrue("the broadcast holds the data", serializedSize(plan.datasets().stream().map(Wire::freeze).toArray()) > data);
        Dataset back = Wire.thaw(Wire.freeze(train), Dataset.class);
        assertEquals(train.shape(), back.shape());
        assertArrayEquals(train.labels(), back.labels());
        assertNotNull(Wire.thaw(plan.tasks().get(0).options(), ebnn.train.api.TrainOptions.class));
        assertEquals(Cluster.options().withArch(Cluster.CANDIDATES.get(0)), Wire.thaw(plan.tasks().get(0).options(), ebnn.train.api.TrainOptions.class));
    }

    private static int serializedSize(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.size();
    }

}
