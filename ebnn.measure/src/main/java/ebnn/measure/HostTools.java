package ebnn.measure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import ebnn.api.BackendException;

/**
 * The host's cross compilers and simulators, found on PATH, and runs of them. A missing one is one
 * error naming every missing tool and the Debian packages that provide them (what .ci/install-toolchains
 * installs), before anything is built.
 */
final class HostTools {
    /** Tool or file -> Debian package. */
    private static final Map<String, String> PACKAGES = Map.ofEntries(Map.entry("gcc", "gcc"),
            Map.entry("avr-gcc", "gcc-avr"), Map.entry("avr-size", "binutils-avr"),
            Map.entry("/usr/lib/avr/include/avr/io.h", "avr-libc"), Map.entry("simavr", "simavr"),
            Map.entry("/usr/include/simavr/sim_avr.h", "libsimavr-dev"),
            Map.entry("arm-none-eabi-gcc", "gcc-arm-none-eabi"), Map.entry("arm-none-eabi-size", "binutils-arm-none-eabi"),
            Map.entry("arm-none-eabi-nm", "binutils-arm-none-eabi"), Map.entry("qemu-system-arm", "qemu-system-arm"));

    static final List<String> AVR = List.of("avr-gcc", "avr-size", "gcc", "simavr", "/usr/lib/avr/include/avr/io.h", "/usr/include/simavr/sim_avr.h");
    static final List<String> ARM = List.of("arm-none-eabi-gcc", "arm-none-eabi-size", "arm-none-eabi-nm", "gcc", "qemu-system-arm");

    private final Map<String, Path> found = new LinkedHashMap<>();

    private HostTools() {
    }

    /**
     * All of {@code needed} (tool names looked up on PATH, absolute paths as files), or one error
     * naming what is missing and the packages to install. The simavr program itself is not run (the
     * harness links libsimavr, which libsimavr-dev brings); its presence says the simulator is installed.
     */
    static HostTools require(List<String> needed, String forWhat) {
        HostTools t = new HostTools();
        List<String> missing = new ArrayList<>();
        Set<String> packages = new LinkedHashSet<>();
        for (String n : needed) {
            packages.add(PACKAGES.getOrDefault(n, n));
            Path p = n.startsWith("/") ? (Files.exists(Path.of(n)) ? Path.of(n) : null) : onPath(n);
            if (p == null)
                missing.add(n);
            else
                t.found.put(n, p);
        }
        // every package of the toolchain, not only the missing tools': a half-installed one fails later otherwise
        if (!missing.isEmpty())
            throw new BackendException(forWhat + " needs " + String.join(", ", missing) + ", not found" + (missing.stream().anyMatch(m -> !m.startsWith("/")) ? " on PATH" : "")
                    + ": install the Debian packages " + String.join(" ", packages) + " (apt-get install " + String.join(" ", packages) + ")");
        return t;
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null)
            return null;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty())
                continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p))
                return p;
        }
        return null;
    }

    String path(String tool) {
        Path p = found.get(tool);
        if (p == null)
            throw new IllegalStateException(tool + " was not required");
        return p.toString();
    }

    record Result(int exit, String out, String err) {
    }

    /** Runs a command in {@code dir}; a time-out or a failed start is an error naming the command. */
    static Result run(Path dir, long timeoutSeconds, List<String> command) {
        Process p = null;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            Thread to = pump(p.getInputStream(), out), te = pump(p.getErrorStream(), err);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BackendException("timed out after " + timeoutSeconds + " s: " + Path.of(command.get(0)).getFileName());
            }
            to.join();
            te.join();
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BackendException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            // Ctrl-C in the shell interrupts the command's thread: the simulator must stop with it, not run on orphaned
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted: stopped " + Path.of(command.get(0)).getFileName());
        }
    }

    /** The same, where a non-zero exit is an error with the tool's first lines of diagnostics. */
    static Result runOk(Path dir, long timeoutSeconds, List<String> command) {
        Result r = run(dir, timeoutSeconds, command);
        if (r.exit() != 0) {
            String diag = (r.err() + r.out()).lines().filter(l -> !l.isBlank()).limit(3).reduce((a, b) -> a + "; " + b).orElse("");
            throw new BackendException(Path.of(command.get(0)).getFileName() + " failed (exit " + r.exit() + ")" + (diag.isEmpty() ? "" : ": " + diag));
        }
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

    /** Section sizes of an ELF image or object ({@code size -A}): name -> bytes. */
    static Map<String, Long> sections(String sizeTool, Path file) {
        Result r = runOk(file.getParent(), 60, cmd(sizeTool, "-A", file));
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : r.out().split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length >= 2 && p[0].startsWith(".") && p[1].matches("\\d+"))
                m.merge(p[0], Long.parseLong(p[1]), Long::sum);
        }
        return m;
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream out) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(out);
            } catch (IOException e) {
                // the process ended; its exit code tells
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
