package ebnn.train.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import ebnn.api.Device;
import ebnn.api.EbnnException;
import ebnn.api.NotFoundException;
import ebnn.api.data.Dataset;
import ebnn.api.data.DataOptions;
import ebnn.api.io.AtomicFile;
import ebnn.api.model.InputRange;
import ebnn.api.spi.ModelForm;
import ebnn.train.api.TrainingData;
import ebnn.core.toolchain.DefaultToolchain;
import ebnn.train.api.Candidate;
import ebnn.train.api.DiscoverOptions;
import ebnn.train.api.DiscoverResult;
import ebnn.train.api.TrainListener;
import ebnn.train.api.TrainOptions;
import ebnn.train.impl.TrainingServiceImpl;

/**
 * {@code discover} on a Spark cluster: the options of {@code ebnn:discover}, plus {@code --master}.
 * Runs as {@code java -cp ebnn-discover-spark.jar:SPARK_HOME/jars/* ebnn.train.spark.DiscoverOnSpark ...}
 * or through {@code spark-submit} (which sets the master and ships the jar). The driver plans every
 * candidate, trains those that fit on the cluster, keeps the Pareto front and writes the best model.
 * Failures are one {@code error: } line and exit status 1; an unreachable master fails within
 * {@code --connect-timeout}, a cluster without executors within {@code --executor-timeout}.
 */
public final class DiscoverOnSpark {
    static final String USAGE = "usage: DiscoverOnSpark [--master spark://HOST:7077 | local[N]] --device D --data PATH [--labels FILE] [--test PATH [--test-labels FILE]] [--input-range LOW,HIGH] "
            + "[--candidates A;B;...] [--epochs N] [--seed S] [--validation N] [--batch N] [--lr X] [--final-lr X] [--threads N] [--shift N] [--augment] [--lean] "
            + "[--time-budget T] [--out FILE.ebnn] [--plot FILE.svg] [--force] [--connect-timeout T] [--executor-timeout T]";

    private static final Set<String> VALUED = Set.of("master", "device", "data", "labels", "test", "test-labels", "input-range", "candidates", "epochs", "seed", "validation", "batch", "lr",
            "final-lr", "threads", "shift", "time-budget", "out", "plot", "connect-timeout", "executor-timeout");
    private static final Set<String> FLAGS = Set.of("augment", "lean", "force", "help");

    private DiscoverOnSpark() {
    }

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null)
            System.setProperty("log4j2.configurationFile", "ebnn/train/spark/log4j2.properties");
        // exit, not return: a SparkContext stuck talking to a master that never answers must not keep the JVM alive
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a search; returns the exit status (0, or 1 after printing one {@code error: } line to {@code err}). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        JavaSparkContext sc = null;
        try {
            Map<String, String> a = parse(args);
            if (a.containsKey("help")) {
                out.println(USAGE);
                return 0;
            }
            Device device = Device.named(required(a, "device"));
            Path data = existing(required(a, "data"));
            InputRange range = a.containsKey("input-range") ? inputRange(a.get("input-range")) : null;
            TrainOptions o = options(a);
            long budget = a.containsKey("time-budget") ? millis(a, "time-budget") : 0;
            Duration connect = Duration.ofMillis(a.containsKey("connect-timeout") ? millis(a, "connect-timeout") : 30_000);
            Duration executors = Duration.ofMillis(a.containsKey("executor-timeout") ? millis(a, "executor-timeout") : 120_000);
            List<String> candidates = a.containsKey("candidates")
                    ? Arrays.stream(a.get("candidates").split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                    : List.of();
            Path outFile = Path.of(a.getOrDefault("out", device.name() + "-best.ebnn"));
            Path plot = Path.of(a.getOrDefault("plot", device.name() + "-pareto.svg"));

            SparkConf conf = new SparkConf().setAppName("ebnn discover " + device.name());
            if (a.containsKey("master"))
                conf.setMaster(a.get("master"));
            if (!conf.contains("spark.master"))
                throw new EbnnException("no Spark master: give --master spark://HOST:7077 (or local[N]), or run through spark-submit --master");
            String master = conf.get("spark.master");
            if (!conf.contains("spark.jars")) {
                // the workers load ebnn from this jar, which the driver serves them: nothing of ebnn is installed on a worker
                Path self = ownJar();
                if (self != null && !master.startsWith("local"))
                    conf.setJars(new String[] { self.toString() });
            }
            boolean force = a.containsKey("force");
            AtomicFile.check(outFile, force); // before any training: an existing file or an unwritable folder loses nothing
            AtomicFile.check(plot, force);
            DataOptions read = DataOptions.raw().withLabels(a.containsKey("labels") ? existing(a.get("labels")) : null);
            Dataset train = TrainingData.training(data, read, range);
            Dataset test = a.containsKey("test")
                    ? TrainingData.test(existing(a.get("test")), train, DataOptions.raw().withLabels(a.containsKey("test-labels") ? existing(a.get("test-labels")) : null), range)
                    : TrainingData.testBeside(data, train, read, range);
            probe(master, connect);
            sc = connect(conf, master, connect);
            awaitExecutor(sc, master, executors);
            int parallel = Math.max(1, sc.defaultParallelism());
            err.printf(Locale.ROOT, "discover on %s (flash %d B, RAM %d B) with Spark %s at %s, %d task slots: planning candidates ...%n",
                    device.name(), device.flashBytes(), device.ramBytes(), sc.version(), master, parallel);
            TrainListener progress = new TrainListener() {
                @Override
                public void message(String line) {
                    err.println(line);
                    err.flush();
                }
            };
            DiscoverResult r = new TrainingServiceImpl(new DefaultToolchain()).discover(new DiscoverOptions(device, candidates, o, budget, parallel),
                    train, test, new SparkExecutor(sc, device, executors), progress);
            AtomicFile.write(plot, force, r.svg().getBytes(StandardCharsets.UTF_8));
            if (r.bestModel() != null)
                new DefaultToolchain().writeModel(r.bestModel(), outFile, ModelForm.THRESHOLDS);
            printTable(out, r);
            out.println("plot: " + plot);
            if (r.best() == null)
                throw new EbnnException("no candidate fits " + device.name() + " and trained successfully; see the table above");
            out.printf(Locale.ROOT, "best: %s (%s), validation %s %%, test %s %%, flash %,d B, RAM %,d B -> %s%n", r.best().name(), r.best().spec(),
                    pct(r.best().validationAccuracy()), pct(r.best().testAccuracy()), r.best().flashBytes(), r.best().ramBytes(), outFile);
            return 0;
        } catch (EbnnException | IllegalArgumentException e) {
            err.println("error: " + oneLine(e.getMessage()));
            return 1;
        } catch (RuntimeException e) {
            // Spark's own failures (a job it aborted, a context it stopped): their first line, as every error here
            err.println("error: the search failed on Spark: " + oneLine(e.getMessage()));
            return 1;
        } finally {
            if (sc != null)
                sc.stop();
        }
    }

    /** Fails at once, or within the connect timeout, when no master of {@code spark://H:P[,H2:P2]} takes a TCP connection. */
    static void probe(String master, Duration timeout) {
        if (!master.startsWith("spark://"))
            return;
        List<String> tried = new ArrayList<>();
        for (String hp : master.substring("spark://".length()).split(",")) {
            int colon = hp.lastIndexOf(':');
            String host = colon < 0 ? hp : hp.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new EbnnException("bad Spark master URL '" + master + "': the port of '" + hp + "' is not a number");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                return;
            } catch (IOException e) {
                tried.add(hp + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }
        throw new EbnnException("cannot reach the Spark master " + master + " within " + seconds(timeout) + ": " + String.join(", ", tried));
    }

    /**
     * The Spark context, created within the timeout: on a port that takes connections but never
     * answers as a master, Spark would retry its registration for a minute and more.
     */
    static JavaSparkContext connect(SparkConf conf, String master, Duration timeout) {
        CompletableFuture<JavaSparkContext> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(new JavaSparkContext(conf));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "ebnn-spark-connect");
        t.setDaemon(true);
        t.start();
        try {
            JavaSparkContext sc = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (sc.sc().isStopped())
                throw new EbnnException("the Spark master " + master + " did not accept this application");
            return sc;
        } catch (TimeoutException e) {
            throw new EbnnException("the Spark master " + master + " did not accept this application within " + seconds(timeout)
                    + " (is it a Spark master of version " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + "?)");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new EbnnException("cannot start Spark with master " + master + ": " + oneLine(c.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EbnnException("interrupted while connecting to " + master);
        }
    }

    /** On a cluster, waits until an executor has registered: a cluster with no free worker would otherwise wait for ever. */
    static void awaitExecutor(JavaSparkContext sc, String master, Duration timeout) {
        if (sc.isLocal())
            return;
        long end = System.nanoTime() + timeout.toNanos();
        while (SparkExecutor.executors(sc) == 0) {
            if (System.nanoTime() > end || sc.sc().isStopped())
                throw new EbnnException("no Spark executor started within " + seconds(timeout) + " on " + master
                        + ": are workers registered with the master, with the executor memory (" + sc.getConf().get("spark.executor.memory", "1g")
                        + ") and a free core?");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EbnnException("interrupted while waiting for executors");
            }
        }
    }

    private static Path ownJar() {
        try {
            Path p = Path.of(DiscoverOnSpark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (!k.startsWith("--"))
                throw new EbnnException("unexpected argument '" + k + "'; " + USAGE);
            String name = k.substring(2);
            if (FLAGS.contains(name))
                m.put(name, "true");
            else if (VALUED.contains(name)) {
                if (i + 1 >= args.length)
                    throw new EbnnException(k + " needs a value");
                m.put(name, args[++i]);
            } else
                throw new EbnnException("unknown option " + k + "; " + USAGE);
        }
        return m;
    }

    private static String required(Map<String, String> a, String name) {
        String v = a.get(name);
        if (v == null || v.isBlank())
            throw new EbnnException("--" + name + " is required; " + USAGE);
        return v;
    }

    /** The training options of ebnn:discover: one thread per candidate, 1,000 validation samples unless told. */
    static TrainOptions options(Map<String, String> a) {
        TrainOptions o = TrainOptions.defaults("candidate").withEpochs(positive(a, "epochs", 10)).withBatchSize(positive(a, "batch", 100))
                .withThreads(positive(a, "threads", 1)).withValidation(nonNegative(a, "validation", 1000));
        if (a.containsKey("seed")) {
            try {
                o = o.withSeed(Long.parseLong(a.get("seed").trim()));
            } catch (NumberFormatException e) {
                throw new EbnnException("--seed must be an integer, not '" + a.get("seed") + "'");
            }
        }
        o = o.withLearningRate(positiveDouble(a, "lr", o.learningRate()), positiveDouble(a, "final-lr", o.finalLearningRate()));
        o = o.withAugment(a.containsKey("augment")).withLean(a.containsKey("lean"));
        if (a.containsKey("shift"))
            o = o.withShift(nonNegative(a, "shift", 0));
        if (a.containsKey("input-range")) {
            InputRange r = inputRange(a.get("input-range"));
            o = o.withInputRange(r.low(), r.high());
        }
        return o;
    }

    private static int positive(Map<String, String> a, String name, int fallback) {
        int v = nonNegative(a, name, fallback);
        if (v == 0)
            throw new EbnnException("--" + name + " must be a number > 0, not '" + a.get(name) + "'");
        return v;
    }

    private static int nonNegative(Map<String, String> a, String name, int fallback) {
        String v = a.get(name);
        if (v == null)
            return fallback;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0)
                throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new EbnnException("--" + name + " must be a number >= 0, not '" + v + "'");
        }
    }

    private static double positiveDouble(Map<String, String> a, String name, double fallback) {
        String v = a.get(name);
        if (v == null)
            return fallback;
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d > 0) || !Double.isFinite(d))
                throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new EbnnException("--" + name + " must be a positive number, not '" + v + "'");
        }
    }

    /** 90, 90s, 500ms, 5m, 1h → milliseconds. */
    static long millis(Map<String, String> a, String name) {
        try {
            return ebnn.train.api.Durations.millis(name, a.get(name));
        } catch (IllegalArgumentException e) {
            throw new EbnnException(e.getMessage());
        }
    }

    private static Path existing(String arg) {
        Path p = Path.of(arg);
        if (!Files.exists(p))
            throw new NotFoundException("data not found: " + p);
        return p;
    }

    private static InputRange inputRange(String v) {
        try {
            return InputRange.parse(v);
        } catch (EbnnException e) {
            throw new EbnnException("--input-range: " + e.getMessage());
        }
    }

    private static void printTable(PrintStream out, DiscoverResult r) {
        String[] head = { "CANDIDATE", "FLASH", "RAM", "STATUS", "VAL %", "TEST %", "TIME", "PARETO" };
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (Candidate c : r.candidates())
            rows.add(new String[] { c.name(), c.flashBytes() < 0 ? "-" : String.format(Locale.ROOT, "%,d B", c.flashBytes()),
                    c.ramBytes() < 0 ? "-" : String.format(Locale.ROOT, "%,d B", c.ramBytes()), c.status(), pct(c.validationAccuracy()),
                    pct(c.testAccuracy()), c.trained() ? String.format(Locale.ROOT, "%.1f s", c.seconds()) : "", c.pareto() ? "*" : "" });
        int[] w = new int[head.length];
        for (String[] row : rows)
            for (int i = 0; i < row.length; i++)
                w[i] = Math.max(w[i], row[i].length());
        for (String[] row : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean right = i == 1 || i == 2 || i == 4 || i == 5 || i == 6;
                String cell = right ? " ".repeat(w[i] - row[i].length()) + row[i] : row[i] + " ".repeat(w[i] - row[i].length());
                b.append(cell).append(i + 1 < row.length ? "  " : "");
            }
            out.println(b.toString().stripTrailing());
        }
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String oneLine(String s) {
        if (s == null || s.isBlank())
            return "failed";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
