package ebnn.measure;

import java.util.Arrays;

/**
 * What one simulator run gave, per sample: the class and scores the generated code computed, the
 * executed count between the harness's markers (simavr: exact cycles; qemu: instructions, since qemu
 * has no cycle model), and on AVR the stack high-water mark (null where not measured). Plus the
 * sizes from the cross toolchain's {@code size}: the model's object alone and the linked image's RAM.
 *
 * @param classes         class per sample
 * @param scores          scores per sample, back to back (classes() of the model each)
 * @param counts          cycles (AVR) or instructions (Cortex-M) per inference
 * @param stack           stack high-water mark per inference in bytes, or null
 * @param modelFlashBytes code and constants of the model's object file (text, rodata, progmem, data image)
 * @param imageFlashBytes the whole linked image's flash, harness and C runtime included
 * @param staticRamBytes  the linked image's .data + .bss: input, buffers, scores, tables
 */
record Measured(int[] classes, int[] scores, long[] counts, long[] stack, long modelFlashBytes, long imageFlashBytes, long staticRamBytes) {
    int count() {
        return classes.length;
    }

    long minCount() {
        return Arrays.stream(counts).min().orElse(0);
    }

    long maxCount() {
        return Arrays.stream(counts).max().orElse(0);
    }

    double meanCount() {
        return Arrays.stream(counts).average().orElse(0);
    }

    Long maxStack() {
        return stack == null ? null : Arrays.stream(stack).max().orElse(0);
    }
}
