package ebnn.codegen.cortexm;

import ebnn.codegen.c.Reference;
import ebnn.codegen.c.Tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.data.Dataset;
import ebnn.codegen.c.gen.ModelSource;
import ebnn.core.plan.MemoryPlanner;

/**
 * The cortex-m back end's code for the paper-shaped models, built per core with arm-none-eabi-gcc
 * -O2 into a bare-metal image (targets/arm start-up code and linker scripts) and run in
 * qemu-system-arm (microbit M0, mps2-an385 M3, mps2-an386 M4, mps2-an500 M7, mps2-an505 M33) on the
 * first 500 MNIST test digits (and FINN's trained TFC-w1a1 on M4 and M0): classes and scores equal the JVM runtime's; every planned array has
 * exactly its planned size (arm-none-eabi-nm), weights and thresholds are read-only data in flash,
 * the activation buffers are in the zero-initialised .bss (their own section, .bss.ebnn_buffers),
 * RAM sections (.data + .bss) hold exactly the planned input, buffers and scores, and gcc's
 * -fstack-usage and the model's code size stay within the back end's refined plan. Instructions
 * per inference (exact, qemu TCG plugin targets/arm/insn_count.c) go to target/cortex-m-benchmarks.txt.
 */
public class QemuCortexMTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static final int SAMPLES = Integer.getInteger("ebnn.arm.samples", 500);

    private void check(Core core) throws Exception {
        check(core, Models.PAPER);
    }

    private void check(Core core, String... models) throws Exception {
        for (String name : models)
            check(core, name, Reference.paper(name), SAMPLES);
    }

    private void check(Core core, String name, BinaryModel m, int samples) throws Exception {
        Dataset d = Reference.mnist().head(samples);
        assertEquals("MNIST digits", samples, d.count());
        CortexMBackend backend = new CortexMBackend();
        MemoryPlan plan = backend.refine(m, MemoryPlanner.plan(m, Device.named(core.device)));
        assertTrue(name + " fits " + core.device + ": " + plan.overflows(), plan.fits());
        Firmware fw = Firmware.build(backend, m, plan, core, tmp.newFolder(name + "-" + core).toPath(), "-O2");
        String what = name + " on " + core.device + " (qemu " + core.machine + ")";

        // 1. the JVM runtime's answers, class and every score
        Firmware.Outputs out = fw.run(d.samples());
        Models.assertSame(what, m, Reference.jvm(m, d.samples()), out);

        // 2. every planned array with exactly its planned size, in the planned memory
        Map<String, Firmware.Symbol> sym = fw.symbols();
        ModelSource names = new ModelSource(m, plan, fw.prefix.substring("ebnn_".length()));
        long data = 0;
        for (int i = 0; i < m.blocks().size(); i++) {
            MemoryPlan.BlockMemory bm = plan.blocks().get(i);
            if (bm.weightBytes() > 0)
                data += flash(what, sym, names.weightSymbol(i), bm.weightBytes());
            if (m.blocks().get(i).producesScores())
                data += flash(what, sym, names.multiplierSymbol(i), -1) + flash(what, sym, names.offsetSymbol(i), -1);
            else
                data += flash(what, sym, names.thresholdSymbol(i), bm.thresholdBytes());
        }
        assertEquals(what + ": weights + thresholds", plan.dataFlashBytes(), data);
        for (int b = 0; b < 2; b++) {
            long planned = b == 0 ? plan.bufferABytes() : plan.bufferBBytes();
            Firmware.Symbol s = sym.get(names.bufferSymbol(b));
            assertEquals(what + ": buffer " + b, planned, s == null ? 0 : s.size());
            if (s != null)
                assertEquals(what + ": buffer " + b + " is zero-initialised RAM (nm type b)", 'b', s.type());
        }
        assertEquals(what + ": input", plan.inputBytes(), sym.get("ebnn_input").size());
        assertEquals(what + ": scores", plan.scoreBytes(), sym.get("ebnn_scores").size());
        Map<String, Long> sections = fw.sections();
        assertEquals(what + ": .data + .bss", plan.staticRamBytes(), sections.getOrDefault(".data", 0L) + sections.getOrDefault(".bss", 0L));
        assertTrue(what + ": buffers in their own section", sectionHeaders(fw).contains(".bss.ebnn_buffers"));

        // 3. stack and code within the back end's bounds
        long stack = stackUsageBound(fw.dir);
        assertTrue(what + ": -fstack-usage bound " + stack + " B <= planned stack " + plan.stackBytes() + " B", stack <= plan.stackBytes());
        long code = sym.entrySet().stream().filter(e -> e.getKey().startsWith(fw.prefix) && (e.getValue().type() == 't' || e.getValue().type() == 'T'))
                .mapToLong(e -> e.getValue().size()).sum();
        assertTrue(what + ": code " + code + " B <= planned " + plan.codeBytes() + " B", code <= plan.codeBytes());

        int correct = 0;
        for (int i = 0; i < out.count(); i++)
            if (out.classes()[i] == d.label(i))
                correct++;
        record(String.format(java.util.Locale.ROOT, "| %s | %s | %d | %.0f | %d | %d | %d | %d |", name, core.device, out.count(), out.meanInstructions(),
                plan.dataFlashBytes(), code, stack, correct));
    }

    /** Size of a read-only data symbol (nm type r/R: .rodata, i.e. flash), checked against {@code planned} unless negative. */
    private static long flash(String what, Map<String, Firmware.Symbol> sym, String name, long planned) {
        Firmware.Symbol s = sym.get(name);
        assertTrue(what + ": symbol " + name + " in the image", s != null);
        assertTrue(what + ": " + name + " is read-only data (nm type " + s.type() + ")", s.type() == 'r' || s.type() == 'R');
        if (planned >= 0)
            assertEquals(what + ": " + name, planned, s.size());
        return s.size();
    }

    private static String sectionHeaders(Firmware fw) {
        // the object file keeps the section name; in the image it is merged into .bss by the linker script
        Path obj = fw.dir.resolve("model.o");
        Tools.runOk(fw.dir, 120, Tools.cmd(Tools.tool("arm-none-eabi-gcc"), "-mcpu=" + fw.core.mcpu, "-mthumb", "-O2", "-std=c99", "-I" + fw.dir, "-c",
                "-o", obj, fw.dir.resolve(fw.prefix + ".c")));
        return Tools.runOk(fw.dir, 60, Tools.cmd(Tools.tool("arm-none-eabi-objdump"), "-h", obj)).out();
    }

    /**
     * Upper bound from gcc's -fstack-usage (static frames) along the generated code's only call
     * chains: the entry point, one block function at a time, at most one helper of that block (a
     * conv accumulator, if not inlined), and libgcc's leaf helpers (division on M0, 16 B allowance).
     */
    static long stackUsageBound(Path buildDir) throws IOException {
        long entry = -1, block = 0, helper = 0;
        Pattern p = Pattern.compile("^\\S+:\\d+:\\d+:(\\S+)\\s+(\\d+)\\s+(\\S+)");
        try (var files = Files.list(buildDir)) {
            for (Path su : files.filter(f -> f.getFileName().toString().matches("(fw\\.elf-)?ebnn_.*\\.su")).toList())
                for (String line : Files.readAllLines(su)) {
                    Matcher mt = p.matcher(line);
                    assertTrue("-fstack-usage line: " + line, mt.find());
                    assertEquals("stack of " + mt.group(1) + " is static", "static", mt.group(3));
                    String fn = mt.group(1).replaceFirst("\\..*$", "");
                    long bytes = Long.parseLong(mt.group(2));
                    if (fn.endsWith("_infer"))
                        entry = bytes;
                    else if (fn.matches(".*_b\\d+"))
                        block = Math.max(block, bytes);
                    else
                        helper = Math.max(helper, bytes);
                }
        }
        assertTrue("no -fstack-usage line for the entry point in " + buildDir, entry >= 0);
        return entry + block + helper + 16;
    }

    private static synchronized void record(String line) throws IOException {
        Path f = Path.of("target", "cortex-m-benchmarks.txt");
        if (!Files.exists(f))
            Files.writeString(f, "| model | device | samples | instructions / inference | weights+thresholds B | code B | stack bound B | correct |\n",
                    StandardCharsets.UTF_8);
        Files.writeString(f, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        System.out.println(line);
    }

    /** A trained model (FINN's TFC-w1a1, imported from ONNX): the same checks, and its real accuracy on the digits. */
    /**
     * The paper-table models trained by ebnn:train (examples/models; bench/run passes the six it has
     * just trained) on the smallest and the DSP core: real weights, so "correct" is their accuracy.
     */
    @Test
    public void trainedPaperTableModelsOnM0AndM4() throws Exception {
        for (Core core : new Core[] { Core.M0, Core.M4 })
            for (java.nio.file.Path f : Reference.trainedModels())
                check(core, Reference.trainedName(f), Reference.trained(f), TRAINED_SAMPLES);
    }

    static final int TRAINED_SAMPLES = Integer.getInteger("ebnn.arm.trained.samples", 100);

    @Test
    public void trainedFinnTfcOnM4AndM0() throws Exception {
        check(Core.M4, "finn-tfc");
        check(Core.M0, "finn-tfc");
    }

    @Test
    public void cortexM0Microbit() throws Exception {
        check(Core.M0);
    }

    @Test
    public void cortexM3Mps2An385() throws Exception {
        check(Core.M3);
    }

    @Test
    public void cortexM4Mps2An386() throws Exception {
        check(Core.M4);
    }

    @Test
    public void cortexM7Mps2An500() throws Exception {
        check(Core.M7);
    }

    @Test
    public void cortexM33Mps2An505() throws Exception {
        check(Core.M33);
    }
}
