package ebnn.api.spi;

import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;

/**
 * A back end that writes source code. It returns the files as text and never touches the disk
 * itself: the {@link Toolchain} writes them, refusing paths outside the output folder and, without
 * --force, files of the user's.
 */
public interface CodeGenerator extends Backend {
    /** Generates the sources of {@code model} for the plan's device; the plan's sizes are binding. */
    GeneratedCode generate(BinaryModel model, MemoryPlan plan, CompileOptions options);

    /**
     * This back end's own bounds of the stack and code its generated inference needs for this
     * model, in place of the planner's per-architecture estimates; the data sizes must stay the
     * planner's. The toolchain should plan with it before it checks the budget. Default: the plan
     * unchanged.
     */
    default MemoryPlan refine(BinaryModel model, MemoryPlan plan) {
        return plan;
    }
}
