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

    /** A tinier-nn model.def's output bits through the cortex-m back end's _infer_bits on M0 and M4: the XOR-popcount rule's. */
    @Test
    public void tinierModelDefBitsOnM0AndM4() throws Exception {
        java.util.Random r = new java.util.Random(43);
        java.util.List<boolean[][]> layers = new java.util.ArrayList<>();
        String def = SeedModelsTest.modelDefText(r, new int[] { 32, 64, 64, 32 }, layers);
        BinaryModel m = Lowering.lower(ebnn.tinier.internal.TinierImporter.translate("model.def", "tinier", def).model());
        int n = 200;
        byte[] in = new byte[n * 32];
        for (int i = 0; i < in.length; i++)
            in[i] = (byte) (r.nextBoolean() ? 1 : 0);
        for (Core core : new Core[] { Core.M0, Core.M4 }) {
            CortexMBackend backend = new CortexMBackend();
            MemoryPlan plan = backend.refine(m, MemoryPlanner.plan(m, Device.named(core.device)));
            Firmware fw = Firmware.build(backend, m, plan, core, tmp.newFolder("tinier-" + core).toPath(), "-O2");
            Firmware.Outputs out = fw.run(in);
            for (int s = 0; s < n; s++) {
                boolean[] x = new boolean[32];
                for (int i = 0; i < 32; i++)
                    x[i] = in[s * 32 + i] != 0;
                boolean[] want = SeedModelsTest.rule(layers, x);
                for (int k = 0; k < 32; k++)
                    org.junit.Assert.assertEquals("tinier on " + core.device + " sample " + s + " bit " + k, want[k], out.bit(s, 4, k));
            }
            System.out.println(String.format(java.util.Locale.ROOT, "| tinier 32-64-64-32 | %s | %.0f instr |", core.device, out.meanInstructions()));
        }
    }
}
