package ebnn.codegen.cortexm;

import ebnn.codegen.c.Tools;

import static ebnn.codegen.c.Tools.cmd;
import static ebnn.codegen.c.Tools.tool;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.spi.CodeGenerator;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.GeneratedCode;

/**
 * Generated code of one back end for one core, built into a bare-metal image (targets/arm: own
 * start-up code and linker script, no vendor SDK) and run under qemu-system-arm with semihosting
 * and the instruction-count plugin.
 */
final class Firmware {
    final BinaryModel model;
    final MemoryPlan plan;
    final GeneratedCode code;
    final Core core;
    final Path dir;
    final String prefix;
    final Path elf;

    private Firmware(BinaryModel model, MemoryPlan plan, GeneratedCode code, Core core, Path dir, String prefix, Path elf) {
        this.model = model;
        this.plan = plan;
        this.code = code;
        this.core = core;
        this.dir = dir;
        this.prefix = prefix;
        this.elf = elf;
    }

    /** Generates with {@code backend}, writes the files to {@code dir} and builds the image with arm-none-eabi-gcc {@code opt}. */
    static Firmware build(CodeGenerator backend, BinaryModel model, MemoryPlan plan, Core core, Path dir, String opt) {
        return build(backend, model, plan, core, dir, opt, List.of());
    }

    /** The same with extra compiler flags for the model source (e.g. -D options of ebnn_cm.h). */
    static Firmware build(CodeGenerator backend, BinaryModel model, MemoryPlan plan, Core core, Path dir, String opt, List<String> extra) {
        GeneratedCode code = backend.generate(model, plan, CompileOptions.defaults());
        try {
            Files.createDirectories(dir);
            for (var e : code.files().entrySet())
                Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String header = code.files().keySet().stream().filter(k -> k.matches("ebnn_[a-z0-9_A-Z]+\\.h") && !k.equals("ebnn_rt.h") && !k.equals("ebnn_cm.h"))
                .findFirst().orElseThrow();
        String prefix = header.replaceFirst("\\.h$", "");
        Path arm = Tools.targets().resolve("arm");
        Path elf = dir.resolve("fw.elf");
        // the vector table casts function pointers to data pointers: start-up code without -pedantic
        Path startup = dir.resolve("startup.o");
        Tools.runOk(dir, 180, cmd(tool("arm-none-eabi-gcc"), "-mcpu=" + core.mcpu, "-mthumb", opt, "-Wall", "-Wextra", "-Werror", "-ffreestanding",
                "-I" + arm, "-c", "-o", startup, arm.resolve("startup.c")));
        Tools.runOk(dir, 180, cmd(tool("arm-none-eabi-gcc"), "-mcpu=" + core.mcpu, "-mthumb", opt, "-std=c99", "-Wall", "-Wextra", "-Werror",
                "-pedantic", "-ffreestanding", "-nostartfiles", "-nostdlib", "-fstack-usage", extra, entry(model, prefix), "-I" + dir, "-I" + arm, "-T", arm.resolve(core.linkerScript),
                "-o", elf, startup, arm.resolve("infer_main.c"), dir.resolve(prefix + ".c"), "-lgcc"));
        return new Firmware(model, plan, code, core, dir, prefix, elf);
    }

    /** The harness's -D options: the class entry point, or for a bit-output model the bits one. */
    private static List<String> entry(BinaryModel model, String prefix) {
        if (bitOutput(model))
            return List.of("-DEBNN_INFER_BITS=" + prefix + "_infer_bits", "-DEBNN_INPUT_SIZE=" + model.inputSize(),
                    "-DEBNN_OUTPUT_BYTES=" + ebnn.api.binary.Packing.outputBitBytes(model.classes()));
        return List.of("-DEBNN_INFER=" + prefix + "_infer", "-DEBNN_INPUT_SIZE=" + model.inputSize(), "-DEBNN_CLASSES=" + model.classes());
    }

    static boolean bitOutput(BinaryModel model) {
        return model.outputKind() == ebnn.api.model.OutputKind.BITS;
    }

    /**
     * Per sample: class, scores, instructions between the two marks around the inference; for a
     * bit-output model instead of classes and scores the packed output bytes, back to back.
     */
    record Outputs(int[] classes, int[] scores, long[] instructions, byte[] bits) {
        Outputs(int[] classes, int[] scores, long[] instructions) {
            this(classes, scores, instructions, null);
        }

        /** Output bit k of sample s as the generated header documents it: (bits[k / 8] >> (k % 8)) & 1. */
        boolean bit(int s, int bytes, int k) {
            return (bits[s * bytes + k / 8] >> (k % 8) & 1) != 0;
        }

        int count() {
            return classes.length;
        }

        double meanInstructions() {
            return java.util.Arrays.stream(instructions).average().orElse(0);
        }
    }

    /** Runs the image on the samples (stored back to back) under qemu with the insn_count plugin. */
    Outputs run(byte[] samples) {
        int n = samples.length / model.inputSize();
        Path run = dir.resolve("run");
        try {
            Files.createDirectories(run);
            Files.write(run.resolve("input.bin"), samples);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String mark = symbols().get("ebnn_mark").address();
        Tools.Result r = Tools.run(run, 600, cmd(tool("qemu-system-arm"), "-M", core.machine, "-display", "none", "-monitor", "none", "-serial", "none",
                "-chardev", "stdio,id=s0", "-semihosting-config", "enable=on,target=native,chardev=s0", "-kernel", elf,
                "-plugin", ArmTools.insnCountPlugin() + ",mark=0x" + mark, "-d", "plugin"));
        if (r.exit() != 0)
            fail("qemu " + core.machine + " exit " + r.exit() + ": " + r.err() + r.out().lines().limit(5).toList());
        List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
        assertEquals("output lines of " + core, n, lines.size());
        boolean bits = bitOutput(model);
        int k = bits ? ebnn.api.binary.Packing.outputBitBytes(model.classes()) : model.classes();
        int[] cls = new int[n], sc = new int[n * k];
        byte[] packed = bits ? new byte[n * k] : null;
        for (int i = 0; i < n; i++) {
            String[] p = lines.get(i).trim().split(" ");
            if (bits) {
                assertEquals("bytes on output line " + i, k, p.length);
                for (int c = 0; c < k; c++)
                    packed[i * k + c] = (byte) Integer.parseInt(p[c]);
                continue;
            }
            assertEquals("fields on output line " + i, k + 1, p.length);
            cls[i] = Integer.parseInt(p[0]);
            for (int c = 0; c < k; c++)
                sc[i * k + c] = Integer.parseInt(p[c + 1]);
        }
        List<Long> marks = new ArrayList<>();
        for (String l : r.err().split("\n"))
            if (l.startsWith("insn_count mark "))
                marks.add(Long.parseLong(l.substring("insn_count mark ".length()).trim()));
        assertEquals("two marks per sample", 2 * n, marks.size());
        long[] insn = new long[n];
        for (int i = 0; i < n; i++)
            insn[i] = marks.get(2 * i + 1);
        return bits ? new Outputs(cls, null, insn, packed) : new Outputs(cls, sc, insn);
    }

    record Symbol(String address, long size, char type) {
    }

    /** nm -S: name -> address, size, type (local and global). */
    Map<String, Symbol> symbols() {
        Tools.Result r = Tools.runOk(dir, 60, cmd(tool("arm-none-eabi-nm"), "-S", elf));
        Map<String, Symbol> m = new HashMap<>();
        for (String line : r.out().split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 4)
                m.put(p[3], new Symbol(p[0], Long.parseLong(p[1], 16), p[2].charAt(0)));
            else if (p.length == 3)
                m.put(p[2], new Symbol(p[0], 0, p[1].charAt(0)));
        }
        return m;
    }

    /** arm-none-eabi-size -A: section -> bytes. */
    Map<String, Long> sections() {
        Tools.Result r = Tools.runOk(dir, 60, cmd(tool("arm-none-eabi-size"), "-A", elf));
        Map<String, Long> m = new HashMap<>();
        for (String line : r.out().split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length >= 2 && p[0].startsWith(".") && p[1].matches("\\d+"))
                m.put(p[0], Long.parseLong(p[1]));
        }
        return m;
    }
}
