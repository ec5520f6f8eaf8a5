package ebnn.codegen.cortexm;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.codegen.c.Reference;
import ebnn.codegen.c.SeedModelsTest;
import ebnn.core.lower.Lowering;
import ebnn.core.plan.MemoryPlanner;

/**
 * eBNN's four example headers through the cortex-m back end on qemu (Cortex-M0 microbit, Cortex-M4
 * mps2-an386): the classes eBNN's own C gives their bundled samples (expected_classes.json) and
 * the JVM runtime's scores; one measurement row per model and core (docs/BENCHMARKS.md).
 */
public class SeedModelsQemuTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void ebnnHeadersOnM0AndM4() throws Exception {
        for (Core core : new Core[] { Core.M0, Core.M4 })
            for (String name : SeedModelsTest.MODELS) {
                BinaryModel m = Lowering.lower(new ebnn.ebnnc.internal.EbnnHeaderImporter()
                        .read(SeedModelsTest.seeds().resolve("examples/" + name + ".h")).model());
                // alex: ~10 M instructions a digit under qemu's counting plugin; 4 of its 20 samples (all 20 run in host C)
                int k = name.equals("alex") ? 4 : 20;
                byte[] in = java.util.Arrays.copyOf(SeedModelsTest.samples(name, m), k * m.inputSize());
                Reference.Answers jvm = SeedModelsTest.head(Reference.jvm(m, in), k, m.classes());
                CortexMBackend backend = new CortexMBackend();
                MemoryPlan plan = backend.refine(m, MemoryPlanner.plan(m, Device.named(core.device)));
                assertTrue(name + " fits " + core.device + ": " + plan.overflows(), plan.fits());
                Firmware fw = Firmware.build(backend, m, plan, core, tmp.newFolder(name + "-" + core).toPath(), "-O2");
                Firmware.Outputs out = fw.run(in);
                Models.assertSame(name + " on " + core.device, m, jvm, out);
                assertArrayEquals(name + " on " + core.device + " against eBNN's C", java.util.Arrays.copyOf(SeedModelsTest.expected(name), k),
                        out.classes());
                Map<String, Long> sec = fw.sections();
                long code = fw.symbols().entrySet().stream()
                        .filter(e -> e.getKey().startsWith(fw.prefix) && (e.getValue().type() == 't' || e.getValue().type() == 'T'))
                        .mapToLong(e -> e.getValue().size()).sum();
                System.out.println(String.format(java.util.Locale.ROOT, "| %s | %s | %.0f | %d | %d | %d | %d |", name, core.device,
                        out.meanInstructions(), plan.dataFlashBytes(), code, sec.getOrDefault(".data", 0L) + sec.getOrDefault(".bss", 0L),
                        QemuCortexMTest.stackUsageBound(fw.dir)));
            }
    }
}
