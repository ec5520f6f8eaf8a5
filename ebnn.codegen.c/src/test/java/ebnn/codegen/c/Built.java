package ebnn.codegen.c;

import static ebnn.codegen.c.Tools.cmd;
import static ebnn.codegen.c.Tools.tool;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.GeneratedCode;

/** Generated code written to a folder, and builds and runs of it with real compilers. */
final class Built {
    final BinaryModel model;
    final MemoryPlan plan;
    final GeneratedCode code;
    final Path dir;
    final String prefix;

    private Built(BinaryModel model, MemoryPlan plan, GeneratedCode code, Path dir, String prefix) {
        this.model = model;
        this.plan = plan;
        this.code = code;
        this.dir = dir;
        this.prefix = prefix;
    }

    static Built generate(BinaryModel model, MemoryPlan plan, CompileOptions options, Path dir) {
        // for looking at the generated code and assembly by hand: -Debnn.c.keep=DIR keeps a copy
        String keep = System.getProperty("ebnn.c.keep");
        if (keep != null)
            dir = Path.of(keep).resolve(dir.getFileName()).toAbsolutePath();
        GeneratedCode code = new CBackend().generate(model, plan, options);
        try {
            for (var e : code.files().entrySet()) {
                Path f = dir.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String header = code.files().keySet().stream().filter(k -> k.matches("(src/)?ebnn_[a-z0-9_A-Z]+\\.h") && !k.endsWith("ebnn_rt.h"))
                .findFirst().orElseThrow();
        String prefix = header.replaceFirst("^src/", "").replaceFirst("\\.h$", "");
        return new Built(model, plan, code, dir, prefix);
    }

    Path sourceDir() {
        return Files.exists(dir.resolve("src")) ? dir.resolve("src") : dir;
    }

    boolean bitOutput() {
        return model.outputKind() == ebnn.api.model.OutputKind.BITS;
    }

    int outputBytes() {
        return ebnn.api.binary.Packing.outputBitBytes(model.classes());
    }

    List<String> defines() {
        if (bitOutput())
            return List.of("-DEBNN_INFER_BITS=" + prefix + "_infer_bits", "-DEBNN_INPUT_SIZE=" + model.inputSize(),
                    "-DEBNN_OUTPUT_BYTES=" + outputBytes());
        return List.of("-DEBNN_INFER=" + prefix + "_infer", "-DEBNN_INPUT_SIZE=" + model.inputSize(), "-DEBNN_CLASSES=" + model.classes());
    }

    /** Host build with the strict flags of the issue. */
    Path buildHost(String... extra) {
        Path exe = dir.resolve("host_infer");
        Tools.runOk(dir, null, 120, cmd(tool("gcc"), "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", List.of(extra), defines(),
                "-I" + sourceDir(), "-o", exe, Tools.targets().resolve("host/infer_main.c"), sourceDir().resolve(prefix + ".c")));
        return exe;
    }

    /** Runs the host program on samples stored back to back; classes and scores per sample. */
    Outputs runHost(Path exe, byte[] samples) {
        Tools.Result r = Tools.runOk(dir, samples, 300, cmd(exe));
        if (bitOutput())
            return Outputs.parseBits(r.out(), outputBytes());
        return Outputs.parseHost(r.out(), model.classes());
    }

    /** AVR firmware with the infer_main test harness; -fstack-usage files land in the build folder. */
    Path buildAvr(String mcu, String opt) {
        Path b = dir.resolve("avr-" + mcu);
        try {
            Files.createDirectories(b);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Path elf = b.resolve("fw.elf");
        Tools.runOk(b, null, 120, cmd(tool("avr-gcc"), "-mmcu=" + mcu, opt, "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic",
                "-fstack-usage", defines(), "-I" + sourceDir(), "-o", elf, Tools.targets().resolve("avr/infer_main.c"),
                sourceDir().resolve(prefix + ".c")));
        return elf;
    }

    /** Runs firmware under simavr on the samples; per sample the class, scores, cycles and stack. */
    Outputs runAvr(Path elf, String mcu, byte[] samples) {
        int n = samples.length / model.inputSize();
        byte[] in = new byte[samples.length + 2];
        in[0] = (byte) n;
        in[1] = (byte) (n >> 8);
        System.arraycopy(samples, 0, in, 2, samples.length);
        Path file = elf.resolveSibling("input.bin");
        try {
            Files.write(file, in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Tools.Result r = Tools.run(elf.getParent(), null, 600, cmd(Tools.simavrRun(), "-m", mcu, "-i", file, elf));
        if (r.exit() != 0)
            fail("simavr_run exit " + r.exit() + ": " + r.err());
        return bitOutput() ? Outputs.parseAvrBits(r.out(), outputBytes()) : Outputs.parseAvr(r.out(), model.classes());
    }

    /** Symbol sizes from nm -S (local and global data symbols). */
    static java.util.Map<String, Long> symbolSizes(String nm, Path elf) {
        Tools.Result r = Tools.runOk(elf.getParent(), null, 60, cmd(tool(nm), "-S", elf));
        java.util.Map<String, Long> m = new java.util.HashMap<>();
        for (String line : r.out().split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 4)
                m.put(p[3], Long.parseLong(p[1], 16));
        }
        return m;
    }

    /** Per-sample results: classes and scores, or for a bit-output model the packed output bytes of each sample back to back. */
    record Outputs(int[] classes, int[] scores, long[] cycles, long[] stack, byte[] bits) {
        Outputs(int[] classes, int[] scores, long[] cycles, long[] stack) {
            this(classes, scores, cycles, stack, null);
        }

        /** Host lines of packed output bytes in decimal. */
        static Outputs parseBits(String out, int bytes) {
            String[] lines = out.split("\n");
            int n = out.isEmpty() ? 0 : lines.length;
            byte[] bits = new byte[n * bytes];
            for (int i = 0; i < n; i++) {
                String[] p = lines[i].trim().split(" ");
                assertEquals("bytes on output line " + i, bytes, p.length);
                for (int c = 0; c < bytes; c++)
                    bits[i * bytes + c] = (byte) Integer.parseInt(p[c]);
            }
            return new Outputs(new int[n], null, null, null, bits);
        }

        static Outputs parseAvrBits(String out, int bytes) {
            List<String> lines = new ArrayList<>(List.of(out.split("\n")));
            lines.removeIf(String::isBlank);
            int n = lines.size() / 2;
            long[] cyc = new long[n], st = new long[n];
            StringBuilder host = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String[] m = lines.get(2 * i).split(" ");
                if (m.length != 4 || !m[0].equals("cycles"))
                    fail("unexpected simavr output line: " + lines.get(2 * i));
                cyc[i] = Long.parseLong(m[1]);
                st[i] = Long.parseLong(m[3]);
                host.append(lines.get(2 * i + 1)).append('\n');
            }
            return new Outputs(new int[n], null, cyc, st, parseBits(host.toString().strip(), bytes).bits());
        }

        /** Output bit k of sample s, read as the generated header documents it: (bits[k / 8] >> (k % 8)) & 1. */
        boolean bit(int s, int bytes, int k) {
            return (bits[s * bytes + k / 8] >> (k % 8) & 1) != 0;
        }

        static Outputs parseHost(String out, int k) {
            String[] lines = out.split("\n");
            int n = out.isEmpty() ? 0 : lines.length;
            int[] cls = new int[n], sc = new int[n * k];
            for (int i = 0; i < n; i++) {
                String[] p = lines[i].trim().split(" ");
                assertEquals("fields on output line " + i, k + 1, p.length);
                cls[i] = Integer.parseInt(p[0]);
                for (int c = 0; c < k; c++)
                    sc[i * k + c] = Integer.parseInt(p[c + 1]);
            }
            return new Outputs(cls, sc, null, null);
        }

        static Outputs parseAvr(String out, int k) {
            List<String> lines = new ArrayList<>(List.of(out.split("\n")));
            lines.removeIf(String::isBlank);
            int n = lines.size() / 2;
            int[] cls = new int[n], sc = new int[n * k];
            long[] cyc = new long[n], st = new long[n];
            for (int i = 0; i < n; i++) {
                String[] m = lines.get(2 * i).split(" ");
                if (m.length != 4 || !m[0].equals("cycles"))
                    fail("unexpected simavr output line: " + lines.get(2 * i));
                cyc[i] = Long.parseLong(m[1]);
                st[i] = Long.parseLong(m[3]);
                String[] p = lines.get(2 * i + 1).split(" ");
                assertEquals("bytes on output line " + i, 1 + 4 * k, p.length);
                cls[i] = Integer.parseInt(p[0]);
                ByteBuffer bb = ByteBuffer.allocate(4 * k).order(ByteOrder.LITTLE_ENDIAN);
                for (int j = 1; j < p.length; j++)
                    bb.put((byte) Integer.parseInt(p[j]));
                bb.flip();
                for (int c = 0; c < k; c++)
                    sc[i * k + c] = bb.getInt();
            }
            return new Outputs(cls, sc, cyc, st);
        }

        int count() {
            return classes.length;
        }

        double meanCycles() {
            return java.util.Arrays.stream(cycles).average().orElse(0);
        }

        long maxStack() {
            return java.util.Arrays.stream(stack).max().orElse(0);
        }
    }

    static String fmt(String f, Object... a) {
        return String.format(Locale.ROOT, f, a);
    }
}
