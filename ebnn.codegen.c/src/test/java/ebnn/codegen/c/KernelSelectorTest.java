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
 * kernels' bounds: the planner's SRAM popcount table is kept where a kernel profits from it
 * (dense-bits-avr-rows) and the bounds fit, and goes back to flash where they would not.
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
        assertEquals("98-byte rows: five segments of at most 20 bytes", 448 + 5 * 320, kernels.get(1).codeBytes(plan, m.blocks().get(1)));
        assertEquals(Math.max(stack, planned.stackBytes()), plan.stackBytes());
        assertEquals(Math.max(code, planned.codeBytes()), plan.codeBytes());
        assertEquals(MemoryPlan.POPCOUNT_TABLE_RAM, plan.tableBytes());
        String report = new ModelSource(m, plan, "bmlp").report();
        assertTrue(report, report.contains("popcount table (256 B + up to 255 B alignment)       511"));
        assertTrue(report, report.contains("'fc1' dense-bits-avr-rows                    368    2048"));
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
    public void noTableWhereNoKernelProfitsFromOne() {
        BinaryModel m = Reference.paper("mlp-128"); // bytes in, one dense layer on bits: the table stays only while a kernel profits
        MemoryPlan plan = new CBackend().refine(m, MemoryPlanner.plan(m, Device.named("atmega328p")));
        boolean profits = false;
        for (int i = 0; i < m.blocks().size(); i++)
            profits |= PortableKernels.SELECTOR.select(plan, m.blocks().get(i)).profitsFromTableInRam(plan, m.blocks().get(i));
        assertEquals(profits ? MemoryPlan.POPCOUNT_TABLE_RAM : 0, plan.tableBytes());
        MemoryPlan host = new CBackend().refine(m, MemoryPlanner.plan(m, Device.named("host")));
        assertEquals(0, host.tableBytes());
    }

    /**
     * A model whose blocks read the popcount table but none through dense-bits-avr-rows (e.g. a conv
     * on 8-bit channel words and a dense row shorter than 8 bytes): the planner offers SRAM for the
     * table on an atmega2560, the selector leaves it in flash, where those kernels read it as fast.
     */
    @Test
    public void theTableStaysInFlashWhereOnlyOtherKernelsReadIt() {
        Device mega = Device.named("atmega2560");
        int found = 0;
        for (ebnn.testing.RandomModels.Generated g : ebnn.testing.RandomModels.many(400, 9100)) {
            BinaryModel m = ebnn.core.lower.Lowering.lower(g.model());
            MemoryPlan planned = MemoryPlanner.plan(m, mega);
            if (planned.tableBytes() == 0)
                continue;
            boolean reads = false, profits = false;
            List<BlockKernel> kernels = PortableKernels.SELECTOR.select(m, planned);
            for (int i = 0; i < kernels.size(); i++) {
                reads |= kernels.get(i).usesPopcountTable(planned, m.blocks().get(i));
                profits |= kernels.get(i).profitsFromTableInRam(planned, m.blocks().get(i));
            }
            MemoryPlan plan = new CBackend().refine(m, planned);
            assertEquals("random model " + g.seed() + ": table bytes", profits ? MemoryPlan.POPCOUNT_TABLE_RAM : 0, plan.tableBytes());
            if (reads && !profits) {
                assertTrue(new ModelSource(m, plan, "m").source().contains("_popcount8[256] EBNN_FLASH"));
                found++;
            }
        }
        assertTrue("random models that read the table without a kernel that profits from SRAM: " + found, found > 0);
    }
}
