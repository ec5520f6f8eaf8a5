package ebnn.train.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on 127.0.0.1: one Master and n Worker JVMs started from Spark's jars
 * alone (the Maven classpath of Spark, laid out as a Spark installation's {@code jars/}), one core and
 * 640 MB each, web UIs on free ports. Nothing of ebnn is on their classpath: executors get it from
 * the jar the driver ships. {@link #close} ends every process it started, executors included, by id.
 */
final class StandaloneCluster implements AutoCloseable {
    final Path home;
    final String masterUrl;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final List<ProcessHandle> started = new ArrayList<>();
    private final Thread cleanup = new Thread(this::stopAll, "spark-cluster-cleanup");

    private StandaloneCluster(Path home, int port, Process master) {
        this.home = home;
        this.masterUrl = "spark://127.0.0.1:" + port;
        this.master = master;
        started.add(master.toHandle());
    }

    /** Spark's classpath (target/spark.classpath, written by the build). */
    static List<Path> sparkJars() throws IOException {
        String file = System.getProperty("ebnn.spark.classpath");
        if (file == null)
            throw new IllegalStateException("run through Maven: -Debnn.spark.classpath=target/spark.classpath is not set");
        return Arrays.stream(Files.readString(Path.of(file)).trim().split(java.io.File.pathSeparator)).map(Path::of).toList();
    }

    /**
     * Master, Workers and executors of the tests: the quick compiler only and one GC thread, so that
     * five JVMs starting on two shared cores spend their time starting, not compiling and collecting.
     */
    static final List<String> LEAN_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** The JVM options Spark's own launcher gives on Java 17. */
    static List<String> opens() {
        return Arrays.stream(System.getProperty("ebnn.spark.opens", "").trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static StandaloneCluster start(int workerCount) throws IOException, InterruptedException {
        // under target/: the logs stay for a failed test to be read, and mvn clean removes them
        Path home = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty("user.dir"), "target")), "spark-cluster-");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (Path j : sparkJars())
            Files.createSymbolicLink(jars.resolve(j.getFileName()), j);
        Files.createDirectories(home.resolve("logs"));
        int port = freePort();
        StandaloneCluster c = new StandaloneCluster(home, port,
                c0(home, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port",
                        String.valueOf(freePort())));
        Runtime.getRuntime().addShutdownHook(c.cleanup);
        try {
            c.awaitPort(port, c.master, 90);
            for (int i = 0; i < workerCount; i++)
                c.workers.add(c.launchWorker(i));
            for (int i = 0; i < workerCount; i++)
                c.awaitLog(c.logName(i), c.workers.get(i), "Successfully registered with master", 90);
            return c;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private int launches;
    private final java.util.Map<Integer, String> logNames = new java.util.HashMap<>();

    private String logName(int worker) {
        return logNames.get(worker);
    }

    private Process launchWorker(int i) throws IOException {
        launches++;
        logNames.put(i, "worker-" + i + "-" + launches);
        Process w = c0(home, logName(i), "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0", "--webui-port",
                String.valueOf(freePort()), "--cores", "1", "--memory", "640m", "--work-dir",
                Files.createDirectories(home.resolve("work-" + i + "-" + launches)).toString(), masterUrl);
        started.add(w.toHandle());
        return w;
    }

    /** Starts worker {@code i} again if it is not running (after {@link #killWorker}), and waits until it has registered. */
    void ensureWorker(int i) throws IOException, InterruptedException {
        if (workers.get(i).isAlive())
            return;
        workers.set(i, launchWorker(i));
        awaitLog(logName(i), workers.get(i), "Successfully registered with master", 90);
    }

    private static Process c0(Path home, String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx192m");
        cmd.addAll(LEAN_JVM);
        cmd.addAll(opens());
        cmd.add("-cp");
        cmd.add(home.resolve("jars") + "/*");
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve("logs/" + name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().remove("SPARK_CONF_DIR");
        return pb.start();
    }

    private void awaitPort(int port, Process p, int seconds) throws InterruptedException, IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (!p.isAlive())
                throw new IllegalStateException("the Spark master exited: " + log("master"));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the Spark master did not listen within " + seconds + " s: " + log("master"));
    }

    private void awaitLog(String name, Process p, String line, int seconds) throws InterruptedException, IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (log(name).contains(line))
                return;
            if (!p.isAlive())
                throw new IllegalStateException(name + " exited: " + log(name));
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " did not log '" + line + "' within " + seconds + " s: " + log(name));
    }

    String log(String name) throws IOException {
        Path f = home.resolve("logs/" + name + ".log");
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

    /** The ids of the executors a worker runs (its CoarseGrainedExecutorBackend children). */
    List<String> executorsOf(int worker) {
        return workers.get(worker).toHandle().descendants().map(h -> h.info().arguments().orElse(new String[0])).map(args -> {
            for (int i = 0; i + 1 < args.length; i++)
                if (args[i].equals("--executor-id"))
                    return args[i + 1];
            return null;
        }).filter(id -> id != null).toList();
    }

    /** Kills a worker and its executors as a machine failure would: at once (SIGKILL), by process id. */
    List<Long> killWorker(int worker) throws InterruptedException {
        ProcessHandle w = workers.get(worker).toHandle();
        List<ProcessHandle> tree = new ArrayList<>(w.descendants().toList());
        tree.add(w);
        List<Long> pids = new ArrayList<>();
        for (ProcessHandle h : tree) {
            pids.add(h.pid());
            h.destroyForcibly();
        }
        for (ProcessHandle h : tree)
            h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> h).join();
        return pids;
    }

    /** Every process this cluster started and still runs, and their children (the executors). */
    List<ProcessHandle> alive() {
        List<ProcessHandle> out = new ArrayList<>();
        for (ProcessHandle h : started) {
            h.descendants().filter(ProcessHandle::isAlive).forEach(out::add);
            if (h.isAlive())
                out.add(h);
        }
        return out;
    }

    private void stopAll() {
        // executors first (they are the workers' children), then the workers, then the master; each by its id
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle h : started)
            all.addAll(h.descendants().toList());
        for (Process w : workers)
            all.add(w.toHandle());
        all.add(master.toHandle());
        for (ProcessHandle h : all)
            h.destroyForcibly();
        for (ProcessHandle h : all)
            h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> h).join();
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }
}
