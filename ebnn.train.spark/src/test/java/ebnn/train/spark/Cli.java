package ebnn.train.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs DiscoverOnSpark as a user would, in its own JVM, and ends it (and anything it started) if it hangs. */
final class Cli {
    private Cli() {
    }

    record Run(int exit, String stdout, String stderr, double seconds) {
        List<String> errLines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    static Run run(String classpath, List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty("user.dir"), "target")), "discover-cli-");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(StandaloneCluster.opens());
        cmd.addAll(StandaloneCluster.LEAN_JVM);
        cmd.addAll(List.of("-Dspark.executor.extraJavaOptions=" + String.join(" ", StandaloneCluster.LEAN_JVM), "-Dspark.executor.memory=512m",
                "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1", "-cp", classpath,
                "ebnn.train.spark.DiscoverOnSpark"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean ended;
        try {
            ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        } finally {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String out = Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8), err = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
        if (!ended)
            throw new AssertionError("DiscoverOnSpark " + args + " hung: still running after " + timeoutSeconds + " s; stderr:\n" + err);
        return new Run(p.exitValue(), out, err, seconds);
    }
}
