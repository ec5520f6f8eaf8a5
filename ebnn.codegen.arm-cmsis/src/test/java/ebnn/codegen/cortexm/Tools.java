package ebnn.codegen.cortexm;

import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real toolchains for the tests. A missing tool is a test failure naming the Debian package to
 * install (CI installs them in .ci/run), never a skip.
 */
final class Tools {
    private Tools() {
    }

    private static final Map<String, String> PACKAGES = Map.of("gcc", "gcc", "arm-none-eabi-gcc", "gcc-arm-none-eabi", "arm-none-eabi-nm",
            "binutils-arm-none-eabi", "arm-none-eabi-size", "binutils-arm-none-eabi", "arm-none-eabi-objdump", "binutils-arm-none-eabi", "qemu-system-arm", "qemu-system-arm");

    static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p))
                return p.toString();
        }
        String pkg = PACKAGES.getOrDefault(name, name);
        fail(name + " not found on PATH: install the Debian package '" + pkg + "' (apt-get install " + pkg + ")");
        return null;
    }

    /** The repository's targets/ folder (system property ebnn.targets, set by the pom). */
    static Path targets() {
        String p = System.getProperty("ebnn.targets");
        Path t = p != null ? Path.of(p) : Path.of("..", "targets");
        if (!Files.isDirectory(t.resolve("arm")))
            fail("targets folder with the Cortex-M start-up code not found at " + t.toAbsolutePath());
        return t.toAbsolutePath().normalize();
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(Path dir, long timeoutSeconds, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            Thread to = pump(p.getInputStream(), out), te = pump(p.getErrorStream(), err);
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

    static Result runOk(Path dir, long timeoutSeconds, List<String> command) {
        Result r = run(dir, timeoutSeconds, command);
        if (r.exit() != 0)
            fail("exit " + r.exit() + ": " + String.join(" ", command) + "\n" + r.err() + (r.out().length() < 4000 ? r.out() : ""));
        return r;
    }

    static List<String> cmd(Object... parts) {
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

    private static Path plugin;

    /**
     * The instruction-count TCG plugin (targets/arm/insn_count.c), built once per test JVM with the
     * host gcc (Debian's qemu ships no plugin header; the plugin declares the API it uses).
     */
    static synchronized Path insnCountPlugin() {
        if (plugin != null)
            return plugin;
        try {
            Path dir = Files.createDirectories(Path.of("target", "qemu-plugin"));
            Path so = dir.resolve("insn_count.so").toAbsolutePath();
            runOk(dir, 120, cmd(tool("gcc"), "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror", "-o", so, targets().resolve("arm/insn_count.c")));
            plugin = so;
            return so;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
