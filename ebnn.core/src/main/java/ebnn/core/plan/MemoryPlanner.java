package ebnn.core.plan;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.Block;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.Packing;

/**
 * Exact memory of a binary model on a device, every size from the {@link Packing} rules the code
 * generators share (so planned bytes are the sizes of the arrays the generated code declares):
 * <ul>
 * <li>flash: per block the packed weight rows (each row padded to the device word) and the
 * thresholds (int16 or int32) or score multipliers and offsets; plus a code estimate;</li>
 * <li>RAM: the input buffer (one byte per element, HWC), two ping-pong bit buffers (block i writes
 * buffer i % 2, each sized to the largest output written into it, padded to whole words), the
 * int32 scores (for a bit-vector output: the caller's packed output bytes, the last block writing
 * its bits into a buffer like a hidden one), and a stack estimate.</li>
 * </ul>
 * Stack and code are estimates per instruction set until a back end measures them (see
 * {@link #STACK_BYTES}, {@link #CODE_BYTES}); the data sizes are exact.
 */
public final class MemoryPlanner {
    /**
     * Stack upper bound of the inference loop per architecture: a few saved registers, loop
     * counters and accumulators, no recursion and no arrays on the stack (the buffers are static).
     * AVR 64 B, ARM Cortex-M 128 B, x86-64 512 B (ABI red zone and alignment), JVM 0 (the JVM's
     * own stack is not device RAM). Back ends measure and tighten these.
     */
    public static final Map<Device.Arch, Long> STACK_BYTES = table(64, 128, 512, 0);

    /** Inference code estimate per architecture (popcount, the block loops, argmax): AVR 2 KB, ARM 3 KB, x86-64 8 KB, JVM 0. */
    public static final Map<Device.Arch, Long> CODE_BYTES = table(2048, 3072, 8192, 0);

    private MemoryPlanner() {
    }

    private static Map<Device.Arch, Long> table(long avr, long arm, long x86, long jvm) {
        Map<Device.Arch, Long> m = new EnumMap<>(Device.Arch.class);
        m.put(Device.Arch.AVR, avr);
        m.put(Device.Arch.ARM_CORTEX_M, arm);
        m.put(Device.Arch.X86_64, x86);
        m.put(Device.Arch.JVM, jvm);
        return java.util.Collections.unmodifiableMap(m);
    }

    public static MemoryPlan plan(BinaryModel model, Device device) {
        int word = device.wordBits();
        List<MemoryPlan.BlockMemory> blocks = new ArrayList<>();
        long[] buffer = new long[2];
        long scores = 0;
        for (int i = 0; i < model.blocks().size(); i++) {
            Block b = model.blocks().get(i);
            long out = Packing.outputBytes(b, word);
            int buf = b.producesScores() ? -1 : i % 2;
            if (buf < 0)
                scores = out;
            else
                buffer[buf] = Math.max(buffer[buf], out);
            blocks.add(new MemoryPlan.BlockMemory(b.name(), Packing.weightBytes(b, word), Packing.thresholdBytes(b), out, buf));
        }
        if (model.outputKind() == ebnn.api.model.OutputKind.BITS)
            scores = Packing.outputBitBytes(model.classes());
        MemoryPlan p = new MemoryPlan(model.name(), device, model.inputSize(), buffer[0], buffer[1], scores, STACK_BYTES.get(device.arch()),
                CODE_BYTES.get(device.arch()), blocks);
        return popcountTableInRam(model, p) ? p.withTableBytes(MemoryPlan.POPCOUNT_TABLE_RAM) : p;
    }

    /**
     * On an 8-bit AVR core a model with layers on bits counts popcounts through a 256-entry byte
     * table; in SRAM a lookup is ld (2 cycles) instead of lpm (3) and leaves Z to the weights, so the
     * table goes to SRAM when the plan has its {@value MemoryPlan#POPCOUNT_TABLE_RAM} B (256 + worst-case
     * alignment) to spare beside everything else, else it stays in flash. A back end that does not
     * read the table drops the RAM again when it refines the plan.
     */
    static boolean popcountTableInRam(BinaryModel model, MemoryPlan p) {
        Device d = p.device();
        return d.arch() == Device.Arch.AVR && d.wordBits() == 8 && model.blocks().stream().anyMatch(b -> b.inputKind() == ebnn.api.binary.InputKind.BITS)
                && p.ramBytes() + MemoryPlan.POPCOUNT_TABLE_RAM <= d.ramBytes();
    }

    /** A person-readable report of a plan: per block and per region, needed against available. */
    public static String report(MemoryPlan p) {
        StringBuilder sb = new StringBuilder();
        Device d = p.device();
        sb.append("memory plan of '").append(p.model()).append("' on ").append(d.name()).append(" (").append(d.wordBits())
                .append("-bit words)\n");
        sb.append(String.format(java.util.Locale.ROOT, "  %-24s %10s %10s %10s %s%n", "block", "weights", "thresholds", "output", "buffer"));
        for (MemoryPlan.BlockMemory b : p.blocks())
            sb.append(String.format(java.util.Locale.ROOT, "  %-24s %10d %10d %10d %s%n", b.block(), b.weightBytes(), b.thresholdBytes(),
                    b.outputBytes(), b.buffer() < 0 ? "scores" : b.buffer() == 0 ? "A" : "B"));
        sb.append(String.format(java.util.Locale.ROOT, "  flash: %d B data (weights %d + thresholds %d) + %d B code (estimate) = %d B of %d B%n",
                p.dataFlashBytes(), p.weightBytes(), p.thresholdBytes(), p.codeBytes(), p.flashBytes(), d.flashBytes()));
        sb.append(String.format(java.util.Locale.ROOT, "  RAM: input %d + buffer A %d + buffer B %d + %s %d%s + stack %d (estimate) = %d B of %d B%n",
                p.inputBytes(), p.bufferABytes(), p.bufferBBytes(), p.blocks().get(p.blocks().size() - 1).buffer() < 0 ? "scores" : "output bits",
                p.scoreBytes(),
                p.tableBytes() > 0 ? " + popcount table " + p.tableBytes() + " (256 + alignment, in SRAM: faster lookups)" : "", p.stackBytes(),
                p.ramBytes(), d.ramBytes()));
        if (p.fits())
            sb.append("  fits\n");
        else
            p.overflows().forEach(o -> sb.append("  DOES NOT FIT: ").append(o).append('\n'));
        return sb.toString();
    }
}
