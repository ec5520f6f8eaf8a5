package ebnn.codegen.cortexm;

import ebnn.codegen.c.Reference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.data.Dataset;
import ebnn.codegen.c.CBackend;
import ebnn.core.plan.MemoryPlanner;

/**
 * Benchmark main for docs/BENCHMARKS.md (not a test): exact qemu instruction counts per inference
 * of the cortex-m back end and of the portable c back end, both built with arm-none-eabi-gcc -O2
 * for each core, on the first N MNIST test digits (answers checked against the JVM runtime).
 * Arguments: [samples (default 20)] [models, comma-separated: paper-shaped names or .ebnn files] [cores, comma-separated].
 */
public final class InstructionCounts {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<String> models = args.length > 1 ? List.of(args[1].split(",")) : List.of(Models.PAPER);
        List<Core> cores = args.length > 2 ? java.util.Arrays.stream(args[2].split(",")).map(s -> Core.valueOf(s.toUpperCase(Locale.ROOT))).toList()
                : List.of(Core.values());
        Dataset d = Reference.mnist().head(n);
        Path tmp = Files.createTempDirectory("ebnn-insn");
        System.out.println("| model | core | c -O2 (instructions / inference) | cortex-m -O2 | ratio | cortex-m .text+.rodata of the model B |");
        System.out.println("|---|---|---|---|---|---|");
        for (String model : models) {
            String name = model.endsWith(".ebnn") ? Reference.trainedName(Path.of(model)) : model;
            BinaryModel m = model.endsWith(".ebnn") ? Reference.trained(Path.of(model)) : Reference.paper(model);
            Reference.Answers ref = Reference.jvm(m, d.samples());
            for (Core core : cores) {
                MemoryPlan plan = MemoryPlanner.plan(m, Device.named(core.device));
                Firmware c = Firmware.build(new CBackend(), m, plan, core, tmp.resolve(name + "-" + core + "-c"), "-O2");
                Firmware.Outputs oc = c.run(d.samples());
                Models.assertSame(name + " c on " + core, m, ref, oc);
                CortexMBackend be = new CortexMBackend();
                Firmware cm = Firmware.build(be, m, be.refine(m, plan), core, tmp.resolve(name + "-" + core + "-cm"), "-O2");
                Firmware.Outputs ocm = cm.run(d.samples());
                Models.assertSame(name + " cortex-m on " + core, m, ref, ocm);
                long modelBytes = cm.symbols().entrySet().stream().filter(e -> e.getKey().startsWith(cm.prefix) && "tTrR".indexOf(e.getValue().type()) >= 0)
                        .mapToLong(e -> e.getValue().size()).sum();
                System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.2f | %,d |%n", name, core.device, oc.meanInstructions(), ocm.meanInstructions(),
                        ocm.meanInstructions() / oc.meanInstructions(), modelBytes);
            }
        }
    }
}
