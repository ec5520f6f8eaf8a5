package ebnn.codegen.c.gen;

import ebnn.api.binary.Block;
import ebnn.api.binary.ByteInput;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputKind;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.Packing;

/**
 * The dense kernels: one function per block, rows in order, each row's accumulator thresholded to a
 * bit or mapped to a score. On bits ({@link OnBits}) the accumulator is n - 2·popcount(a ^ w) over
 * whole words; on bytes ({@link OnBytes}) m·(2·P1 - Pt) + o·(2·c1 - n) with P1 the bytes under
 * 1-weights and Pt all bytes. Subclasses (a back end's kernels) replace the inner row computation.
 */
public abstract class DenseKernel implements BlockKernel {
    private final InputKind kind;

    DenseKernel(InputKind kind) {
        this.kind = kind;
    }

    @Override
    public boolean applies(MemoryPlan plan, Block b) {
        return b instanceof DenseBlock d && d.inputKind() == kind && fits(plan, d);
    }

    /** Whether this kernel takes the dense block {@code d} (of its input kind) on the plan's device. */
    protected boolean fits(MemoryPlan plan, DenseBlock d) {
        return true;
    }

    @Override
    public long stackBytes(MemoryPlan plan, Block b) {
        return AvrBounds.stack(plan);
    }

    @Override
    public long codeBytes(MemoryPlan plan, Block b) {
        return AvrBounds.code(plan, 0);
    }

    @Override
    public void emit(ModelSource src, int i, Block b, String sig, StringBuilder sb) {
        DenseBlock dn = (DenseBlock) b;
        int wb = src.plan().device().wordBits();
        int n = dn.inputs();
        int outputs = dn.outputs();
        int perRow = (int) (Packing.streamBytes(n, wb) / (wb / 8));
        boolean scores = dn.producesScores();
        sb.append(sig).append(" {\n    const ebnn_word *w = ").append(src.weightSymbol(i)).append(";\n    ebnn_idx r;\n");
        if (scores)
            sb.append("    int best = 0;\n    int32_t bestScore = 0;\n");
        else
            sb.append("    ebnn_word cur = 0, bit = 1;\n");
        prologue(src, i, dn, sb);
        sb.append("    for (r = 0; r < ").append(outputs).append("; r++) {\n");
        row(src, i, dn, perRow, sb);
        sb.append("        w += ").append(perRow).append(";\n");
        sb.append("        {\n");
        accumulator(src, dn, sb);
        src.emitOutput(sb, dn, i, "r", "            ");
        sb.append("        }\n    }\n");
        if (scores)
            sb.append("    return best;\n");
        else
            sb.append(ModelSource.FLUSH);
        sb.append("}\n");
    }

    /** Statements once per block call, before the rows. */
    abstract void prologue(ModelSource src, int i, DenseBlock dn, StringBuilder sb);

    /** One row's sums into the variables {@link #accumulator} reads; {@code w} points at the row ({@code perRow} words). */
    abstract void row(ModelSource src, int i, DenseBlock dn, int perRow, StringBuilder sb);

    /** Declares {@code const int32_t acc} from the row's sums. */
    abstract void accumulator(ModelSource src, DenseBlock dn, StringBuilder sb);

    /** Dense on bits: XOR + popcount over whole words (padding bits are 0 in both operands and never count). */
    public static class OnBits extends DenseKernel {
        public OnBits() {
            super(InputKind.BITS);
        }

        @Override
        public String id() {
            return "dense-bits";
        }

        @Override
        public boolean usesPopcountTable(MemoryPlan plan, Block b) {
            return plan.device().wordBits() == 8;
        }

        @Override
        final void prologue(ModelSource src, int i, DenseBlock dn, StringBuilder sb) {
        }

        @Override
        final void row(ModelSource src, int i, DenseBlock dn, int perRow, StringBuilder sb) {
            String pop = popType(dn);
            sb.append("        const ebnn_word *a = in;\n        ").append(pop).append(" pop = 0;\n        ebnn_idx k;\n");
            popcount(src, i, dn, perRow, pop, sb);
        }

        /** The C type of the row's popcount {@code pop}. */
        static String popType(DenseBlock dn) {
            return dn.inputs() < 65000 ? "uint16_t" : "uint32_t";
        }

        /**
         * Statements that add popcount(a[k] ^ w[k]) over the {@code words} words of the row to
         * {@code pop} (declared and 0; C type {@code popType}). In scope: {@code const ebnn_word *a}
         * (the input bits), {@code const ebnn_word *w} (the row, advanced by the caller afterwards),
         * {@code ebnn_idx k} (free to use). This one: the portable loop.
         */
        protected void popcount(ModelSource src, int i, DenseBlock dn, int words, String popType, StringBuilder sb) {
            sb.append("        for (k = 0; k < ").append(words).append("; k++)\n")
                    .append("            pop += (").append(popType).append(")EBNN_POPC((ebnn_word)(a[k] ^ EBNN_RDW(&w[k])));\n");
        }

        @Override
        final void accumulator(ModelSource src, DenseBlock dn, StringBuilder sb) {
            sb.append("            const int32_t acc = (int32_t)").append(dn.inputs()).append(" - 2 * (int32_t)pop;\n");
        }
    }

    /**
     * Dense on bits with 8-bit words of at least 8 bytes per row: on AVR the row runs in
     * {@code ebnn_xorpop16_avr} 16-byte steps (then at most one 8-byte step, then the last bytes in
     * C), ~10.5 cycles per weight byte; elsewhere (host builds of 8-bit code) the portable loop.
     */
    public static final class OnBitsAvr extends OnBits {
        @Override
        public String id() {
            return "dense-bits-avr";
        }

        @Override
        protected boolean fits(MemoryPlan plan, DenseBlock d) {
            int perRow = (int) Packing.streamBytes(d.inputs(), 8);
            return plan.device().wordBits() == 8 && plan.tableBytes() == 0 && perRow >= 8 && perRow / 16 <= 255 && popType(d).equals("uint16_t");
        }

        @Override
        protected void popcount(ModelSource src, int i, DenseBlock dn, int perRow, String pop, StringBuilder sb) {
            int chunks16 = perRow / 16, chunks8 = (perRow % 16) / 8, done = 16 * chunks16 + 8 * chunks8;
            String th = "(uint8_t)((uint16_t)" + src.popcountSymbol() + " >> 8)";
            sb.append("#if defined(__AVR__)\n");
            if (chunks16 > 0)
                sb.append("        pop = ebnn_xorpop16_avr(a, w, ").append(chunks16).append(", ").append(th).append(");\n");
            if (chunks8 > 0)
                sb.append("        pop ").append(chunks16 > 0 ? "+" : "").append("= ebnn_xorpop8_avr(a + ").append(16 * chunks16).append(", w + ")
                        .append(16 * chunks16).append(", 1, ").append(th).append(");\n");
            if (done < perRow)
                sb.append("        for (k = ").append(done).append("; k < ").append(perRow).append("; k++)\n")
                        .append("            pop += (").append(pop).append(")EBNN_POPC((ebnn_word)(a[k] ^ EBNN_RDW(&w[k])));\n");
            else
                sb.append("        (void)k;\n");
            sb.append("#else\n");
            super.popcount(src, i, dn, perRow, pop, sb);
            sb.append("#endif\n");
        }
    }

    /**
     * Dense on bits with 8-bit words, the popcount table in SRAM (the plan's choice) and rows of at
     * least 8 bytes: on AVR the rows are interleaved ({@code EBNN_XORPOP_ROWS_AVR}): each segment
     * of up to {@value #MAX_SEGMENT} bytes of the input stays in registers while all rows' segments
     * stream past it, each row's popcount collecting in a uint16 array on the stack (2 B per output);
     * 7 + 16/20 cycles per weight byte against ~10.5 one row at a time with a flash table. The
     * segments cover the row (as even as possible, at most two widths: two loops). Elsewhere the
     * portable loop.
     */
    public static final class OnBitsAvrRows extends OnBits {
        /** The widest segment: 20 activation bytes in r2..r21 (with the row count and the sum, r2..r23 are full). */
        static final int MAX_SEGMENT = 20;

        @Override
        public String id() {
            return "dense-bits-avr-rows";
        }

        @Override
        protected boolean fits(MemoryPlan plan, DenseBlock d) {
            int perRow = (int) Packing.streamBytes(d.inputs(), 8);
            return plan.device().wordBits() == 8 && plan.tableBytes() > 0 && perRow >= 8 && popType(d).equals("uint16_t")
                    && (!AvrBounds.on(plan) || plan.staticRamBytes() + stack(d) <= plan.device().ramBytes());
        }

        @Override
        public boolean profitsFromTableInRam(MemoryPlan plan, Block b) {
            return true;
        }

        private static long stack(DenseBlock d) {
            return AvrBounds.STACK + 2L * d.outputs();
        }

        @Override
        public long stackBytes(MemoryPlan plan, Block b) {
            return AvrBounds.on(plan) ? stack((DenseBlock) b) : -1;
        }

        /**
         * Code of one instance of the segment macro with gcc's loading of its operands: measured ~285 B
         * at 20 bytes (bmlp-128's block: 1,726 B for five instances and the C around them).
         */
        static final long CODE_PER_SEGMENT = 320;

        /** At most one macro instance per segment and group of 255 rows (fewer where gcc keeps a loop), and the C around them. */
        @Override
        public long codeBytes(MemoryPlan plan, Block b) {
            DenseBlock d = (DenseBlock) b;
            int perRow = (int) Packing.streamBytes(d.inputs(), 8);
            long segments = (perRow + MAX_SEGMENT - 1) / MAX_SEGMENT, groups = (d.outputs() + 254) / 255;
            return AvrBounds.on(plan) ? AvrBounds.CODE_PER_BLOCK + CODE_PER_SEGMENT * segments * groups : -1;
        }

        @Override
        public void emit(ModelSource src, int i, Block b, String sig, StringBuilder sb) {
            DenseBlock dn = (DenseBlock) b;
            int n = dn.inputs(), outputs = dn.outputs();
            int perRow = (int) Packing.streamBytes(n, 8);
            // the row in segments of at most MAX_SEGMENT bytes, as even as possible: `wide` segments of width+1 bytes, then width-byte ones
            int segments = (perRow + MAX_SEGMENT - 1) / MAX_SEGMENT, width = perRow / segments, wide = perRow % segments;
            String pop = popType(dn), tab = src.popcountSymbol();
            boolean scores = dn.producesScores();
            sb.append(sig).append(" {\n    const ebnn_word *w = ").append(src.weightSymbol(i)).append(";\n    ebnn_idx r;\n");
            sb.append(scores ? "    int best = 0;\n    int32_t bestScore = 0;\n" : "    ebnn_word cur = 0, bit = 1;\n");
            sb.append("#if defined(__AVR__)\n    uint16_t cnt[").append(outputs).append("]; /* each row's popcount */\n    {\n        ebnn_idx k;\n");
            // groups of at most 255 rows per call (the kernels count rows in a byte); the first segment sets the counts
            for (int r0 = 0; r0 < outputs; r0 += 255) {
                int rows = Math.min(255, outputs - r0);
                String wr = r0 == 0 ? "w" : "(w + " + (long) r0 * perRow + ")", cr = r0 == 0 ? "cnt" : "(cnt + " + r0 + ")";
                int first = wide > 0 ? width + 1 : width;
                sb.append("        EBNN_XORPOP_ROWS_SET_AVR(").append(first).append(", in, ").append(wr).append(", ").append(perRow - first).append(", ")
                        .append(rows).append(", ").append(cr).append(", ").append(tab).append(");\n");
                int from = first;
                for (int seg : new int[] { width + 1, width }) {
                    int to = seg > width ? wide * seg : perRow;
                    if (to > from)
                        sb.append("        for (k = ").append(from).append("; k < ").append(to).append("; k += ").append(seg).append(")\n")
                                .append("            EBNN_XORPOP_ROWS_AVR(").append(seg).append(", in + k, ").append(wr).append(" + k, ").append(perRow - seg)
                                .append(", ").append(rows).append(", ").append(cr).append(", ").append(tab).append(");\n");
                    from = Math.max(from, to);
                }
            }
            sb.append("        (void)k;\n    }\n#endif\n");
            sb.append("    for (r = 0; r < ").append(outputs).append("; r++) {\n");
            sb.append("#if defined(__AVR__)\n        const ").append(pop).append(" pop = (").append(pop).append(")cnt[r];\n#else\n");
            sb.append("        const ebnn_word *a = in;\n        ").append(pop).append(" pop = 0;\n        ebnn_idx k;\n");
            popcount(src, i, dn, perRow, pop, sb);
            sb.append("#endif\n");
            sb.append("        w += ").append(perRow).append(";\n        {\n");
            if (!scores && Packing.thresholdWidth(dn) == 2 && n <= 16383) {
                // int16 thresholds and |acc| <= n: the compare in 16 bits (AVR: half the instructions of int32)
                sb.append("            const int b = (int16_t)(").append(n).append(" - 2 * (int16_t)pop) >= EBNN_RDI16(&").append(src.thresholdSymbol(i))
                        .append("[r]);\n");
                sb.append(ModelSource.PUT_BIT.replace("        ", "            "));
            } else {
                sb.append("            const int32_t acc = (int32_t)").append(n).append(" - 2 * (int32_t)pop;\n");
                src.emitOutput(sb, dn, i, "r", "            ");
            }
            sb.append("        }\n    }\n");
            sb.append(scores ? "    return best;\n" : ModelSource.FLUSH);
            sb.append("}\n");
        }
    }

    /** Dense on bytes: the bytes under each row's 1-weights, a weight byte at a time with the eight bit tests unrolled. */
    public static class OnBytes extends DenseKernel {
        public OnBytes() {
            super(InputKind.BYTES);
        }

        @Override
        public String id() {
            return "dense-bytes";
        }

        @Override
        final void prologue(ModelSource src, int i, DenseBlock dn, StringBuilder sb) {
            // sum of all input bytes, once: acc = m*(2*P1 - Pt) + o*(2*c1 - n) with P1 the bytes under 1-weights
            sb.append("    uint32_t pt = 0;\n");
            byteSum(src, i, dn, sb);
        }

        /**
         * Statements that set {@code uint32_t pt} (declared, 0) to the sum of the {@code dn.inputs()}
         * input bytes {@code const uint8_t *in}, once per block call. This one: the portable loop.
         */
        protected void byteSum(ModelSource src, int i, DenseBlock dn, StringBuilder sb) {
            sb.append("    {\n        ebnn_idx k;\n        for (k = 0; k < ").append(dn.inputs()).append("; k++)\n            pt += in[k];\n    }\n");
        }

        @Override
        final void row(ModelSource src, int i, DenseBlock dn, int perRow, StringBuilder sb) {
            boolean offset = dn.byteInput().offset() != 0;
            sb.append("        uint32_t p1 = 0;\n");
            if (offset)
                sb.append("        int32_t c1 = 0;\n");
            sb.append("        ebnn_idx k;\n");
            maskedByteSum(src, i, dn, perRow, sb);
        }

        /**
         * Statements that set {@code uint32_t p1} (declared, 0) to the sum of the input bytes under
         * the 1-bits of one weight row. In scope: {@code const uint8_t *in} ({@code dn.inputs()}
         * bytes; read no byte past them), {@code const ebnn_word *w} (the row of {@code words}
         * words), {@code ebnn_idx k}. If the byte map has an offset, also add the number of 1-bits of
         * the row to {@code int32_t c1} (declared, 0). This one: a weight byte at a time (bits past
         * the end are padding 0, so no byte past the input is read).
         */
        protected void maskedByteSum(ModelSource src, int i, DenseBlock dn, int perRow, StringBuilder sb) {
            int wb = src.plan().device().wordBits();
            boolean offset = dn.byteInput().offset() != 0;
            sb.append("        for (k = 0; k < ").append(perRow).append("; k++) {\n");
            sb.append("            const ebnn_word wv = EBNN_RDW(&w[k]);\n");
            for (int byteIx = 0; byteIx < wb / 8; byteIx++) {
                String wbyte = wb == 8 ? "wv" : "(uint8_t)(wv >> " + (8 * byteIx) + ")";
                sb.append("            {\n                const uint8_t wb8 = ").append(wbyte).append(";\n");
                sb.append("                if (wb8) {\n");
                sb.append("                    const uint8_t *p = in + (int32_t)k * ").append(wb).append(" + ").append(8 * byteIx).append(";\n");
                sb.append("                    uint16_t part = 0;\n");
                for (int j = 0; j < 8; j++)
                    sb.append("                    if (wb8 & 0x").append(Integer.toHexString(1 << j)).append(")\n                        part += p[").append(j)
                            .append("];\n");
                sb.append("                    p1 += part;\n");
                if (offset)
                    sb.append("                    c1 += (int32_t)")
                            .append(src.usesPopcountTable() ? "EBNN_POPC(wb8)" : "ebnn_popcount16((uint16_t)wb8)").append(";\n");
                sb.append("                }\n            }\n");
            }
            sb.append("        }\n");
        }

        @Override
        final void accumulator(ModelSource src, DenseBlock dn, StringBuilder sb) {
            ByteInput map = dn.byteInput();
            int n = dn.inputs();
            String diff = "((int32_t)(2 * p1) - (int32_t)pt)";
            if (map.offset() == 0)
                sb.append("            const int32_t acc = ").append(map.multiplier() == 1 ? diff : "(int32_t)" + map.multiplier() + " * " + diff).append(";\n");
            else
                // the two terms may each exceed int32 while their sum (the accumulator) does not
                sb.append("            const int32_t acc = (int32_t)((int64_t)").append(map.multiplier()).append(" * ").append(diff)
                        .append(" + (int64_t)").append(map.offset()).append(" * (2 * c1 - ").append(n).append("));\n");
        }
    }
}
