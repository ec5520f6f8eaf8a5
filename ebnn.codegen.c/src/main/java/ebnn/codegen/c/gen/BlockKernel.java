package ebnn.codegen.c.gen;

import org.osgi.annotation.versioning.ConsumerType;

import ebnn.api.binary.Block;
import ebnn.api.binary.MemoryPlan;

/**
 * One way to compute one kind of block in C, as one object: when it applies (block kind, shape,
 * the plan's device), the block function it emits, and what that function costs in stack and code
 * on the device. A back end's {@link KernelSelector} picks one kernel per block; the generator
 * emits that kernel's code and the back end's {@code refine} charges that kernel's costs, so the
 * bounds a memory report promises belong to the code that was written. Every kernel computes
 * exactly the integer contract of {@code ebnn.api.binary}.
 */
@ConsumerType
public interface BlockKernel {
    /** The kernel's name in reports and profiles, e.g. "dense-bits-avr". */
    String id();

    /** Whether this kernel computes block {@code b} on the device of {@code plan}. */
    boolean applies(MemoryPlan plan, Block b);

    /**
     * Appends the definition of block {@code i}'s function with signature {@code signature} (and any
     * helper it needs before it). In scope of the function: {@code in} (bytes or words) and
     * {@code out} (words) or {@code scores}; the source's data symbols ({@link ModelSource#weightSymbol} ...).
     */
    void emit(ModelSource src, int i, Block b, String signature, StringBuilder sb);

    /**
     * Upper bound of the stack in bytes while this block runs (the entry point's frame, the block
     * function's frame, any helper and library frames), on the device of {@code plan}; -1 where this
     * kernel has no measured bound for the device (the planner's estimate stands).
     */
    long stackBytes(MemoryPlan plan, Block b);

    /** Upper bound of this block function's code in bytes (helpers included) on the device of {@code plan}; -1: no measured bound. */
    long codeBytes(MemoryPlan plan, Block b);

    /** Whether the emitted code reads the model's byte popcount table (8-bit words). */
    default boolean usesPopcountTable(MemoryPlan plan, Block b) {
        return false;
    }

    /**
     * Whether this kernel is faster with the popcount table in SRAM than in flash (its code is
     * written for an SRAM table). The selector keeps the planner's SRAM table only where some block's
     * kernel profits from it; every other kernel reads the table from flash, which costs no RAM.
     */
    default boolean profitsFromTableInRam(MemoryPlan plan, Block b) {
        return false;
    }
}
