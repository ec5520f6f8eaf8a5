package ebnn.measure;

import static ebnn.measure.HostTools.cmd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ebnn.api.BackendException;
import ebnn.api.Device;

/**
 * Generated code built with the real cross compiler at -O2 with the test harness of targets/ and run
 * on its simulator: simavr through targets/avr/simavr_run.c (linked with libsimavr: exact cycles and
 * the stack high-water mark between markers) for AVR, qemu-system-arm with semihosting and the
 * targets/arm/insn_count.c TCG plugin (exact instruction counts) for Cortex-M.
 */
final class Firmware {
    static final String OPT = "-O2";

    private Firmware() {
    }

    /** The harness's -D options for the generated entry point {@code prefix}_infer. */
    private static List<String> defines(String prefix, int inputSize, int classes) {
        return List.of("-DEBNN_INFER=" + prefix + "_infer", "-DEBNN_INPUT_SIZE=" + inputSize, "-DEBNN_CLASSES=" + classes);
    }

    /** Builds and runs on simavr; {@code samples} are HWC bytes back to back. */
    static Measured avr(HostTools t, Device device, Path src, String prefix, int inputSize, int classes, byte[] samples, Path work) {
        String mcu = device.name();
        Path h = work.resolve("harness");
        Path simavrRun = h.resolve("simavr_run");
        HostTools.runOk(work, 120, cmd(t.path("gcc"), "-O2", "-I/usr/include/simavr", "-o", simavrRun, Harness.extract("avr/simavr_run.c", h), "-lsimavr"));
        Path main = Harness.extract("avr/infer_main.c", h);
        Path b = dir(work.resolve("avr-" + mcu));
        Path elf = b.resolve("fw.elf"), obj = b.resolve(prefix + ".o");
        HostTools.runOk(b, 180, cmd(t.path("avr-gcc"), "-mmcu=" + mcu, OPT, "-std=c99", "-c", "-I" + src, "-o", obj, src.resolve(prefix + ".c")));
        HostTools.runOk(b, 180, cmd(t.path("avr-gcc"), "-mmcu=" + mcu, OPT, "-std=c99", defines(prefix, inputSize, classes), "-I" + src, "-o", elf, main, obj));

        int n = samples.length / inputSize;
        byte[] in = new byte[samples.length + 2];
        in[0] = (byte) n;
        in[1] = (byte) (n >> 8);
        System.arraycopy(samples, 0, in, 2, samples.length);
        Path input = write(b.resolve("input.bin"), in);
        HostTools.Result r = HostTools.run(b, 1800, cmd(simavrRun, "-m", mcu, "-f", device.clockHz(), "-i", input, elf));
        if (r.exit() != 0)
            throw new BackendException("simavr run of the " + mcu + " firmware failed (exit " + r.exit() + (r.exit() == 102 ? ", cycle limit" : "") + ")"
                    + (r.err().isBlank() ? "" : ": " + r.err().lines().findFirst().orElse("")));
        List<String> lines = new ArrayList<>(r.out().lines().filter(l -> !l.isBlank()).toList());
        if (lines.size() != 2 * n)
            throw new BackendException("simavr_run printed " + lines.size() + " lines for " + n + " samples");
        int[] cls = new int[n], sc = new int[n * classes];
        long[] cyc = new long[n], st = new long[n];
        for (int i = 0; i < n; i++) {
            String[] m = lines.get(2 * i).split(" ");
            if (m.length != 4 || !m[0].equals("cycles") || !m[2].equals("stack"))
                throw new BackendException("unexpected simavr_run line: " + lines.get(2 * i));
            cyc[i] = Long.parseLong(m[1]);
            st[i] = Long.parseLong(m[3]);
            String[] p = lines.get(2 * i + 1).split(" ");
            if (p.length != 1 + 4 * classes)
                throw new BackendException("unexpected simavr_run output line " + i + ": " + p.length + " bytes, expected " + (1 + 4 * classes));
            cls[i] = Integer.parseInt(p[0]);
            ByteBuffer bb = ByteBuffer.allocate(4 * classes).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 1; j < p.length; j++)
                bb.put((byte) Integer.parseInt(p[j]));
            bb.flip();
            for (int c = 0; c < classes; c++)
                sc[i * classes + c] = bb.getInt();
        }
        return sized(t.path("avr-size"), obj, elf, cls, sc, cyc, st);
    }

    /** The qemu board and linker script (targets/arm) of each Cortex-M device. */
    private static String[] board(Device d) {
        return switch (d.core()) {
            case "cortex-m0" -> new String[] { "microbit", "microbit.ld" };
            case "cortex-m3" -> new String[] { "mps2-an385", "mps2.ld" };
            case "cortex-m4" -> new String[] { "mps2-an386", "mps2.ld" };
            case "cortex-m7" -> new String[] { "mps2-an500", "mps2.ld" };
            case "cortex-m33" -> new String[] { "mps2-an505", "mps2-an505.ld" };
            default -> throw new BackendException("no qemu board known for the core " + d.core() + " of " + d.name());
        };
    }

    /** Builds a bare-metal image and runs it under qemu with the instruction-count plugin. */
    static Measured cortexM(HostTools t, Device device, Path src, String prefix, int inputSize, int classes, byte[] samples, Path work) {
        String[] board = board(device);
        Path h = work.resolve("harness"), arm = h.resolve("arm");
        Path plugin = h.resolve("insn_count.so");
        HostTools.runOk(work, 120, cmd(t.path("gcc"), "-shared", "-fPIC", "-O2", "-o", plugin, Harness.extract("arm/insn_count.c", h)));
        for (String f : List.of("arm/startup.c", "arm/semihost.h", "arm/infer_main.c", "arm/" + board[1]))
            Harness.extract(f, h);
        Path b = dir(work.resolve(device.name()));
        String gcc = t.path("arm-none-eabi-gcc"), mcpu = "-mcpu=" + device.core();
        Path startup = b.resolve("startup.o"), obj = b.resolve(prefix + ".o"), elf = b.resolve("fw.elf");
        HostTools.runOk(b, 180, cmd(gcc, mcpu, "-mthumb", OPT, "-ffreestanding", "-I" + arm, "-c", "-o", startup, arm.resolve("startup.c")));
        HostTools.runOk(b, 180, cmd(gcc, mcpu, "-mthumb", OPT, "-std=c99", "-ffreestanding", "-I" + src, "-c", "-o", obj, src.resolve(prefix + ".c")));
        HostTools.runOk(b, 180, cmd(gcc, mcpu, "-mthumb", OPT, "-std=c99", "-ffreestanding", "-nostartfiles", "-nostdlib", defines(prefix, inputSize, classes),
                "-I" + src, "-I" + arm, "-T", arm.resolve(board[1]), "-o", elf, startup, arm.resolve("infer_main.c"), obj, "-lgcc"));
        String mark = null;
        for (String l : HostTools.runOk(b, 60, cmd(t.path("arm-none-eabi-nm"), elf)).out().split("\n")) {
            String[] p = l.trim().split("\\s+");
            if (p.length == 3 && p[2].equals("ebnn_mark"))
                mark = p[0];
        }
        if (mark == null)
            throw new BackendException("the Cortex-M image has no ebnn_mark symbol (harness infer_main.c)");
        int n = samples.length / inputSize;
        Path run = dir(b.resolve("run"));
        write(run.resolve("input.bin"), samples);
        HostTools.Result r = HostTools.run(run, 1800, cmd(t.path("qemu-system-arm"), "-M", board[0], "-display", "none", "-monitor", "none", "-serial", "none",
                "-chardev", "stdio,id=s0", "-semihosting-config", "enable=on,target=native,chardev=s0", "-kernel", elf,
                "-plugin", plugin + ",mark=0x" + mark, "-d", "plugin"));
        if (r.exit() != 0)
            throw new BackendException("qemu " + board[0] + " run failed (exit " + r.exit() + ")" + (r.err().isBlank() ? "" : ": " + r.err().lines().findFirst().orElse("")));
        List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() != n)
            throw new BackendException("the image printed " + lines.size() + " lines for " + n + " samples");
        int[] cls = new int[n], sc = new int[n * classes];
        for (int i = 0; i < n; i++) {
            String[] p = lines.get(i).trim().split(" ");
            if (p.length != classes + 1)
                throw new BackendException("unexpected output line " + i + " of the image: " + lines.get(i));
            cls[i] = Integer.parseInt(p[0]);
            for (int c = 0; c < classes; c++)
                sc[i * classes + c] = Integer.parseInt(p[c + 1]);
        }
        List<Long> marks = new ArrayList<>();
        for (String l : r.err().split("\n"))
            if (l.startsWith("insn_count mark "))
                marks.add(Long.parseLong(l.substring("insn_count mark ".length()).trim()));
        if (marks.size() != 2 * n)
            throw new BackendException("the instruction-count plugin reported " + marks.size() + " marks for " + n + " samples (two each)");
        long[] insn = new long[n];
        for (int i = 0; i < n; i++)
            insn[i] = marks.get(2 * i + 1); // instructions from the mark before the inference to the one after it
        return sized(t.path("arm-none-eabi-size"), obj, elf, cls, sc, insn, null);
    }

    private static Measured sized(String sizeTool, Path obj, Path elf, int[] cls, int[] sc, long[] counts, long[] stack) {
        Map<String, Long> o = HostTools.sections(sizeTool, obj), e = HostTools.sections(sizeTool, elf);
        return new Measured(cls, sc, counts, stack, flash(o), flash(e), ram(e));
    }

    /** Flash: code, constants and the initial image of initialized data. */
    static long flash(Map<String, Long> sections) {
        return sections.entrySet().stream().filter(s -> s.getKey().startsWith(".text") || s.getKey().startsWith(".rodata")
                || s.getKey().startsWith(".progmem") || s.getKey().startsWith(".isr_vector") || s.getKey().startsWith(".data"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Static RAM: initialized and zeroed data. */
    static long ram(Map<String, Long> sections) {
        return sections.entrySet().stream().filter(s -> s.getKey().startsWith(".data") || s.getKey().startsWith(".bss"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static Path dir(Path d) {
        try {
            return Files.createDirectories(d);
        } catch (IOException e) {
            throw new BackendException("cannot create " + d + ": " + e.getMessage(), e);
        }
    }

    private static Path write(Path f, byte[] bytes) {
        try {
            return Files.write(f, bytes);
        } catch (IOException e) {
            throw new BackendException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }
}
