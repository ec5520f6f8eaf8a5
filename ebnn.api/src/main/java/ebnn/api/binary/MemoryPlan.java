package ebnn.api.binary;

import java.util.ArrayList;
import java.util.List;

import ebnn.api.BudgetExceededException;
import ebnn.api.Device;

/**
 * Exact memory of a binary model on a device, by the rules of {@link Packing}. Flash holds weights,
 * thresholds and code; RAM holds the input bytes, two ping-pong bit buffers (block i writes buffer
 * i % 2), the scores and the stack.
 *
 * @param scoreBytes the caller's int32 scores, or for a model whose output is a bit vector the caller's
 *                   {@link Packing#outputBitBytes packed output bytes} (its last block writes a buffer)
 * @param codeBytes  estimate of the inference code (the compile report measures the real size)
 * @param stackBytes upper bound of the stack inference uses, as the back end documents it
 * @param tableBytes RAM for lookup tables the code keeps there when the device has it to spare (the
 *                   planner's choice, see {@link #POPCOUNT_TABLE_RAM}), 0 for none
 */
public record MemoryPlan(String model, Device device, long inputBytes, long bufferABytes, long bufferBBytes,
        long scoreBytes, long stackBytes, long codeBytes, List<BlockMemory> blocks, long tableBytes) {

    /**
     * RAM of a byte popcount table in SRAM on an 8-bit core: 256 B, aligned to 256 so that a lookup
     * is one index byte, so up to 255 B of alignment padding besides.
     */
    public static final long POPCOUNT_TABLE_RAM = 256 + 255;

    /** Per block: flash for weights and thresholds, and the bytes of its output in buffer A (0), B (1) or the scores (-1). */
    public record BlockMemory(String block, long weightBytes, long thresholdBytes, long outputBytes, int buffer) {
    }

    public MemoryPlan {
        blocks = List.copyOf(blocks);
        if (tableBytes < 0)
            throw new IllegalArgumentException("negative table RAM " + tableBytes);
    }

    /** A plan without tables in RAM. */
    public MemoryPlan(String model, Device device, long inputBytes, long bufferABytes, long bufferBBytes, long scoreBytes, long stackBytes,
            long codeBytes, List<BlockMemory> blocks) {
        this(model, device, inputBytes, bufferABytes, bufferBBytes, scoreBytes, stackBytes, codeBytes, blocks, 0);
    }

    /** The same plan with other stack and code bounds (a back end's refinement; the data sizes stay). */
    public MemoryPlan withBounds(long stack, long code) {
        return new MemoryPlan(model, device, inputBytes, bufferABytes, bufferBBytes, scoreBytes, stack, code, blocks, tableBytes);
    }

    /** The same plan with {@code bytes} of table RAM (0: the tables stay in flash). */
    public MemoryPlan withTableBytes(long bytes) {
        return new MemoryPlan(model, device, inputBytes, bufferABytes, bufferBBytes, scoreBytes, stackBytes, codeBytes, blocks, bytes);
    }

    public long weightBytes() {
        return blocks.stream().mapToLong(BlockMemory::weightBytes).sum();
    }

    public long thresholdBytes() {
        return blocks.stream().mapToLong(BlockMemory::thresholdBytes).sum();
    }

    /** Constant data: weights and thresholds. */
    public long dataFlashBytes() {
        return weightBytes() + thresholdBytes();
    }

    public long flashBytes() {
        return dataFlashBytes() + codeBytes;
    }

    /** Static RAM: input, the two buffers, the scores and any tables (what a linker puts in .data/.bss). */
    public long staticRamBytes() {
        return inputBytes + bufferABytes + bufferBBytes + scoreBytes + tableBytes;
    }

    public long ramBytes() {
        return staticRamBytes() + stackBytes;
    }

    public List<BudgetExceededException.Overflow> overflows() {
        List<BudgetExceededException.Overflow> out = new ArrayList<>();
        if (flashBytes() > device.flashBytes())
            out.add(new BudgetExceededException.Overflow("flash", flashBytes(), device.flashBytes()));
        if (ramBytes() > device.ramBytes())
            out.add(new BudgetExceededException.Overflow("RAM", ramBytes(), device.ramBytes()));
        return out;
    }

    public boolean fits() {
        return overflows().isEmpty();
    }

    /** Throws {@link BudgetExceededException} with the numbers when the model does not fit. */
    public MemoryPlan requireFits() {
        List<BudgetExceededException.Overflow> o = overflows();
        if (!o.isEmpty())
            throw new BudgetExceededException(model, device.name(), o);
        return this;
    }
}
