package ebnn.codegen.cortexm;

import ebnn.codegen.c.Reference;
import ebnn.codegen.c.Tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.data.Dataset;
import ebnn.core.plan.MemoryPlanner;

/**
 * The user options of the generated Cortex-M code: -DEBNN_USE_CMSIS takes the intrinsics from the
 * project's cmsis_compiler.h (here a stand-in mapping CMSIS's names to ACLE, since CMSIS cannot be
 * installed) and gives the same answers; EBNN_BUFFER_SECTION moves the activation buffers to
 * another section; -DEBNN_USE_CMSIS on a core without DSP (M0) still compiles to the portable kernels.
 */
public class BuildOptionsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static Path stub() {
        Path p = Path.of("src", "test", "resources", "cmsis-stub").toAbsolutePath();
        assertTrue("CMSIS stand-in header at " + p, Files.exists(p.resolve("cmsis_compiler.h")));
        return p;
    }

    @Test
    public void cmsisPathGivesTheSameAnswers() throws Exception {
        Dataset d = Reference.mnist().head(100);
        for (Core core : List.of(Core.M4, Core.M0))
            for (String name : List.of("mlp-128", "convpool-16", "bmlp-128")) {
                BinaryModel m = Reference.paper(name);
                CortexMBackend be = new CortexMBackend();
                MemoryPlan plan = be.refine(m, MemoryPlanner.plan(m, Device.named(core.device)));
                Firmware fw = Firmware.build(be, m, plan, core, tmp.newFolder("cmsis-" + name + "-" + core).toPath(), "-O2",
                        List.of("-DEBNN_USE_CMSIS", "-I" + stub()));
                Models.assertSame(name + " with -DEBNN_USE_CMSIS on " + core.device, m, Reference.jvm(m, d.samples()), fw.run(d.samples()));
                // the stand-in was included: its marker macro is defined in the model's translation unit
                Tools.Result r = Tools.runOk(fw.dir, 60, Tools.cmd(Tools.tool("arm-none-eabi-gcc"), "-mcpu=" + core.mcpu, "-mthumb", "-DEBNN_USE_CMSIS",
                        "-I" + stub(), "-I" + fw.dir, "-dM", "-E", fw.dir.resolve(fw.prefix + ".c")));
                assertTrue(name + ": cmsis_compiler.h included", r.out().contains("#define EBNN_TEST_CMSIS_STUB 1"));
                assertEquals(name + ": DSP kernels on " + core.device, core == Core.M4, r.out().contains("#define EBNN_CM_DSP 1"));
            }
    }

    @Test
    public void bufferSectionCanBeMoved() throws Exception {
        BinaryModel m = Reference.paper("convpool-16");
        CortexMBackend be = new CortexMBackend();
        MemoryPlan plan = be.refine(m, MemoryPlanner.plan(m, Device.named("cortex-m7")));
        Path dir = tmp.newFolder("section").toPath();
        for (var e : be.generate(m, plan, null).files().entrySet())
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
        Path obj = dir.resolve("model.o");
        Tools.runOk(dir, 120, Tools.cmd(Tools.tool("arm-none-eabi-gcc"), "-mcpu=cortex-m7", "-mthumb", "-O2", "-std=c99", "-Wall", "-Wextra", "-Werror",
                "-pedantic", "-DEBNN_BUFFER_SECTION=__attribute__((section(\".dtcm_bss\")))", "-c", "-o", obj, dir.resolve("ebnn_convpool_16.c")));
        String h = Tools.runOk(dir, 60, Tools.cmd(Tools.tool("arm-none-eabi-objdump"), "-h", obj)).out();
        assertTrue("buffers in .dtcm_bss:\n" + h, h.contains(".dtcm_bss"));
        assertTrue("no default buffer section:\n" + h, !h.contains(".bss.ebnn_buffers"));
        long bytes = h.lines().filter(l -> l.contains(".dtcm_bss")).mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[2], 16)).sum();
        assertEquals("the two planned buffers", plan.bufferABytes() + plan.bufferBBytes(), bytes);
    }
}
