package ebnn.codegen.c;

import static ebnn.codegen.c.Tools.cmd;
import static ebnn.codegen.c.Tools.tool;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
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
import ebnn.api.spi.CompileOptions;
import ebnn.core.plan.MemoryPlanner;
import ebnn.codegen.c.gen.ModelSource;

/**
 * The generated C built with avr-gcc for atmega328p and atmega2560 and run on the cycle-exact
 * simavr (targets/avr/simavr_run.c) on 200 MNIST test digits: classes and scores equal the JVM
 * runtime's; the arrays in the firmware (avr-nm symbol sizes) equal the memory plan byte for byte
 * and the RAM sections (avr-size .data + .bss) hold exactly the planned static RAM; the measured
 * stack high-water mark and the -fstack-usage bound stay within the plan's stack estimate. The
 * cycles per inference go to target/avr-benchmarks.txt (docs/BENCHMARKS.md quotes them).
 */
public class AvrSimTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static final int SAMPLES = Integer.getInteger("ebnn.avr.samples", 200);
    static final String OPT = System.getProperty("ebnn.avr.opt", "-O2");

    /** Digits per trained paper-table model: their uint8 first layers take up to ~5 M cycles per digit under simavr. */
    static final int TRAINED_SAMPLES = Integer.getInteger("ebnn.avr.trained.samples", 20);

    private void check(String modelName, String mcu) throws Exception {
        check(modelName, Reference.paper(modelName), mcu, SAMPLES);
    }

    private void check(String modelName, BinaryModel m, String mcu, int samples) throws Exception {
        Dataset d = Reference.mnist().head(samples);
        Built.Outputs out = check(modelName, m, mcu, d.samples());
        int correct = 0;
        for (int i = 0; i < out.count(); i++)
            if (out.classes()[i] == d.label(i))
                correct++;
        Device device = Device.named(mcu);
        record(Built.fmt("| %s | %s | %s | %d | %.0f | %d | %d | %.2f | %d | %d | %d | %d | %d |", modelName, mcu, OPT, out.count(),
                out.meanCycles(), min(out.cycles()), max(out.cycles()), out.meanCycles() / device.clockHz() * 1000, lastPlan.dataFlashBytes(),
                lastCode, lastPlan.staticRamBytes(), out.maxStack(), correct));
    }

    private MemoryPlan lastPlan;
    private long lastCode;

    /** Builds, runs and checks model m on simavr for the samples (HWC, back to back); the outputs. */
    private Built.Outputs check(String modelName, BinaryModel m, String mcu, byte[] samples) throws Exception {
        Device device = Device.named(mcu);
        // the planner's data sizes with this back end's stack and code bounds (CodeGenerator.refine)
        MemoryPlan plan = new CBackend().refine(m, MemoryPlanner.plan(m, device));
        assertTrue(modelName + " fits " + mcu + ": " + plan.overflows(), plan.fits());
        Built b = Built.generate(m, plan, CompileOptions.defaults(), tmp.newFolder(modelName + "-" + mcu).toPath());
        Path elf = b.buildAvr(mcu, OPT);

        // 1. the same answers as the JVM runtime
        Built.Outputs out = b.runAvr(elf, mcu, samples);
        Reference.assertSame(modelName + " on simavr " + mcu, m, Reference.jvm(m, samples), out);

        // 2. every planned array has exactly the planned size in the firmware
        Map<String, Long> sym = Built.symbolSizes("avr-nm", elf);
        ModelSource names = new ModelSource(m, plan, b.prefix.substring("ebnn_".length()));
        long data = 0;
        for (int i = 0; i < m.blocks().size(); i++) {
            MemoryPlan.BlockMemory bm = plan.blocks().get(i);
            if (bm.weightBytes() > 0)
                assertEquals("weights of block " + i, bm.weightBytes(), (long) sym.get(names.weightSymbol(i)));
            long thr = m.blocks().get(i).producesScores() ? sym.get(names.multiplierSymbol(i)) + sym.get(names.offsetSymbol(i))
                    : sym.get(names.thresholdSymbol(i));
            assertEquals("thresholds of block " + i, bm.thresholdBytes(), thr);
            data += bm.weightBytes() + thr;
        }
        assertEquals("weights + thresholds", plan.dataFlashBytes(), data);
        assertEquals("buffer A", plan.bufferABytes(), (long) sym.getOrDefault(names.bufferSymbol(0), 0L));
        assertEquals("buffer B", plan.bufferBBytes(), (long) sym.getOrDefault(names.bufferSymbol(1), 0L));
        assertEquals("input", plan.inputBytes(), (long) sym.get("ebnn_input"));
        assertEquals("scores", plan.scoreBytes(), (long) sym.get("ebnn_scores"));

        // 3. RAM sections: nothing but the planned input, buffers, scores and (where the planner put it
        // there) the 256-aligned popcount table, whose padding the plan bounds by 255 B
        Map<String, Long> sections = sections(elf);
        long ram = sections.getOrDefault(".data", 0L) + sections.getOrDefault(".bss", 0L);
        if (plan.tableBytes() == 0)
            assertEquals(".data + .bss of " + elf, plan.staticRamBytes(), ram);
        else {
            assertEquals("SRAM popcount table", 256L, (long) sym.get(names.popcountSymbol()));
            assertTrue(".data + .bss of " + elf + ": " + ram + " B within the plan's " + plan.staticRamBytes() + " B, padding included",
                    ram <= plan.staticRamBytes() && ram >= plan.staticRamBytes() - 255);
        }

        // 4. stack: measured high-water mark <= -fstack-usage bound, and both <= the plan's estimate
        long measured = out.maxStack();
        long suBound = stackUsageBound(elf.getParent(), mcu);
        assertTrue("measured stack " + measured + " B <= -fstack-usage bound " + suBound + " B", measured <= suBound);
        assertTrue("-fstack-usage bound " + suBound + " B <= planned stack " + plan.stackBytes() + " B", suBound <= plan.stackBytes());

        // 5. code: the model's functions (and the popcount table) against the plan's estimate
        long code = sym.entrySet().stream().filter(e -> e.getKey().startsWith(b.prefix) && !isData(e.getKey(), names, m))
                .mapToLong(Map.Entry::getValue).sum();
        assertTrue("code " + code + " B <= planned " + plan.codeBytes() + " B", code <= plan.codeBytes());
        lastPlan = plan;
        lastCode = code;
        return out;
    }

    /**
     * The AVR-only code paths (the conv kernels conv-bytes-tables-avr and conv-bits-words' assembly
     * runs, the dense kernels' assembly) on random models of other shapes than the paper's: padding,
     * strides, multi-channel input, AND pools, byte-input maps, 32- and 64-channel bit convs. Each
     * random model (in order) is taken when it brings a new (kernel, padded, pooled, overlapping pool) combination of a
     * conv block or a new dense kernel on atmega328p, up to 16 models, on 12 random samples each;
     * answers equal the JVM runtime's and the plan's bounds hold as for the paper models.
     */
    @Test
    public void randomModelsThroughTheAvrKernelsAtmega328p() throws Exception {
        Device uno = Device.named("atmega328p");
        java.util.Set<String> seen = new java.util.TreeSet<>();
        int taken = 0;
        for (ebnn.testing.RandomModels.Generated g : ebnn.testing.RandomModels.many(600, 9100)) {
            BinaryModel m = ebnn.core.lower.Lowering.lower(g.model());
            MemoryPlan plan = new CBackend().refine(m, MemoryPlanner.plan(m, uno));
            if (!plan.fits())
                continue;
            java.util.List<ebnn.codegen.c.gen.BlockKernel> ks = ebnn.codegen.c.gen.PortableKernels.SELECTOR.select(m, plan);
            java.util.Set<String> sig = new java.util.TreeSet<>();
            for (int i = 0; i < ks.size(); i++) {
                String id = ks.get(i).id();
                if (m.blocks().get(i) instanceof ebnn.api.binary.ConvBlock c && (id.equals("conv-bytes-tables-avr") || id.equals("conv-bits-words")))
                    sig.add(id + (c.padding().equals(ebnn.api.model.Padding.NONE) ? "" : " padded") + (c.pool() != null ? " pooled" : "")
                            + (c.pool() != null && (c.pool().strideH() < c.pool().kernelH() || c.pool().strideW() < c.pool().kernelW()) ? " overlapping" : "")
                            + (plan.tableBytes() > 0 ? " ram-table" : ""));
                if (id.startsWith("dense-bits-avr"))
                    sig.add(id);
            }
            if (seen.containsAll(sig))
                continue;
            java.util.Random rnd = new java.util.Random(g.seed());
            byte[] samples = new byte[12 * m.inputSize()];
            for (int k = 0; k < 12; k++)
                System.arraycopy(ebnn.testing.RandomModels.chwToHwc(m.input(), ebnn.testing.RandomModels.input(g.model(), rnd)), 0, samples,
                        k * m.inputSize(), m.inputSize());
            check("random-" + g.seed(), m, "atmega328p", samples);
            seen.addAll(sig);
            if (++taken == 16)
                break;
        }
        System.out.println("random models on simavr: " + seen);
        // each wanted kernel with each wanted property somewhere (a signature may carry several)
        String[][] wants = { { "conv-bytes-tables-avr" }, { "conv-bytes-tables-avr", " padded" }, { "conv-bytes-tables-avr", " pooled" },
                { "conv-bytes-tables-avr", " overlapping" }, { "conv-bits-words" }, { "dense-bits-avr-rows" } };
        for (String[] want : wants)
            assertTrue("random models on simavr cover " + String.join("", want) + ": " + seen,
                    seen.stream().anyMatch(x -> x.startsWith(want[0]) && (want.length == 1 || x.contains(want[1]))));
    }

    private static boolean isData(String symbol, ModelSource n, BinaryModel m) {
        if (symbol.equals(n.bufferSymbol(0)) || symbol.equals(n.bufferSymbol(1)))
            return true;
        for (int i = 0; i < m.blocks().size(); i++)
            if (symbol.equals(n.weightSymbol(i)) || symbol.equals(n.thresholdSymbol(i)) || symbol.equals(n.multiplierSymbol(i))
                    || symbol.equals(n.offsetSymbol(i)))
                return true;
        return false;
    }

    static Map<String, Long> sections(Path elf) {
        Tools.Result r = Tools.runOk(elf.getParent(), null, 60, cmd(tool("avr-size"), "-A", elf));
        Map<String, Long> m = new java.util.HashMap<>();
        for (String line : r.out().split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length >= 2 && p[0].startsWith(".") && p[1].matches("\\d+"))
                m.put(p[0], Long.parseLong(p[1]));
        }
        return m;
    }

    /**
     * Upper bound from gcc's -fstack-usage (static frames, return address included) along the only
     * call chains the generated code has: the entry point, then one block function at a time, then
     * at most one helper of that block (a conv accumulator or pool-mode function, if gcc did not
     * inline it), then the libgcc helpers gcc calls for 32-bit multiplies, which have no .su file:
     * __mulsi3 -> __muluhisi3 -> __umulhisi3 (see avr-objdump), three return addresses (2 bytes on
     * avr5, 3 on avr6 with its 22-bit PC) and 2 saved bytes.
     */
    static long stackUsageBound(Path buildDir, String mcu) throws IOException {
        int ret = mcu.equals("atmega2560") ? 3 : 2;
        long entry = -1, block = 0, helper = 0;
        Pattern p = Pattern.compile("^\\S+:\\d+:\\d+:(\\S+)\\s+(\\d+)\\s+(\\S+)");
        try (var files = Files.list(buildDir)) {
            for (Path su : files.filter(f -> f.getFileName().toString().startsWith("ebnn_") && f.toString().endsWith(".su")).toList())
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
        return entry + block + helper + 3L * ret + 2;
    }

    private static long min(long[] a) {
        return java.util.Arrays.stream(a).min().orElse(0);
    }

    private static long max(long[] a) {
        return java.util.Arrays.stream(a).max().orElse(0);
    }

    private static synchronized void record(String line) throws IOException {
        Path f = Path.of("target", "avr-benchmarks.txt");
        if (!Files.exists(f))
            Files.writeString(f, "| model | mcu | opt | samples | mean cycles | min | max | ms at 16 MHz | weights+thresholds B | code B | static RAM B | stack B | correct |\n",
                    StandardCharsets.UTF_8);
        Files.writeString(f, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        System.out.println(line);
    }

    /**
     * The paper-table models trained by ebnn:train (examples/models; bench/run passes the six it
     * has just trained): real weights, so "correct" is their accuracy on these digits.
     */
    @Test
    public void trainedPaperTableModelsAtmega328p() throws Exception {
        for (Path f : Reference.trainedModels())
            check(Reference.trainedName(f), Reference.trained(f), "atmega328p", TRAINED_SAMPLES);
    }

    @Test
    public void binaryInputMlp128Atmega328p() throws Exception {
        check("bmlp-128", "atmega328p");
    }

    @Test
    public void trainedFinnTfcAtmega328p() throws Exception {
        check("finn-tfc", "atmega328p");
    }

    @Test
    public void mlp128Atmega328p() throws Exception {
        check("mlp-128", "atmega328p");
    }

    @Test
    public void mlp128Atmega2560() throws Exception {
        check("mlp-128", "atmega2560");
    }

    @Test
    public void convPool16Atmega328p() throws Exception {
        check("convpool-16", "atmega328p");
    }

    @Test
    public void convPool16Atmega2560() throws Exception {
        check("convpool-16", "atmega2560");
    }

    @Test
    public void tfcAtmega328p() throws Exception {
        check("tfc", "atmega328p");
    }

    @Test
    public void tfcAtmega2560() throws Exception {
        check("tfc", "atmega2560");
    }

}
