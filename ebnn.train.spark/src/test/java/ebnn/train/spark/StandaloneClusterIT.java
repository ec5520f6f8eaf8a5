package ebnn.train.spark;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.ExecutorLostFailure;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

import ebnn.api.Device;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.core.format.EbnnFormat;
import ebnn.core.toolchain.DefaultToolchain;
import ebnn.testing.TestData;
import ebnn.train.api.Candidate;
import ebnn.train.api.DiscoverOptions;
import ebnn.train.api.DiscoverResult;
import ebnn.train.api.TrainListener;
import ebnn.train.impl.LocalExecutor;
import ebnn.train.impl.TrainingServiceImpl;

/**
 * A real standalone cluster on 127.0.0.1 (a Master and two Workers from Spark's jars): a discover of
 * nine fitting candidates (and one over budget) gives the local executor's results byte for byte, from
 * a driver in this JVM, from the command line as README.md gives it, and when a worker dies while it
 * trains. Starting JVMs costs most of the time, so the three tests share one cluster, and the last two
 * one driver (one application, one executor per worker); each test first restores what it needs (both
 * workers, no other application holding their cores), so the order only saves time: in name order
 * the worker-loss test comes last and nothing needs restarting.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class StandaloneClusterIT {
    private static final Device DEVICE = Device.named("atmega328p");
    private static StandaloneCluster cluster;
    private static Dataset train, test;
    private static DiscoverOptions options;
    private static TrainingServiceImpl service;
    /** The local executor's search, every candidate's result kept. */
    private static DiscoverResult expected;
    private static Cluster.Recording local;
    /** The driver of the in-process tests, and what its tasks did. */
    private static JavaSparkContext sc;
    private static final Set<String> executorsUsed = ConcurrentHashMap.newKeySet();
    private static final Set<String> appExecutors = ConcurrentHashMap.newKeySet();
    private static final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private static final AtomicInteger succeeded = new AtomicInteger();
    private static final List<String> lost = Collections.synchronizedList(new ArrayList<>());

    @BeforeClass
    public static void start() throws Exception {
        train = Idx.load(TestData.data("mnist"), false).head(600);
        test = Idx.load(TestData.data("mnist"), true).head(200);
        options = new DiscoverOptions(DEVICE, Cluster.CANDIDATES, Cluster.options(), 0, 2);
        service = new TrainingServiceImpl(new DefaultToolchain());
        local = new Cluster.Recording(new LocalExecutor(2));
        // the local search while the cluster's JVMs start
        CompletableFuture<DiscoverResult> reference = CompletableFuture.supplyAsync(() -> service.discover(options, train, test, local, null));
        cluster = StandaloneCluster.start(2);
        expected = reference.get(5, TimeUnit.MINUTES);
        assertTrue("at least 8 candidates train", expected.candidates().stream().filter(Candidate::trained).count() >= 8);
        assertTrue("a candidate is over the budget", expected.candidates().stream().anyMatch(c -> c.status().equals("over-budget")));
    }

    /** The shared in-process driver, with both workers' executors registered. */
    private static JavaSparkContext driver() throws Exception {
        cluster.ensureWorker(0);
        cluster.ensureWorker(1);
        if (sc == null) {
            sc = Cluster.driver(cluster.masterUrl, "StandaloneClusterIT");
            sc.sc().addSparkListener(new SparkListener() {
                @Override
                public void onExecutorAdded(SparkListenerExecutorAdded e) {
                    appExecutors.add(e.executorId());
                }

                @Override
                public void onTaskStart(SparkListenerTaskStart t) {
                    executorsUsed.add(t.taskInfo().executorId());
                    running.computeIfAbsent(t.taskInfo().executorId(), k -> new AtomicInteger()).incrementAndGet();
                }

                @Override
                public void onTaskEnd(SparkListenerTaskEnd t) {
                    running.computeIfAbsent(t.taskInfo().executorId(), k -> new AtomicInteger()).decrementAndGet();
                    if (t.reason() instanceof org.apache.spark.Success$)
                        succeeded.incrementAndGet();
                    else if (t.reason() instanceof ExecutorLostFailure)
                        lost.add(t.taskInfo().executorId() + ": " + t.reason());
                }
            });
        }
        Cluster.awaitExecutors(sc, 2);
        executorsUsed.clear();
        succeeded.set(0);
        lost.clear();
        return sc;
    }

    private static void stopDriver() {
        if (sc != null)
            sc.stop();
        sc = null;
        appExecutors.clear();
    }

    @AfterClass
    public static void stop() {
        stopDriver();
        if (cluster != null) {
            cluster.close();
            assertEquals("every process the test started has ended", List.of(), cluster.alive());
        }
    }

    @Test
    public void b_aDiscoverOnTheClusterGivesTheLocalResultsByteForByte() throws Exception {
        JavaSparkContext sc = driver();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Cluster.Recording spark = new Cluster.Recording(new SparkExecutor(sc, DEVICE, Duration.ofSeconds(60)));
        DiscoverResult actual = service.discover(options, train, test, spark, new TrainListener() {
            @Override
            public void message(String line) {
                lines.add(line);
            }
        });
        Cluster.assertSameResults(local.results, spark.results);
        Cluster.assertSameDiscover(expected, actual);
        assertEquals("both workers' executors trained candidates", 2, executorsUsed.size());
        for (Candidate c : actual.candidates())
            assertEquals(c.name() + ": one progress line if trained, none if over budget: " + lines, c.trained() ? 1 : 0,
                    lines.stream().filter(l -> l.matches("\\[\\d+/\\d+\\] " + java.util.regex.Pattern.quote(c.name()) + " trained .*")).count());
        assertEquals("one successful task per trained candidate", expected.candidates().stream().filter(Candidate::trained).count(),
                succeeded.get());
    }

    @Test
    public void a_theReadmeCommandSearchesOnTheClusterAndWritesTheLocalBestModel() throws Exception {
        stopDriver(); // its application would hold the workers' only cores
        cluster.ensureWorker(0);
        cluster.ensureWorker(1);
        Path dir = Files.createTempDirectory(Path.of("target"), "discover-cli-");
        Path data = Files.createDirectories(dir.resolve("data"));
        IdxFiles.write(data, "train", train);
        IdxFiles.write(data, "t10k", test);
        Path out = dir.resolve("best.ebnn"), plot = dir.resolve("front.svg");
        String candidates = String.join(";", Cluster.CANDIDATES);
        List<String> searchArgs = List.of("--device", "atmega328p", "--data", data.toString(), "--candidates", candidates, "--epochs", "1", "--batch",
                "50", "--seed", "3", "--validation", "200", "--out", out.toString(), "--plot", plot.toString());

        assertEquals("the command trains as the local search did", Cluster.options(),
                DiscoverOnSpark.options(DiscoverOnSpark.parse(searchArgs.toArray(String[]::new))));

        List<String> cmd = new ArrayList<>(List.of("--master", cluster.masterUrl));
        cmd.addAll(searchArgs);
        Cli.Run r = Cli.run(System.getProperty("ebnn.spark.jar") + ":" + cluster.home.resolve("jars") + "/*", cmd, 300);
        String stdout = r.stdout(), stderr = r.stderr();
        assertEquals("exit status; stderr:\n" + stderr, 0, r.exit());
        assertArrayEquals("the best model the command wrote is the local search's (in threshold form, as ebnn:discover writes it), byte for byte",
                EbnnFormat.toBytes(ebnn.core.lower.ThresholdForm.of(expected.bestModel())),
                Files.readAllBytes(out));
        assertTrue(Files.readString(plot).contains("atmega328p"));
        long trained = expected.candidates().stream().filter(Candidate::trained).count();
        assertEquals("one progress line per trained candidate:\n" + stderr, trained, stderr.lines().filter(l -> l.matches("\\[\\d+/" + trained + "\\] .* trained in .*")).count());
        for (Candidate c : expected.candidates()) {
            String row = stdout.lines().filter(l -> l.startsWith(c.name() + " ")).findFirst().orElse("");
            assertTrue(c.name() + " is in the table with its status: " + stdout, row.contains(c.status()));
            if (c.trained())
                assertTrue(c.name() + " has the local validation accuracy: " + row,
                        row.contains(String.format(java.util.Locale.ROOT, "%.2f", 100 * c.validationAccuracy())));
        }
        assertTrue(stdout, stdout.contains("best: " + expected.best().name() + " ("));
    }

    @Test
    public void c_losingAWorkerWhileItTrainsLosesNoCandidateAndCountsNoneTwice() throws Exception {
        JavaSparkContext sc = driver();
        String victim = cluster.executorsOf(1).stream().filter(appExecutors::contains).findFirst()
                .orElseThrow(() -> new AssertionError("worker 1 runs none of this driver's executors " + appExecutors));
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Cluster.Recording spark = new Cluster.Recording(new SparkExecutor(sc, DEVICE, Duration.ofSeconds(60)));
        CompletableFuture<DiscoverResult> search = CompletableFuture.supplyAsync(() -> service.discover(options, train, test, spark,
                new TrainListener() {
                    @Override
                    public void message(String line) {
                        lines.add(line);
                    }
                }));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (running.getOrDefault(victim, new AtomicInteger()).get() <= 0) {
            assertTrue("executor " + victim + " of worker 1 started a task within 120 s", System.nanoTime() < end);
            assertTrue("the search is not over before the worker could be killed", !search.isDone());
            Thread.sleep(20);
        }
        List<Long> killed = cluster.killWorker(1);
        DiscoverResult actual = search.get(5, TimeUnit.MINUTES);

        assertTrue("the worker and its executor were killed: " + killed, killed.size() >= 2);
        assertTrue("a task running on the killed worker was lost and re-run", !lost.isEmpty());
        Cluster.assertSameResults(local.results, spark.results);
        Cluster.assertSameDiscover(expected, actual);
        long trained = expected.candidates().stream().filter(Candidate::trained).count();
        assertEquals("each candidate's task succeeded once, whatever was lost: lost " + lost, trained, succeeded.get());
        for (Candidate c : actual.candidates())
            assertEquals(c.name() + " reported once: " + lines, c.trained() ? 1 : 0,
                    lines.stream().filter(l -> l.matches("\\[\\d+/\\d+\\] " + java.util.regex.Pattern.quote(c.name()) + " trained .*")).count());
    }

    @Test
    public void d_aClusterWithNoFreeCoreFailsWithinTheExecutorTimeout() throws Exception {
        if (sc == null)
            driver(); // an application that holds every worker's core
        Cli.Run r = Cli.run(System.getProperty("ebnn.spark.jar") + ":" + cluster.home.resolve("jars") + "/*", List.of("--master", cluster.masterUrl,
                "--device", "atmega328p", "--data", TestData.data("mnist").toString(), "--executor-timeout", "5s"), 180);
        assertEquals("exit status; stderr:\n" + r.stderr(), 1, r.exit());
        List<String> errors = r.errLines().stream().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(r.stderr(), List.of("error: no Spark executor started within 5 s on " + cluster.masterUrl
                + ": are workers registered with the master, with the executor memory (512m) and a free core?"), errors);
    }
}
