package ebnn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code ebnn:measure} in the exported app, on the committed mlp-1 model and the first digits of
 * examples/digits: its cycles (atmega328p, simavr) and instructions (cortex-m4, qemu) per sample
 * equal those of a second, independent run path — the code {@code ebnn:compile} writes, built here
 * with avr-gcc / arm-none-eabi-gcc -O2 and the repository's targets/ harnesses and run on the same
 * simulators —; its classes equal {@code ebnn:classify}'s (the JVM runtime); its energy line is
 * 5 V x 5.2 mA (the ATmega328P datasheet's ICC Active figure) x cycles / 16 MHz; without the
 * tools on PATH it is one error line naming the Debian packages, exit 1.
 */
public class MeasureAppTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    static final int SAMPLES = 3;
    static Path repo, model, digits;
    static File jar;

    @BeforeClass
    public static void find() {
        repo = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("..").normalize();
        String p = System.getProperty("ebnn.app.jar");
        jar = p != null && !p.isEmpty() ? new File(p) : repo.resolve("cnf/target/ebnn.jar").toFile();
        assertTrue("exported app not found: " + jar, jar.isFile());
        model = repo.resolve("examples/models/mlp-1.ebnn");
        digits = repo.resolve("examples/digits");
        assertTrue(model + " exists", Files.isRegularFile(model));
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(Path dir, Map<String, String> env, List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        File out = Files.createTempFile(TMP.getRoot().toPath(), "out", ".txt").toFile(), err = Files.createTempFile(TMP.getRoot().toPath(), "err", ".txt").toFile();
        pb.redirectOutput(out).redirectError(err);
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8), Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    static Result app(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.getAbsolutePath()));
        cmd.addAll(List.of(args));
        return run(TMP.getRoot().toPath(), env, cmd);
    }

    static Result ok(Result r) {
        assertEquals("exit; stderr: " + r.err() + "\nstdout: " + r.out(), 0, r.exit());
        return r;
    }

    static Result sh(Path dir, Object... parts) throws Exception {
        List<String> cmd = new ArrayList<>();
        for (Object o : parts)
            if (o instanceof List<?> l)
                l.forEach(x -> cmd.add(x.toString()));
            else
                cmd.add(o.toString());
        return ok(run(dir, Map.of(), cmd));
    }

    /** The first SAMPLES digits of the IDX images file, 784 bytes each (one channel: HWC = CHW). */
    static byte[] digitBytes() throws Exception {
        byte[] idx = Files.readAllBytes(digits.resolve("t10k-images-idx3-ubyte"));
        return Arrays.copyOfRange(idx, 16, 16 + SAMPLES * 784);
    }

    static int[] jvmClasses() throws Exception {
        Result r = ok(app(Map.of(), "ebnn:classify", model.toString(), "--data", digits.toString(), "--count", "" + SAMPLES, "--json"));
        Matcher m = Pattern.compile("\"predicted\": (\\d+)").matcher(r.out());
        List<Integer> l = new ArrayList<>();
        while (m.find())
            l.add(Integer.parseInt(m.group(1)));
        assertEquals(SAMPLES, l.size());
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    static final List<String> DEFINES = List.of("-DEBNN_INFER=ebnn_mlp_1_infer", "-DEBNN_INPUT_SIZE=784", "-DEBNN_CLASSES=10");

    /** Cycles per sample from the code ebnn:compile writes, built and run here on simavr (targets/avr). */
    static long[] independentAvrCycles() throws Exception {
        Path out = TMP.newFolder("compile-avr").toPath();
        ok(app(Map.of(), "ebnn:compile", model.toString(), "--backend", "c", "--device", "atmega328p", "--out", out.toString(), "--force"));
        Path avr = repo.resolve("targets/avr");
        sh(out, "gcc", "-O2", "-I/usr/include/simavr", "-o", out.resolve("simavr_run"), avr.resolve("simavr_run.c"), "-lsimavr");
        sh(out, "avr-gcc", "-mmcu=atmega328p", "-O2", "-std=c99", DEFINES, "-I" + out, "-o", out.resolve("fw.elf"), avr.resolve("infer_main.c"),
                out.resolve("ebnn_mlp_1.c"));
        byte[] s = digitBytes(), in = new byte[s.length + 2];
        in[0] = SAMPLES;
        System.arraycopy(s, 0, in, 2, s.length);
        Files.write(out.resolve("input.bin"), in);
        Result r = sh(out, out.resolve("simavr_run"), "-m", "atmega328p", "-i", out.resolve("input.bin"), out.resolve("fw.elf"));
        return counts(Pattern.compile("^cycles (\\d+) stack \\d+$", Pattern.MULTILINE).matcher(r.out()));
    }

    /** Instructions per sample from the code ebnn:compile writes for cortex-m4, built and run here under qemu (targets/arm). */
    static long[] independentCortexM4Instructions() throws Exception {
        Path out = TMP.newFolder("compile-m4").toPath();
        ok(app(Map.of(), "ebnn:compile", model.toString(), "--backend", "cortex-m", "--device", "cortex-m4", "--out", out.toString(), "--force"));
        Path arm = repo.resolve("targets/arm");
        sh(out, "gcc", "-shared", "-fPIC", "-O2", "-o", out.resolve("insn_count.so"), arm.resolve("insn_count.c"));
        List<String> cpu = List.of("-mcpu=cortex-m4", "-mthumb", "-O2", "-ffreestanding");
        sh(out, "arm-none-eabi-gcc", cpu, "-I" + arm, "-c", "-o", out.resolve("startup.o"), arm.resolve("startup.c"));
        sh(out, "arm-none-eabi-gcc", cpu, "-std=c99", "-nostartfiles", "-nostdlib", DEFINES, "-I" + out, "-I" + arm, "-T", arm.resolve("mps2.ld"), "-o",
                out.resolve("fw.elf"), out.resolve("startup.o"), arm.resolve("infer_main.c"), out.resolve("ebnn_mlp_1.c"), "-lgcc");
        Matcher nm = Pattern.compile("^([0-9a-f]+) T ebnn_mark$", Pattern.MULTILINE).matcher(sh(out, "arm-none-eabi-nm", out.resolve("fw.elf")).out());
        assertTrue(nm.find());
        Files.write(out.resolve("input.bin"), digitBytes());
        Result r = sh(out, "qemu-system-arm", "-M", "mps2-an386", "-display", "none", "-monitor", "none", "-serial", "none", "-chardev", "stdio,id=s0",
                "-semihosting-config", "enable=on,target=native,chardev=s0", "-kernel", out.resolve("fw.elf"), "-plugin",
                out.resolve("insn_count.so") + ",mark=0x" + nm.group(1), "-d", "plugin");
        long[] marks = counts(Pattern.compile("^insn_count mark (\\d+)$", Pattern.MULTILINE).matcher(r.err()));
        assertEquals(2 * SAMPLES, marks.length);
        long[] insn = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++)
            insn[i] = marks[2 * i + 1];
        return insn;
    }

    static long[] counts(Matcher m) {
        List<Long> l = new ArrayList<>();
        while (m.find())
            l.add(Long.parseLong(m.group(1)));
        return l.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    public void atmega328pCyclesEqualAnIndependentSimavrRunAndEnergyIsVTimesITimesTime() throws Exception {
        Result r = ok(app(Map.of(), "ebnn:measure", model.toString(), "--device", "atmega328p", "--data", digits.toString(), "--count", "" + SAMPLES));
        Matcher m = Pattern.compile("^  sample (\\d+) \\(.*\\): class (\\d+), ([\\d,]+) cycles, stack (\\d+) B$", Pattern.MULTILINE).matcher(r.out());
        long[] cycles = new long[SAMPLES];
        int[] classes = new int[SAMPLES];
        int n = 0;
        while (m.find()) {
            classes[n] = Integer.parseInt(m.group(2));
            cycles[n++] = Long.parseLong(m.group(3).replace(",", ""));
        }
        assertEquals(r.out(), SAMPLES, n);
        assertTrue(r.out(), cycles[0] > 1000);
        assertEquals(Arrays.toString(independentAvrCycles()), Arrays.toString(cycles));
        assertEquals(Arrays.toString(jvmClasses()), Arrays.toString(classes));
        assertTrue(r.out(), r.out().contains("classes and scores equal the JVM runtime's"));
        assertTrue(r.out(), r.out().contains(": within the plan") && !r.out().contains("OUTSIDE") && !r.out().contains("OVER"));

        // ATmega328P datasheet, ICC Active 8 MHz, VCC = 5 V: 5.2 mA; the device clock 16 MHz
        double mean = Arrays.stream(cycles).average().orElseThrow();
        double mws = 5.0 * 5.2 * mean / 16e6;
        Matcher e = Pattern.compile("^energy per inference \\(estimate\\): 5 V x 5\\.2 mA x ([\\d,]+) cycles / 16 MHz = ([\\d.e+-]+) mWs", Pattern.MULTILINE)
                .matcher(r.out());
        assertTrue(r.out(), e.find());
        assertEquals(Math.round(mean), Long.parseLong(e.group(1).replace(",", "")));
        assertEquals(String.format(Locale.ROOT, "%.4g", mws), e.group(2));
    }

    @Test
    public void cortexM4InstructionsEqualAnIndependentQemuRunAndEnergyIsNotKnown() throws Exception {
        Result r = ok(app(Map.of(), "ebnn:measure", model.toString(), "--device", "cortex-m4", "--backend", "cortex-m", "--data", digits.toString(), "--count",
                "" + SAMPLES, "--json"));
        assertTrue(r.out(), r.out().contains("\"counts\": \"instructions\""));
        long[] insn = counts(Pattern.compile("\"instructions\": (\\d+)").matcher(r.out()));
        int[] classes = Arrays.stream(counts(Pattern.compile("\"class\": (\\d+)").matcher(r.out()))).mapToInt(x -> (int) x).toArray();
        assertEquals(Arrays.toString(independentCortexM4Instructions()), Arrays.toString(insn));
        assertEquals(Arrays.toString(jvmClasses()), Arrays.toString(classes));
        assertTrue(r.out(), r.out().contains("\"withinPlan\": true"));
        assertTrue(r.out(), r.out().contains("\"energy\": null"));

        Result text = ok(app(Map.of(), "ebnn:measure", model.toString(), "--device", "cortex-m4", "--backend", "cortex-m"));
        assertTrue(text.out(), text.out().contains("instructions, not cycles"));
        assertTrue(text.out(), text.out().contains("energy per inference (estimate): not known"));
    }

    @Test
    public void withoutTheToolsOnPathOneErrorNamesTheDebianPackages() throws Exception {
        Path empty = TMP.newFolder("empty-path").toPath();
        Result avr = app(Map.of("PATH", empty.toString()), "ebnn:measure", model.toString(), "--device", "atmega328p");
        assertEquals(avr.err(), 1, avr.exit());
        List<String> lines = avr.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(avr.err(), 1, lines.size());
        assertTrue(lines.get(0), lines.get(0).startsWith("error: ") && lines.get(0).contains("avr-gcc")
                && lines.get(0).contains("gcc-avr") && lines.get(0).contains("avr-libc") && lines.get(0).contains("simavr") && lines.get(0).contains("libsimavr-dev"));

        Result arm = app(Map.of("PATH", empty.toString()), "ebnn:measure", model.toString(), "--device", "cortex-m4");
        assertEquals(arm.err(), 1, arm.exit());
        String line = arm.err().strip();
        assertTrue(line, line.startsWith("error: ") && !line.contains("\n") && line.contains("gcc-arm-none-eabi") && line.contains("qemu-system-arm"));
    }
}
