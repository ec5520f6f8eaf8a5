package ebnn.codegen.c.gen;

import java.util.ArrayList;
import java.util.List;

import ebnn.api.BackendException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.Block;
import ebnn.api.binary.MemoryPlan;

/**
 * A C back end's one kernel selector (its registry, in order of preference): for each block the
 * first {@link BlockKernel} that applies. The generator ({@link ModelSource}), the back end's
 * {@code refine} ({@link #refine}) and the profiles ({@link #select(BinaryModel, MemoryPlan)}) all
 * ask here, so the kernel that is costed is the kernel that is emitted. Also carries what the back
 * end adds around the kernels: its title, an include after the runtime header, the buffers'
 * attribute, a report note, and the code of the entry point and shared helpers.
 */
public final class KernelSelector {
    private final String title;
    private final List<BlockKernel> kernels;
    private final String sourcePrologue;
    private final String bufferAttribute;
    private final String reportNote;
    private final long baseCodeBytes;

    /**
     * @param title          names the back end in generated comments and the report, e.g. "ebnn C back end"
     * @param kernels        the kernels in order of preference; some kernel must apply to every block
     * @param sourcePrologue lines after {@code #include "ebnn_rt.h"} in the model source (may be empty)
     * @param bufferAttribute text after the declarator of each activation buffer (may be empty)
     * @param reportNote     one extra report line, or null
     * @param baseCodeBytes  code bound of the entry point and shared helpers, beyond the kernels' own
     */
    public KernelSelector(String title, List<BlockKernel> kernels, String sourcePrologue, String bufferAttribute, String reportNote,
            long baseCodeBytes) {
        this.title = title;
        this.kernels = List.copyOf(kernels);
        this.sourcePrologue = sourcePrologue;
        this.bufferAttribute = bufferAttribute;
        this.reportNote = reportNote;
        this.baseCodeBytes = baseCodeBytes;
    }

    public String title() {
        return title;
    }

    public String sourcePrologue() {
        return sourcePrologue;
    }

    public String bufferAttribute() {
        return bufferAttribute;
    }

    public String reportNote() {
        return reportNote;
    }

    /** The kernel of block {@code b} on the device of {@code plan}. */
    public BlockKernel select(MemoryPlan plan, Block b) {
        for (BlockKernel k : kernels)
            if (k.applies(plan, b))
                return k;
        throw new BackendException(title + " has no kernel for block '" + ModelSource.comment(b.name()) + "'");
    }

    /** The kernel of every block of {@code model}, in order. */
    public List<BlockKernel> select(BinaryModel model, MemoryPlan plan) {
        List<BlockKernel> out = new ArrayList<>();
        for (Block b : model.blocks())
            out.add(select(plan, b));
        return out;
    }

    /**
     * The plan with the selected kernels' stack and code bounds in place of the planner's
     * per-architecture guesses: stack = the largest block's bound (one block function runs at a
     * time), code = the entry point + every block's bound. Where a kernel has no measured bound for
     * the device the planner's estimates stand. Never lowers the planner's figures; never changes
     * the data sizes; drops the planner's table RAM when no selected kernel profits from an SRAM
     * table ({@link BlockKernel#profitsFromTableInRam}; the others read it from flash), or when
     * with it the bounds would not fit the device while without it they might.
     */
    public MemoryPlan refine(BinaryModel model, MemoryPlan plan) {
        MemoryPlan refined = bounds(model, plan);
        // the planner put the table in SRAM with its own stack estimate; where the kernels' bounds then
        // leave no room, the table goes back to flash rather than the model not fitting
        if (refined.tableBytes() > 0 && !refined.fits())
            return bounds(model, plan.withTableBytes(0));
        return refined;
    }

    private MemoryPlan bounds(BinaryModel model, MemoryPlan plan) {
        long stack = 0, code = baseCodeBytes;
        boolean profits = false;
        for (Block b : model.blocks())
            profits |= select(plan, b).profitsFromTableInRam(plan, b);
        if (!profits && plan.tableBytes() > 0)
            plan = plan.withTableBytes(0); // the planner's SRAM table, but no kernel here is faster with it: flash costs no RAM
        for (Block b : model.blocks()) {
            BlockKernel k = select(plan, b);
            long s = k.stackBytes(plan, b), c = k.codeBytes(plan, b);
            if (s < 0 || c < 0)
                return plan;
            stack = Math.max(stack, s);
            code += c;
        }
        return plan.withBounds(Math.max(plan.stackBytes(), stack), Math.max(plan.codeBytes(), code));
    }
}
