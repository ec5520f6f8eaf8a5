package ebnn.codegen.cortexm;

import ebnn.api.binary.Block;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.Packing;
import ebnn.codegen.c.gen.DenseKernel;
import ebnn.codegen.c.gen.ModelSource;

/**
 * A binary dense layer whose rows become the class scores, on Thumb-2 cores: the rows' popcounts by
 * the asm row loop of {@link DenseBitsRows} ({@code EBNN_CM_POPS_T2_FN}: 4 instructions per row beyond
 * the popcount with DSP) into a uint16 array on the stack, then the score affine and the argmax in C.
 * Same row limits as {@link DenseBitsRows}; without Thumb-2 the portable rows of {@code cm-dense-bits}.
 */
final class DenseBitsScores extends DenseKernel.OnBits {
    static final DenseBitsScores KERNEL = new DenseBitsScores();

    /** At most this many rows (2 B of stack each). */
    static final int MAX_ROWS = 256;

    private DenseBitsScores() {
    }

    @Override
    public String id() {
        return "cm-dense-bits-scores";
    }

    private static int words(DenseBlock d) {
        return (int) (Packing.streamBytes(d.inputs(), 32) / 4);
    }

    @Override
    protected boolean fits(MemoryPlan plan, DenseBlock d) {
        int words = words(d), steps = words / 3, tail = words % 3;
        return !plan.device().core().equals("cortex-m0") && d.producesScores() && d.outputs() <= MAX_ROWS && 24 * steps + 8 * tail <= 255;
    }

    @Override
    public long stackBytes(MemoryPlan plan, Block b) {
        return CortexMSelector.STACK_BASE + 2L * ((DenseBlock) b).outputs() + 4;
    }

    @Override
    public long codeBytes(MemoryPlan plan, Block b) {
        return new CortexMSelector.DenseBits().codeBytes(plan, b);
    }

    @Override
    public void emit(ModelSource src, int i, Block b, String sig, StringBuilder sb) {
        DenseBlock d = (DenseBlock) b;
        int words = words(d), steps = words / 3, tail = words % 3, outputs = d.outputs();
        String fn = src.prefix() + "_pops" + i;
        sb.append("#if EBNN_CM_T2\n/* the row loop of ").append(id()).append(": ").append(steps).append(" carry-save steps")
                .append(tail > 0 ? " and a tail of " + tail + " word" + (tail > 1 ? "s" : "") : "").append(" per row */\n");
        sb.append("EBNN_CM_POPS_T2_FN(").append(fn).append(",\n    ").append(steps > 0 ? "EBNN_CM_ROW_G3_FIRST" : "EBNN_CM_ROW_CLEAR");
        for (int k = 1; k < steps; k++)
            sb.append(k % 6 == 0 ? "\n   " : "").append(" EBNN_CM_ROW_G3");
        if (tail > 0)
            sb.append(" EBNN_CM_ROW_TAIL").append(tail);
        sb.append(",\n    ").append(4 * words).append(")\n#endif\n\n");
        StringBuilder portable = new StringBuilder();
        new CortexMSelector.DenseBits().emit(src, i, b, "SIGNATURE", portable);
        String body = portable.toString();
        body = body.substring(body.indexOf("SIGNATURE {\n") + "SIGNATURE {\n".length(), body.lastIndexOf("}"));
        sb.append(sig).append(" {\n#if EBNN_CM_T2\n");
        sb.append("    const uint32_t *pa = in, *pw = ").append(src.weightSymbol(i)).append(";\n");
        sb.append("    uint16_t cnt[").append(outputs).append("]; /* each row's accumulator */\n");
        sb.append("    ebnn_idx r;\n    int best = 0;\n    int32_t bestScore = 0;\n");
        sb.append("    ").append(fn).append("(&pa, &pw, cnt, ").append(outputs).append("u);\n");
        sb.append("    for (r = 0; r < ").append(outputs).append("; r++) {\n");
        sb.append("#if EBNN_CM_DSP\n        const int32_t pop = (int32_t)EBNN_CM_ROWS_K0(").append(steps).append(", ").append(tail)
                .append(") - (int32_t)cnt[r];\n#else\n        const int32_t pop = (int32_t)cnt[r];\n#endif\n");
        sb.append("        const int32_t acc = (int32_t)").append(d.inputs()).append(" - 2 * pop;\n");
        src.emitOutput(sb, d, i, "r", "        ");
        sb.append("    }\n    return best;\n#else\n").append(body).append("#endif\n}\n");
    }
}
