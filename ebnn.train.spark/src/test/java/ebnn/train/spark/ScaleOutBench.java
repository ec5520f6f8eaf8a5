package ebnn.train.spark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.testing.TestData;
import ebnn.train.api.CandidateExecutor;
import ebnn.train.api.CandidateExecutor.Job;
import ebnn.train.api.CandidateExecutor.JobResult;
import ebnn.train.api.TrainOptions;
import ebnn.train.impl.LocalExecutor;
import ebnn.train.impl.TrainingServiceImpl;

/**
 * The scale-out measurements of docs/BENCHMARKS.md (run by bench/scale-out): N training jobs, wall
 * time in this JVM (the local executor, 2 at a time) and on a standalone cluster of 1 and 2 workers
 * (one core each) on this machine; the fixed cost of a Spark search (context and executors), of the
 * broadcast, and the overhead per task. Prints markdown.
 */
public final class ScaleOutBench {
    private ScaleOutBench() {
    }

    static final List<String> SPECS = List.of("dense:16", "conv:4:3,pool:2:2", "dense:32", "conv:8:3,pool:2:2");

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Dataset train = Idx.load(TestData.data("mnist"), false).head(samples);
        List<Job> jobs = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            String spec = SPECS.get(k % SPECS.size());
            TrainOptions o = TrainOptions.defaults(spec).withEpochs(epochs).withBatchSize(50).withSeed(1 + k / SPECS.size()).withThreads(1)
                    .withValidation(samples / 5);
            jobs.add(new Job(spec + "#" + k, o, train, null));
        }
        System.out.printf(Locale.ROOT, "%d jobs (%s, seeds 1..%d), %d MNIST samples (%d for validation), %d epochs, 1 thread each; load average %s%n%n",
                n, String.join(", ", SPECS), (n + SPECS.size() - 1) / SPECS.size(), samples, samples / 5, epochs, load());

        List<String[]> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        List<JobResult> local = new LocalExecutor(2).run(jobs, new TrainingServiceImpl(), null);
        double localWall = (System.nanoTime() - t0) / 1e9;
        double localTask = local.stream().mapToDouble(r -> r.result().seconds()).sum();
        rows.add(row("local executor, 2 at a time (this JVM)", 2, Double.NaN, Double.NaN, localWall, localTask, n));

        for (int workers : new int[] { 1, 2 }) {
            try (StandaloneCluster cluster = StandaloneCluster.start(workers)) {
                long s0 = System.nanoTime();
                JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster(cluster.masterUrl).setAppName("ScaleOutBench")
                        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                        .set("spark.executor.memory", "512m").setJars(new String[] { System.getProperty("ebnn.spark.jar") }));
                try {
                    while (SparkExecutor.executors(sc) < workers)
                        Thread.sleep(50);
                    double startup = (System.nanoTime() - s0) / 1e9;
                    // the broadcast: one job per executor whose candidate fails at once (no such architecture) after
                    // reading its data, over the whole data set and over a single sample; each run broadcasts anew
                    CandidateExecutor probe = new SparkExecutor(sc, null, Duration.ofMinutes(2));
                    double small = Double.MAX_VALUE, full = Double.MAX_VALUE;
                    for (int i = 0; i < 3; i++) {
                        small = Math.min(small, time(() -> probe.run(failing(train.head(1), workers), new TrainingServiceImpl(), null)));
                        full = Math.min(full, time(() -> probe.run(failing(train, workers), new TrainingServiceImpl(), null)));
                    }
                    double broadcast = full - small;
                    System.err.printf(Locale.ROOT, "a round of %d near-empty tasks: %.3f s%n", workers, small);
                    CandidateExecutor ex = new SparkExecutor(sc, null, Duration.ofMinutes(2));
                    long r0 = System.nanoTime();
                    List<JobResult> spark = ex.run(jobs, new TrainingServiceImpl(), null);
                    double wall = (System.nanoTime() - r0) / 1e9;
                    for (int k = 0; k < n; k++)
                        if (!java.util.Arrays.equals(ebnn.core.format.EbnnFormat.toBytes(local.get(k).result().model()),
                                ebnn.core.format.EbnnFormat.toBytes(spark.get(k).result().model())))
                            throw new AssertionError("job " + k + ": Spark's model differs from the local one");
                    double task = spark.stream().mapToDouble(r -> r.result().seconds()).sum();
                    rows.add(row("Spark standalone, " + workers + " worker" + (workers > 1 ? "s" : "") + " × 1 core", workers, startup, broadcast, wall,
                            task, n));
                } finally {
                    sc.stop();
                }
            }
        }
        System.out.println("| executor | task slots | search start (context + executors) | broadcast of the data | wall time for the jobs | Σ training time in the tasks | overhead per task |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (String[] r : rows)
            System.out.println("| " + String.join(" | ", r) + " |");
        System.out.printf(Locale.ROOT, "%nthe data: %,d samples = %,d B of pixels; every Spark model byte-identical to the local one%n", train.count(),
                train.samples().length);
    }

    private static List<Job> failing(Dataset d, int count) {
        List<Job> out = new ArrayList<>();
        for (int i = 0; i < count; i++)
            out.add(new Job("probe", TrainOptions.defaults("no-such-architecture"), d, null));
        return out;
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String[] row(String name, int slots, double startup, double broadcast, double wall, double task, int n) {
        // overhead per task: what the wall time holds beyond the training, spread over the jobs
        double overhead = (wall * slots - task) / n;
        return new String[] { name, String.valueOf(slots), Double.isNaN(startup) ? "–" : String.format(Locale.ROOT, "%.1f s", startup),
                Double.isNaN(broadcast) ? "–" : String.format(Locale.ROOT, "%.2f s", broadcast), String.format(Locale.ROOT, "%.1f s", wall),
                String.format(Locale.ROOT, "%.1f s (%.2f s per job)", task, task / n), String.format(Locale.ROOT, "%.2f s", overhead) };
    }

    private static String load() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
