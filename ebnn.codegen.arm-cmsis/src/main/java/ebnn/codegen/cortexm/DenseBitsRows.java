package ebnn.codegen.cortexm;

import ebnn.api.binary.Block;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.Packing;
import ebnn.codegen.c.gen.DenseKernel;
import ebnn.codegen.c.gen.ModelSource;

/**
 * Binary dense rows thresholded to bits on Thumb-2 cores (M3, M4, M7, M33), the whole row loop in
 * assembly ({@code EBNN_CM_ROWS_T2_FN} of {@code ebnn_cm.h}): the row's popcount by the carry-save step
 * per three words, then 7 instructions per row (9 without DSP) for the compare and the bit, where the
 * C row loop of {@link CortexMSelector.DenseBits} spends ~35 on its lanes, spilled output word,
 * threshold pointer and loop.
 * Applies to rows of 1 to 32 words (the byte lanes hold 10 steps and a tail of one or two words) with
 * int16 thresholds and at most 4094 inputs (immediate operands); everything else stays with
 * {@code cm-dense-bits}. Without Thumb-2 the same source compiles to that kernel's portable rows.
 */
final class DenseBitsRows extends DenseKernel.OnBits {
    static final DenseBitsRows KERNEL = new DenseBitsRows();

    private DenseBitsRows() {
    }

    @Override
    public String id() {
        return "cm-dense-bits-rows";
    }

    private static int words(DenseBlock d) {
        return (int) (Packing.streamBytes(d.inputs(), 32) / 4);
    }

    @Override
    protected boolean fits(MemoryPlan plan, DenseBlock d) {
        int words = words(d), steps = words / 3, tail = words % 3;
        return !plan.device().core().equals("cortex-m0") && !d.producesScores() && Packing.thresholdWidth(d) == 2
                && 24 * steps + 8 * tail <= 255 && d.inputs() + 1 <= 4095;
    }

    @Override
    public long stackBytes(MemoryPlan plan, Block b) {
        return CortexMSelector.STACK_BASE;
    }

    /** One row body (~88 B per step) in the asm loop, plus the portable fallback never compiled on Thumb-2: the C kernel's bound holds. */
    @Override
    public long codeBytes(MemoryPlan plan, Block b) {
        return new CortexMSelector.DenseBits().codeBytes(plan, b);
    }

    @Override
    public void emit(ModelSource src, int i, Block b, String sig, StringBuilder sb) {
        DenseBlock d = (DenseBlock) b;
        int words = words(d), steps = words / 3, tail = words % 3, outputs = d.outputs();
        String fn = src.prefix() + "_rows" + i;
        sb.append("#if EBNN_CM_T2\n/* the row loop of ").append(id()).append(": ").append(steps).append(" carry-save steps")
                .append(tail > 0 ? " and a tail of " + tail + " word" + (tail > 1 ? "s" : "") : "").append(" per row */\n");
        sb.append("EBNN_CM_ROWS_T2_FN(").append(fn).append(",\n    ").append(steps > 0 ? "EBNN_CM_ROW_G3_FIRST" : "EBNN_CM_ROW_CLEAR");
        for (int k = 1; k < steps; k++)
            sb.append(k % 6 == 0 ? "\n   " : "").append(" EBNN_CM_ROW_G3");
        if (tail > 0)
            sb.append(" EBNN_CM_ROW_TAIL").append(tail);
        sb.append(",\n    ").append(4 * words).append(", ").append(d.inputs()).append(", EBNN_CM_ROWS_K(").append(steps).append(", ").append(tail)
                .append(", ").append(d.inputs()).append("))\n#endif\n\n");
        // the portable fallback: the C rows of cm-dense-bits, in the same function
        StringBuilder portable = new StringBuilder();
        new CortexMSelector.DenseBits().emit(src, i, b, "SIGNATURE", portable);
        String body = portable.toString();
        body = body.substring(body.indexOf("SIGNATURE {\n") + "SIGNATURE {\n".length(), body.lastIndexOf("}"));
        sb.append(sig).append(" {\n#if EBNN_CM_T2\n");
        sb.append("    const uint32_t *pa = in, *pw = ").append(src.weightSymbol(i)).append(";\n");
        sb.append("    const int16_t *pt = ").append(src.thresholdSymbol(i)).append(";\n");
        sb.append("    ebnn_idx k;\n");
        sb.append("    for (k = 0; k < ").append((outputs + 31) / 32).append("; k++) {\n");
        sb.append("        /* rows of this output word; the sentinel bit leaves cur after the last of them */\n");
        sb.append("        const uint32_t rows = k < ").append(outputs / 32).append(" ? 32u : ").append(Math.max(1, outputs % 32)).append("u;\n");
        sb.append("        out[k] = ").append(fn).append("(&pa, &pw, &pt, 1u << (rows - 1u)) >> (32u - rows);\n");
        sb.append("    }\n#else\n").append(body).append("#endif\n}\n");
    }
}
