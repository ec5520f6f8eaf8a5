package ebnn.codegen.c;

import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real toolchains for the tests. A missing tool is a test failure naming the Debian package to
 * install (CI installs them in .ci/run), never a skip. Shared with ebnn.codegen.arm-cmsis's tests
 * through this module's test jar.
 */
public final class Tools {
    private Tools() {
    }

    private static final Map<String, String> PACKAGES = Map.ofEntries(Map.entry("gcc", "gcc"), Map.entry("nm", "binutils"),
            Map.entry("avr-gcc", "gcc-avr"), Map.entry("avr-g++", "gcc-avr"), Map.entry("avr-nm", "binutils-avr"),
            Map.entry("avr-size", "binutils-avr"), Map.entry("arm-none-eabi-gcc", "gcc-arm-none-eabi"),
            Map.entry("arm-none-eabi-nm", "binutils-arm-none-eabi"), Map.entry("arm-none-eabi-size", "binutils-arm-none-eabi"),
            Map.entry("arm-none-eabi-objdump", "binutils-arm-none-eabi"), Map.entry("qemu-system-arm", "qemu-system-arm"));

    /** Absolute path of a tool on PATH, or a failure saying which package provides it. */
    public static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p))
                return p.toString();
        }
        fail(name + " not found on PATH: install the Debian package '" + PACKAGES.getOrDefault(name, name) + "' (apt-get install "
                + PACKAGES.getOrDefault(name, name) + ")");
        return null;
    }

    public static void requireFile(Path p, String pkg) {
        if (!Files.exists(p))
            fail(p + " not found: install the Debian package '" + pkg + "' (apt-get install " + pkg + ")");
    }

    /** The repository's targets/ folder (system property ebnn.targets, set by the pom). */
    public static Path targets() {
        String p = System.getProperty("ebnn.targets");
        Path t = p != null ? Path.of(p) : Path.of("..", "targets");
        if (!Files.isDirectory(t.resolve("avr")) || !Files.isDirectory(t.resolve("arm")))
            fail("targets folder with the simavr harness and the Cortex-M start-up code not found at " + t.toAbsolutePath());
        return t.toAbsolutePath().normalize();
    }

    public record Result(int exit, String out, String err) {
    }

    /** Runs a command; stdin from {@code input} (may be null); fails the test on a time-out. */
    public static Result run(Path dir, byte[] input, long timeoutSeconds, List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            Process p = pb.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            Thread to = pump(p.getInputStream(), out), te = pump(p.getErrorStream(), err);
            try (OutputStream os = p.getOutputStream()) {
                if (input != null)
                    os.write(input);
            } catch (IOException e) {
                // the process may exit early; its exit code tells
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            to.join();
            te.join();
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static Result run(Path dir, long timeoutSeconds, List<String> command) {
        return run(dir, null, timeoutSeconds, command);
    }

    public static Result runOk(Path dir, long timeoutSeconds, List<String> command) {
        return runOk(dir, null, timeoutSeconds, command);
    }

    public static Result runOk(Path dir, byte[] input, long timeoutSeconds, List<String> command) {
        Result r = run(dir, input, timeoutSeconds, command);
        if (r.exit() != 0)
            fail("exit " + r.exit() + ": " + String.join(" ", command) + "\n" + r.err() + (r.out().length() < 4000 ? r.out() : ""));
        return r;
    }

    public static List<String> cmd(Object... parts) {
        List<String> l = new ArrayList<>();
        for (Object o : parts)
            if (o instanceof List<?> list)
                list.forEach(x -> l.add(x.toString()));
            else
                l.add(o.toString());
        return l;
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream out) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(out);
            } catch (IOException e) {
                // process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Builds the simavr harness (targets/avr/simavr_run.c against libsimavr) once per test JVM. */
    static synchronized Path simavrRun() {
        if (simavr != null)
            return simavr;
        requireFile(Path.of("/usr/include/simavr/sim_avr.h"), "libsimavr-dev");
        try {
            Path dir = Files.createDirectories(Path.of("target", "simavr"));
            Path exe = dir.resolve("simavr_run").toAbsolutePath();
            runOk(dir, null, 120, cmd(tool("gcc"), "-O2", "-Wall", "-Wextra", "-Werror", "-I/usr/include/simavr", "-o", exe,
                    targets().resolve("avr/simavr_run.c"), "-lsimavr"));
            simavr = exe;
            return exe;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Path simavr;
}
