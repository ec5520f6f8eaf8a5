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
 * @param codeBytes  estimate of the inference code (the compile report measures the real size)
 * @param stackBytes upper bound of the stack inference uses, as the back end documents it
 */
public record MemoryPlan(String model, Device device, long inputBytes, long bufferABytes, long bufferBBytes,
        long scoreBytes, long stackBytes, long codeBytes, List<BlockMemory> blocks) {

    /** Per block: flash for weights and thresholds, and the bytes of its output in buffer A (0), B (1) or the scores (-1). */
    public record BlockMemory(String block, long weightBytes, long thresholdBytes, long outputBytes, int buffer) {
    }

    public MemoryPlan {
        blocks = List.copyOf(blocks);
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

    /** Static RAM: input, the two buffers and the scores (what a linker puts in .data/.bss). */
    public long staticRamBytes() {
        return inputBytes + bufferABytes + bufferBBytes + scoreBytes;
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
