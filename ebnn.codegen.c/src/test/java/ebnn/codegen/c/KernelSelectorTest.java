package ebnn.codegen.c;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.codegen.c.gen.BlockKernel;
import ebnn.codegen.c.gen.ModelSource;
import ebnn.codegen.c.gen.PortableKernels;
import ebnn.core.plan.MemoryPlanner;

/**
 * The C back end's one selector decides the kernels, and the plan's stack and code are those
 * kernels' bounds: the planner's SRAM popcount table is kept where a kernel reads it and the
 * bounds fit, and goes back to flash where they would not.
 */
public class KernelSelectorTest {
    @Test
    public void refinedBoundsAreTheSelectedKernelsBounds() {
        BinaryModel m = Reference.paper("bmlp-128");
        Device uno = Device.named("atmega328p");
        MemoryPlan planned = MemoryPlanner.plan(m, uno);
        assertEquals("784-128-10 on bits has the RAM to spare", MemoryPlan.POPCOUNT_TABLE_RAM, planned.tableBytes());
        MemoryPlan plan = new CBackend().refine(m, planned);
        List<BlockKernel> kernels = PortableKernels.SELECTOR.select(m, plan);
        assertEquals("dense-bits-avr-rows", kernels.get(1).id());
        long stack = 0, code = 768;
        for (int i = 0; i < kernels.size(); i++) {
            stack = Math.max(stack, kernels.get(i).stackBytes(plan, m.blocks().get(i)));
            code += kernels.get(i).codeBytes(plan, m.blocks().get(i));
        }
        assertEquals(112 + 2 * 128, stack); // the count array of the 128 rows
        assertEquals(Math.max(stack, planned.stackBytes()), plan.stackBytes());
        assertEquals(Math.max(code, planned.codeBytes()), plan.codeBytes());
        assertEquals(MemoryPlan.POPCOUNT_TABLE_RAM, plan.tableBytes());
        String report = new ModelSource(m, plan, "bmlp").report();
        assertTrue(report, report.contains("popcount table (256 B + up to 255 B alignment)       511"));
        assertTrue(report, report.contains("'fc1' dense-bits-avr-rows                    368     448"));
    }

    @Test
    public void theTableGoesBackToFlashWhereTheKernelsBoundsWouldNotFit() {
        BinaryModel m = Reference.paper("bmlp-128");
        MemoryPlan onUno = MemoryPlanner.plan(m, Device.named("atmega328p"));
        // just the planner's estimate and the table: the planner takes the SRAM table, the kernels' stack then does not fit
        long ram = onUno.staticRamBytes() + onUno.stackBytes();
        Device tight = new Device("tight-avr", "test", Device.Arch.AVR, "avr5", 32768, ram, 8, 16_000_000);
        MemoryPlan planned = MemoryPlanner.plan(m, tight);
        assertEquals(MemoryPlan.POPCOUNT_TABLE_RAM, planned.tableBytes());
        MemoryPlan plan = new CBackend().refine(m, planned);
        assertEquals(0, plan.tableBytes());
        assertEquals("dense-bits-avr", PortableKernels.SELECTOR.select(m, plan).get(1).id());
        assertEquals(112, plan.stackBytes());
        assertTrue(plan.overflows().toString(), plan.fits());
    }

    @Test
    public void noTableWhereNoKernelReadsOne() {
        BinaryModel m = Reference.paper("mlp-128"); // bytes in, one dense layer on bits: the table stays only while read
        MemoryPlan plan = new CBackend().refine(m, MemoryPlanner.plan(m, Device.named("atmega328p")));
        boolean reads = false;
        for (int i = 0; i < m.blocks().size(); i++)
            reads |= PortableKernels.SELECTOR.select(plan, m.blocks().get(i)).usesPopcountTable(plan, m.blocks().get(i));
        assertEquals(reads ? MemoryPlan.POPCOUNT_TABLE_RAM : 0, plan.tableBytes());
        MemoryPlan host = new CBackend().refine(m, MemoryPlanner.plan(m, Device.named("host")));
        assertEquals(0, host.tableBytes());
    }
}
