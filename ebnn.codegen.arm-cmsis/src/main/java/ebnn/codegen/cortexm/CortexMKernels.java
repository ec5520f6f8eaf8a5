package ebnn.codegen.cortexm;

import java.util.List;

import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputKind;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.Packing;
import ebnn.api.binary.PoolCombine;
import ebnn.api.binary.PoolGeometry;
import ebnn.api.model.Shape;
import ebnn.codegen.c.gen.ConvKernel;
import ebnn.codegen.c.gen.DenseKernel;
import ebnn.codegen.c.gen.ModelSource;

/**
 * Cortex-M kernels for the shared C generator; the C functions they call are in {@code ebnn_cm.h}.
 * Binary dense rows: popcounts of three words at a time summed in 4-bit fields and byte lanes,
 * emitted straight-line per row. Byte-input dense rows: masked byte sums (16-entry mask table,
 * {@code __usada8} on DSP cores). Byte-input conv with rows of at most 4 bytes (e.g. 3x3 on one
 * channel) and at most 32 filters: per conv position the window's rows are loaded once and every
 * filter's masked sum taken from them; border windows use the generator's portable accumulator.
 * One-channel input thresholds: four pixels per {@code __usub8}/{@code __sel} on DSP cores.
 * Everything else is the generator's portable C with 32-bit words.
 */
final class CortexMKernels {
    private CortexMKernels() {
    }

    /** Words per iteration where a row's carry-save steps run as a loop: 10 steps, the byte lanes' capacity (10 x 24 <= 255). */
    static final int LOOP_WORDS = 30;

    /** popcount(a ^ w) over one binary dense row (see {@link DenseKernel.OnBits#popcount}). */
    static String xorPopcount(int words, String popType) {
        StringBuilder sb = new StringBuilder();
        sb.append("        (void)k;\n");
        // Thumb-2: the carry-save asm step per three words, straight-line over the row
        if (words < 3)
            return sb.append(portablePop(words, popType)).toString();
        sb.append("#if EBNN_CM_T2\n        {\n");
        sb.append("            const uint32_t *pa = a, *pw = w;\n");
        sb.append("            const uint32_t m1 = 0x55555555u, m2 = 0x33333333u, m4 = 0x0f0f0f0fu;\n");
        sb.append("            uint32_t l = 0;\n");
        int k = 0, lanes = 0;
        // a long row as a loop of folds (10 steps = 30 words fill the byte lanes): gcc 12 takes minutes
        // to hours to allocate registers for dozens of straight-line steps (a 5376-input row on M3)
        int folds = words / LOOP_WORDS;
        if (folds >= 2) {
            sb.append("            uint32_t g;\n            for (g = 0; g < ").append(folds).append("; g++) {\n");
            for (int s = 0; s < LOOP_WORDS / 3; s++)
                sb.append("                ebnn_cm_pop3_t2(&pa, &pw, &l, m1, m2, m4);\n");
            sb.append("                pop = (").append(popType).append(")(pop + ebnn_cm_lanes(l));\n                l = 0;\n            }\n");
            k = folds * LOOP_WORDS;
        }
        while (k + 3 <= words) {
            if (lanes + 24 > 255) {
                sb.append("            pop = (").append(popType).append(")(pop + ebnn_cm_lanes(l));\n            l = 0;\n");
                lanes = 0;
            }
            sb.append("            ebnn_cm_pop3_t2(&pa, &pw, &l, m1, m2, m4);\n");
            lanes += 24;
            k += 3;
        }
        if (k < words) {
            if (lanes + 16 > 255) {
                sb.append("            pop = (").append(popType).append(")(pop + ebnn_cm_lanes(l));\n            l = 0;\n");
                lanes = 0;
            }
            sb.append("            l += ebnn_cm_pop").append(words - k).append("(pa, pw);\n");
        }
        sb.append("            pop = (").append(popType).append(")(pop + ebnn_cm_lanes(l));\n");
        sb.append("            (void)pa;\n            (void)pw;\n");
        sb.append("        }\n#else\n").append(portablePop(words, popType)).append("#endif\n");
        return sb.toString();
    }

    /** Portable C: three words at a time, byte lanes folded every 10 groups. */
    private static String portablePop(int words, String popType) {
        StringBuilder sb = new StringBuilder();
        int k = 0, lanes;
        while (k < words) {
            sb.append("        {\n");
            lanes = 0;
            boolean first = true;
            while (k < words && lanes + 24 <= 255) {
                int g = Math.min(3, words - k);
                sb.append("            ").append(first ? "uint32_t l = " : "l += ").append("ebnn_cm_pop").append(g).append("(a + ").append(k)
                        .append(", w + ").append(k).append(");\n");
                first = false;
                lanes += 8 * g;
                k += g;
            }
            sb.append("            pop = (").append(popType).append(")(pop + ebnn_cm_lanes(l));\n        }\n");
        }
        return sb.toString();
    }

    /** The masked byte sum of one byte-input dense row (see {@link DenseKernel.OnBytes#maskedByteSum}). */
    static String maskedByteSum(ModelSource src, DenseBlock dense, int words) {
        StringBuilder sb = new StringBuilder();
        if (nibbleTables(src.plan(), dense))
            sb.append("#if EBNN_CM_T1\n        p1 = ebnn_cm_masked_sum_tab(w, ntab, ").append(dense.inputs()).append("u);\n#else\n");
        sb.append("        p1 = ebnn_cm_masked_sum(in, w, ").append(dense.inputs()).append("u);\n");
        if (nibbleTables(src.plan(), dense))
            sb.append("#endif\n");
        if (dense.byteInput().offset() != 0)
            sb.append("        for (k = 0; k < ").append(words).append("; k++)\n            c1 += (int32_t)ebnn_popcount32(w[k]);\n");
        else
            sb.append("        (void)k;\n");
        return sb.toString();
    }

    /** The sum of a byte-input dense block's input (see {@link DenseKernel.OnBytes#byteSum}). */
    static String byteSum(ModelSource src, DenseBlock dense) {
        String sum = "    pt = ebnn_cm_byte_sum(in, " + dense.inputs() + "u);\n";
        if (!nibbleTables(src.plan(), dense))
            return sum;
        return "#if EBNN_CM_T1\n    uint16_t ntab[EBNN_CM_NTAB(" + dense.inputs() + "u)]; /* " + nibbleTableBytes(dense)
                + " B: the 16 subset sums of every four inputs */\n    pt = ebnn_cm_nibble_table(in, " + dense.inputs() + "u, ntab);\n#else\n" + sum
                + "#endif\n";
    }

    /** Inputs of a byte-input dense block up to which the M0 kernel may use nibble tables (8 KB of stack). */
    static final int NIBBLE_TABLE_MAX_INPUTS = 1024;

    /** Stack bytes of the M0 nibble tables of a byte-input dense block: 16 uint16 sums per four inputs. */
    static long nibbleTableBytes(DenseBlock d) {
        return 32L * ((d.inputs() + 3) / 4);
    }

    /**
     * Whether the byte-input dense block {@code d} runs on nibble tables (Cortex-M0 only): at most
     * {@link #NIBBLE_TABLE_MAX_INPUTS} inputs and the tables fit the device's RAM next to the static
     * data. The same answer for the planner's and the refined plan (their static RAM is the same).
     */
    static boolean nibbleTables(MemoryPlan plan, DenseBlock d) {
        return plan.device().core().equals("cortex-m0") && d.inputKind() == InputKind.BYTES && d.inputs() <= NIBBLE_TABLE_MAX_INPUTS
                && plan.staticRamBytes() + CortexMSelector.STACK_BASE + nibbleTableBytes(d) <= plan.device().ramBytes();
    }

    /** A one-channel input threshold block. */
    static String inputThresholdBlock(ModelSource src, int block, InputThresholdBlock t, String signature) {
        int pixels = t.inputShape().height() * t.inputShape().width();
        return signature + " {\n    ebnn_cm_threshold(in, out, " + pixels + "u, " + src.readThreshold(t, block, "0") + ");\n}\n";
    }

    /** Whether {@link #convBlock} takes a conv block: bytes with the register-mask accumulator, rows of at most 4 bytes, at most 32 taps and filters. */
    static boolean convRows(MemoryPlan plan, ConvBlock c) {
        return ConvKernel.maskWindow(plan, c) && c.kernelW() * c.inputShape().channels() <= 4 && c.weights().cols() <= 32 && c.outChannels() <= 32;
    }

    /** A byte-input conv block on the window's rows (see {@link #convRows}); {@code acc} is the portable register-mask accumulator, emitted before. */
    static String convBlock(ModelSource src, int i, ConvBlock c, String sig, String acc) {
        Shape in = c.inputShape();
        Shape conv = c.convShape();
        Shape out = c.outputShape();
        int ic = in.channels();
        int rowBytes = c.kernelW() * ic;
        int taps = c.weights().cols();
        int oc = c.outChannels();
        int perRow = (int) (Packing.streamBytes(taps, 32) / 4);
        int kh = c.kernelH();
        int mult = c.byteInput().multiplier(), off = c.byteInput().offset();
        String maskType = taps <= 16 ? "uint16_t" : "uint32_t";
        List<PoolCombine> combine = c.output().combine();
        long andMask = 0;
        for (int ch = 0; ch < combine.size(); ch++)
            if (combine.get(ch) == PoolCombine.AND)
                andMask |= 1L << ch;
        String w = src.weightSymbol(i);
        StringBuilder sb = new StringBuilder();
        sb.append("/*\n * Cortex-M conv: per conv position the ").append(kh).append(" window rows are loaded once (one 32-bit load each)\n")
                .append(" * and every filter's masked sum s1 taken from them; acc = ").append(mult).append(" * (2 * s1 - s)")
                .append(off != 0 ? " + " + off + " * (2 * ones - " + taps + ")" : "")
                .append(" with s the window's sum,\n * compared against a per-filter bound in those units. Windows touching the border use ")
                .append(acc).append(".\n */\n");
        if (off == 0) {
            sb.append("/* one row of a window touching the border: bytes outside the input are 0 */\n");
            sb.append("static uint32_t ").append(rowFunction(src, i)).append("(const uint8_t *in, int32_t iy, int32_t ix) {\n");
            sb.append("    uint32_t r = 0;\n    int32_t kx;\n");
            sb.append("    if (iy < 0 || iy >= ").append(in.height()).append(")\n        return 0;\n");
            sb.append("    for (kx = 0; kx < ").append(c.kernelW()).append("; kx++) {\n");
            sb.append("        const int32_t x = ix + kx;\n");
            sb.append("        if (x >= 0 && x < ").append(in.width()).append(") {\n");
            for (int ch = 0; ch < ic; ch++)
                sb.append("            r |= (uint32_t)in[(iy * ").append(in.width()).append(" + x) * ").append(ic).append(" + ").append(ch)
                        .append("] << (8 * (kx * ").append(ic).append(" + ").append(ch).append("));\n");
            sb.append("        }\n    }\n    return r;\n}\n\n");
        }
        // Cortex-M0: interior windows by bit tests on the pixels (Thumb-1 asm), the lanes code only at the border
        boolean t1 = src.plan().device().core().equals("cortex-m0") && kh <= 3;
        String tapsFn = src.prefix() + "_taps" + i;
        if (t1) {
            sb.append("#if EBNN_CM_T1\n/* sum of the window bytes under the filter bits wb (tap t = bit t), rows at q0, q1, q2 */\n");
            sb.append("EBNN_CM_INLINE uint32_t ").append(tapsFn).append("(const uint8_t *q0, const uint8_t *q1, const uint8_t *q2, uint32_t wb) {\n");
            sb.append("    uint32_t s = 0, t;\n    EBNN_CM_T1_TAPS(s, wb, t, q0, q1, q2,");
            for (int ky = 0; ky < kh; ky++)
                for (int b = 0; b < rowBytes; b++)
                    sb.append(b == 0 ? "\n       " : "").append(" EBNN_CM_T1_TAP(q").append(ky).append(", ").append(b).append(")");
            sb.append(");\n    return s;\n}\n#endif\n\n");
        }
        sb.append(sig).append(" {\n");
        if (off == 0)
            sb.append("    (void)").append(acc).append("; /* the portable accumulator is not needed: border rows are zero-padded */\n");
        if (t1)
            sb.append("#if EBNN_CM_T1\n    uint32_t fb[").append(oc).append("]; /* each filter's bits */\n    const uint32_t *fp = fb;\n#endif\n");
        sb.append("#if EBNN_CM_DSP\n    uint32_t m[").append(oc * kh).append("]; /* byte masks of each filter's rows */\n#else\n");
        sb.append("    uint32_t m[").append(2 * oc * kh).append("]; /* each filter row's byte mask split into even and odd bytes (16-bit lanes) */\n#endif\n");
        sb.append("    int32_t bound[").append(oc).append("]; /* 2 * s1 - s >= bound  <=>  acc >= tau */\n");
        sb.append("    uint32_t cur = 0, pos = 0;\n    ebnn_idx oy, ox, o;\n");
        sb.append("    for (o = 0; o < ").append(oc).append("; o++) {\n");
        sb.append("        const uint32_t wr = (uint32_t)").append(filterBits(w, "o", perRow, maskType)).append(";\n");
        if (t1)
            sb.append("#if EBNN_CM_T1\n        fb[o] = wr;\n#endif\n");
        for (int ky = 0; ky < kh; ky++) {
            String mask = "ebnn_cm_nibble_mask[(wr >> " + ky * rowBytes + ") & " + ((1 << rowBytes) - 1) + "u]";
            sb.append("#if EBNN_CM_DSP\n");
            sb.append("        m[o * ").append(kh).append(" + ").append(ky).append("] = ").append(mask).append(";\n#else\n");
            sb.append("        m[(o * ").append(kh).append(" + ").append(ky).append(") * 2] = ").append(mask).append(" & 0x00ff00ffu;\n");
            sb.append("        m[(o * ").append(kh).append(" + ").append(ky).append(") * 2 + 1] = (").append(mask).append(" >> 8) & 0x00ff00ffu;\n#endif\n");
        }
        sb.append(boundStatement(src, c, i, "bound[o]", "wr"));
        sb.append("    }\n");
        // read the masks and bounds through pointers gcc cannot see through, renewed at every conv
        // position: otherwise it hoists the loads of the unrolled filters out of the loops and spills
        // them to a stack frame of a kilobyte
        sb.append("    const uint32_t *mp = m;\n    const int32_t *bp = bound;\n    (void)mp;\n");
        sb.append("    for (oy = 0; oy < ").append(out.height()).append("; oy++)\n");
        sb.append("    for (ox = 0; ox < ").append(out.width()).append("; ox++) {\n");
        sb.append("        uint32_t orv = 0, andv = 0xffffffffu, pooled;\n");
        PoolGeometry p = c.pool();
        String indent;
        if (p != null) {
            sb.append("        ebnn_idx py, px;\n");
            sb.append("        for (py = 0; py < ").append(p.kernelH()).append("; py++) {\n");
            sb.append("            const ebnn_idx cy = (ebnn_idx)(oy * ").append(p.strideH()).append(" - ").append(p.padding().top()).append(" + py);\n");
            sb.append("            if (cy < 0 || cy >= ").append(conv.height()).append(")\n                continue;\n");
            sb.append("            for (px = 0; px < ").append(p.kernelW()).append("; px++) {\n");
            sb.append("                const ebnn_idx cx = (ebnn_idx)(ox * ").append(p.strideW()).append(" - ").append(p.padding().left()).append(" + px);\n");
            sb.append("                if (cx < 0 || cx >= ").append(conv.width()).append(")\n                    continue;\n");
            indent = "                ";
        } else {
            sb.append("        {\n            {\n                const ebnn_idx cy = oy, cx = ox;\n");
            indent = "                ";
        }
        String I = indent;
        String full = "0x" + Long.toHexString((1L << (8 * rowBytes)) - 1) + "u";
        // the filters on the window's rows r0.., unrolled: masks and bounds at constant offsets
        StringBuilder filters = new StringBuilder();
        filters.append(I).append("    EBNN_CM_OPAQUE2(mp, bp);\n");
        filters.append("#if EBNN_CM_DSP\n");
        filters.append(I).append("    {\n");
        filters.append(I).append("        uint32_t s = 0;\n").append(I).append("        int32_t s2;\n");
        for (int ky = 0; ky < kh; ky++)
            filters.append(I).append("        s = EBNN_USADA8(r").append(ky).append(" & ").append(full).append(", 0u, s);\n");
        filters.append(I).append("        s2 = (int32_t)s;\n");
        for (int o = 0; o < oc; o++) {
            filters.append(I).append("        {\n").append(I).append("            uint32_t s1 = 0;\n");
            for (int ky = 0; ky < kh; ky++)
                filters.append(I).append("            s1 = EBNN_USADA8(r").append(ky).append(" & mp[").append(o * kh + ky).append("], 0u, s1);\n");
            filters.append(I).append("            if (2 * (int32_t)s1 - s2 >= bp[").append(o).append("])\n");
            filters.append(I).append("                v |= 0x").append(Long.toHexString(1L << o)).append("u;\n");
            filters.append(I).append("        }\n");
        }
        filters.append(I).append("    }\n#else\n");
        // no DSP: even and odd bytes in 16-bit lanes (at most 2 * rows * 255 each), the odd ones shifted once per row
        filters.append(I).append("    {\n");
        for (int ky = 0; ky < kh; ky++)
            filters.append(I).append("        const uint32_t h").append(ky).append(" = r").append(ky).append(" >> 8;\n");
        filters.append(I).append("        uint32_t s = 0;\n").append(I).append("        int32_t s2;\n");
        for (int ky = 0; ky < kh; ky++)
            filters.append(I).append("        s += (r").append(ky).append(" & ").append(lanes(full, false)).append(") + (h").append(ky).append(" & ")
                    .append(lanes(full, true)).append(");\n");
        filters.append(I).append("        s2 = (int32_t)((s & 0xffffu) + (s >> 16));\n");
        if (src.plan().device().core().equals("cortex-m0")) {
            // Thumb-1 has 8 low registers: a filter loop keeps the rows in registers instead of spilling an unrolled body
            filters.append(I).append("        {\n").append(I).append("            const uint32_t *mq = mp;\n");
            filters.append(I).append("            uint32_t bit = 1;\n");
            filters.append(I).append("            for (o = 0; o < ").append(oc).append("; o++, bit <<= 1, mq += ").append(2 * kh).append(") {\n");
            filters.append(I).append("                uint32_t s1 = 0;\n");
            for (int ky = 0; ky < kh; ky++)
                filters.append(I).append("                s1 += (r").append(ky).append(" & mq[").append(2 * ky).append("]) + (h").append(ky).append(" & mq[")
                        .append(2 * ky + 1).append("]);\n");
            filters.append(I).append("                if (2 * (int32_t)((s1 & 0xffffu) + (s1 >> 16)) - s2 >= bp[o])\n");
            filters.append(I).append("                    v |= bit;\n");
            filters.append(I).append("            }\n").append(I).append("        }\n");
        } else {
            for (int o = 0; o < oc; o++) {
                filters.append(I).append("        {\n").append(I).append("            uint32_t s1 = 0;\n");
                for (int ky = 0; ky < kh; ky++)
                    filters.append(I).append("            s1 += (r").append(ky).append(" & mp[").append(2 * (o * kh + ky)).append("]) + (h").append(ky).append(" & mp[")
                            .append(2 * (o * kh + ky) + 1).append("]);\n");
                filters.append(I).append("            if (2 * (int32_t)((s1 & 0xffffu) + (s1 >> 16)) - s2 >= bp[").append(o).append("])\n");
                filters.append(I).append("                v |= 0x").append(Long.toHexString(1L << o)).append("u;\n");
                filters.append(I).append("        }\n");
            }
        }
        filters.append(I).append("    }\n#endif\n");
        sb.append(I).append("{\n");
        sb.append(I).append("    uint32_t v = 0");
        for (int ky = 0; ky < kh; ky++)
            sb.append(", r").append(ky);
        sb.append(";\n");
        sb.append(I).append("    const int32_t iy0 = (int32_t)cy * ").append(c.strideH()).append(" - ").append(c.padding().top()).append(";\n");
        sb.append(I).append("    const int32_t ix0 = (int32_t)cx * ").append(c.strideW()).append(" - ").append(c.padding().left()).append(";\n");
        sb.append(I).append("    if (iy0 >= 0 && iy0 <= ").append(in.height() - kh).append(" && ix0 >= 0 && ix0 <= ").append(in.width() - c.kernelW())
                .append(" && ((iy0 + ").append(kh - 1).append(") * ").append(in.width()).append(" + ix0) * ").append(ic).append(" + 4 <= ")
                .append((long) in.height() * in.width() * ic).append(") {\n");
        sb.append(I).append("        /* the whole window inside the input (and a 4-byte load at its last row too) */\n");
        sb.append(I).append("        const uint8_t *q = in + (iy0 * ").append(in.width()).append(" + ix0) * ").append(ic).append(";\n");
        if (t1) {
            sb.append("#if EBNN_CM_T1\n");
            sb.append(I).append("        {\n");
            for (int ky = 0; ky < 3; ky++)
                sb.append(I).append("            const uint8_t *q").append(ky).append(" = q + ").append(ky < kh ? ky * in.width() * ic : 0).append(";\n");
            sb.append(I).append("            const int32_t s2 = (int32_t)").append(tapsFn).append("(q0, q1, q2, 0x").append(Long.toHexString((1L << taps(kh, rowBytes)) - 1))
                    .append("u);\n");
            sb.append(I).append("            uint32_t bit = 1;\n");
            sb.append(I).append("            EBNN_CM_OPAQUE(fp);\n");
            sb.append(I).append("            for (o = 0; o < ").append(oc).append("; o++, bit <<= 1)\n");
            sb.append(I).append("                if (2 * (int32_t)").append(tapsFn).append("(q0, q1, q2, fp[o]) - s2 >= bp[o])\n");
            sb.append(I).append("                    v |= bit;\n");
            for (int ky = 0; ky < kh; ky++)
                sb.append(I).append("            (void)r").append(ky).append(";\n");
            sb.append(I).append("        }\n#else\n");
            for (int ky = 0; ky < kh; ky++)
                sb.append(I).append("        r").append(ky).append(" = ebnn_cm_ld32(q + ").append(ky * in.width() * ic).append(");\n");
            sb.append(filters.toString().replace("\n" + I, "\n" + I + "    ").replaceFirst("^" + I, I + "    "));
            sb.append("#endif\n");
            sb.append(I).append("    } else {\n");
            if (off == 0) {
                for (int ky = 0; ky < kh; ky++)
                    sb.append(I).append("        r").append(ky).append(" = ").append(rowFunction(src, i)).append("(in, iy0 + ").append(ky).append(", ix0);\n");
                sb.append(filters.toString().replace("\n" + I, "\n" + I + "    ").replaceFirst("^" + I, I + "    "));
            } else {
                sb.append(I).append("        for (o = 0; o < ").append(oc).append("; o++) {\n");
                sb.append(I).append("            const ").append(maskType).append(" wr = (").append(maskType).append(")").append(filterBits(w, "o", perRow, maskType)).append(";\n");
                sb.append(I).append("            if (").append(acc).append("(in, wr, (ebnn_idx)cy, (ebnn_idx)cx) >= ").append(src.readThreshold(c, i, "o")).append(")\n");
                sb.append(I).append("                v |= 1u << o;\n");
                sb.append(I).append("        }\n");
            }
            sb.append(I).append("    }\n");
        } else {
        for (int ky = 0; ky < kh; ky++)
            sb.append(I).append("        r").append(ky).append(" = ebnn_cm_ld32(q + ").append(ky * in.width() * ic).append(");\n");
        if (off == 0) {
            // padding taps contribute nothing: zero bytes in the rows give exactly that
            sb.append(I).append("    } else {\n");
            for (int ky = 0; ky < kh; ky++)
                sb.append(I).append("        r").append(ky).append(" = ").append(rowFunction(src, i)).append("(in, iy0 + ").append(ky).append(", ix0);\n");
            sb.append(I).append("    }\n");
            sb.append(filters);
        } else {
            // with a byte offset the padding taps change the constant term: the portable accumulator at the border
            sb.append(filters.toString().replace("\n" + I, "\n" + I + "    ").replaceFirst("^" + I, I + "    "));
            sb.append(I).append("    } else {\n");
            sb.append(I).append("        for (o = 0; o < ").append(oc).append("; o++) {\n");
            sb.append(I).append("            const ").append(maskType).append(" wr = (").append(maskType).append(")").append(filterBits(w, "o", perRow, maskType)).append(";\n");
            sb.append(I).append("            if (").append(acc).append("(in, wr, (ebnn_idx)cy, (ebnn_idx)cx) >= ").append(src.readThreshold(c, i, "o")).append(")\n");
            sb.append(I).append("                v |= 1u << o;\n");
            sb.append(I).append("        }\n");
            sb.append(I).append("    }\n");
        }
        }
        sb.append(I).append("    orv |= v;\n").append(I).append("    andv &= v;\n");
        sb.append(I).append("}\n");
        sb.append("            }\n        }\n");
        String ocMask = oc == 32 ? "0xffffffffu" : "0x" + Long.toHexString((1L << oc) - 1) + "u";
        String am = "0x" + Long.toHexString(andMask) + "u";
        if (andMask == 0)
            sb.append("        pooled = orv;\n        (void)andv;\n");
        else
            sb.append("        pooled = ((orv & ~").append(am).append(") | (andv & ").append(am).append(")) & ").append(ocMask).append(";\n");
        // append the oc bits (channel fastest) to the output stream of 32-bit words
        sb.append("        cur |= pooled << pos;\n");
        sb.append("        pos += ").append(oc).append(";\n");
        sb.append("        if (pos >= 32) {\n            *out++ = cur;\n            pos -= 32;\n            cur = pos ? pooled >> (")
                .append(oc).append(" - pos) : 0;\n        }\n");
        sb.append("    }\n    if (pos)\n        *out = cur;\n}\n");
        return sb.toString();
    }

    /**
     * The statement setting {@code target} to filter {@code o}'s bound in units of 2 * s1 - s (s1 the
     * window's bytes under the filter bits {@code wr}, s all its bytes): the smallest d with
     * mult * d + off * (2 * ones - taps) >= tau, clamped to +-10^9 (no overflow in the compares).
     */
    static String boundStatement(ModelSource src, ConvBlock c, int i, String target, String wr) {
        int mult = c.byteInput().multiplier(), off = c.byteInput().offset(), taps = c.weights().cols();
        StringBuilder sb = new StringBuilder();
        sb.append("        {\n            /* smallest d with ").append(mult).append(" * d").append(off != 0 ? " + k" : "").append(" >= tau (ceiling division) */\n");
        sb.append("            int64_t a = (int64_t)").append(src.readThreshold(c, i, "o"));
        if (off != 0)
            sb.append(" - (int64_t)").append(off).append(" * (2 * (int64_t)ebnn_popcount32(").append(wr).append(") - ").append(taps).append(")");
        sb.append(";\n");
        if (mult != 1)
            sb.append("            a = a >= 0 ? (a + ").append(mult - 1).append(") / ").append(mult).append(" : -((-a) / ").append(mult).append(");\n");
        sb.append("            ").append(target).append(" = a < -1000000000 ? -1000000000 : a > 1000000000 ? 1000000000 : (int32_t)a;\n        }\n");
        return sb.toString();
    }

    /** Whether a byte-input conv block runs on per-position row tables (Cortex-M0, no byte offset, offsets fit a byte). */
    static boolean convTables(MemoryPlan plan, ConvBlock c) {
        int rowBytes = c.kernelW() * c.inputShape().channels();
        return plan.device().core().equals("cortex-m0") && c.inputKind() == InputKind.BYTES && c.byteInput().offset() == 0 && rowBytes <= 4
                && c.weights().cols() <= 32 && c.outChannels() <= 32 && 2L * c.kernelH() * (1 << rowBytes) <= 256;
    }

    /** Stack bytes of the M0 conv's row tables (beyond the masks and bounds the other cores' conv code has). */
    static long convTableBytes(ConvBlock c) {
        return 2L * c.kernelH() * (1 << (c.kernelW() * c.inputShape().channels()));
    }

    /**
     * Cortex-M0 conv on bytes: per conv position, for each window row its 2^rowBytes signed sums
     * e[j] = sum of the row's bytes, + under the bits of j and - elsewhere (zero bytes outside the input),
     * built once and shared by all filters; each filter's accumulator is then one table load per row
     * at a byte offset precomputed from its bits.
     */
    static String convTablesM0(ModelSource src, int i, ConvBlock c, String sig, String acc) {
        Shape in = c.inputShape();
        Shape conv = c.convShape();
        Shape out = c.outputShape();
        int ic = in.channels();
        int rowBytes = c.kernelW() * ic;
        int entries = 1 << rowBytes;
        int taps = c.weights().cols();
        int oc = c.outChannels();
        int kh = c.kernelH();
        int perRow = (int) (Packing.streamBytes(taps, 32) / 4);
        int mult = c.byteInput().multiplier();
        String maskType = taps <= 16 ? "uint16_t" : "uint32_t";
        List<PoolCombine> combine = c.output().combine();
        long andMask = 0;
        for (int ch = 0; ch < combine.size(); ch++)
            if (combine.get(ch) == PoolCombine.AND)
                andMask |= 1L << ch;
        String w = src.weightSymbol(i);
        String erow = src.prefix() + "_erow" + i;
        StringBuilder sb = new StringBuilder();
        sb.append("/*\n * Cortex-M0 conv: per conv position and window row the ").append(entries)
                .append(" signed sums e[j] of the row's bytes (+ under the bits of j, - elsewhere;\n")
                .append(" * bytes outside the input are 0), shared by the filters: acc = ").append(mult)
                .append(" * (sum over the rows of e[the filter row's bits]), one table load per row and filter,\n")
                .append(" * compared against a per-filter bound in those units. ").append(acc).append(" is not needed.\n */\n");
        sb.append("static uint32_t ").append(rowFunction(src, i)).append("(const uint8_t *in, int32_t iy, int32_t ix) {\n");
        sb.append("    uint32_t r = 0;\n    int32_t kx;\n");
        sb.append("    if (iy < 0 || iy >= ").append(in.height()).append(")\n        return 0;\n");
        sb.append("    for (kx = 0; kx < ").append(c.kernelW()).append("; kx++) {\n");
        sb.append("        const int32_t x = ix + kx;\n");
        sb.append("        if (x >= 0 && x < ").append(in.width()).append(") {\n");
        for (int ch = 0; ch < ic; ch++)
            sb.append("            r |= (uint32_t)in[(iy * ").append(in.width()).append(" + x) * ").append(ic).append(" + ").append(ch)
                    .append("] << (8 * (kx * ").append(ic).append(" + ").append(ch).append("));\n");
        sb.append("        }\n    }\n    return r;\n}\n\n");
        // the signed sums of one row from its bytes x0..: e[0] = -sum, e[j] = e[j without its lowest bit b] + 2 x_b
        sb.append("EBNN_CM_INLINE void ").append(erow).append("(int16_t *e");
        for (int b = 0; b < rowBytes; b++)
            sb.append(", int32_t x").append(b);
        sb.append(") {\n");
        if (rowBytes == 3) {
            // Thumb-1: 21 instructions in ebnn_cm.h, where gcc's halfword stores take more
            sb.append("#if EBNN_CM_T1\n    ebnn_cm_t1_erow3(e, x0, x1, x2);\n#else\n");
        }
        sb.append("    int32_t e0 = -(x0");
        for (int b = 1; b < rowBytes; b++)
            sb.append(" + x").append(b);
        sb.append(");\n");
        for (int b = 0; b < rowBytes; b++)
            sb.append("    x").append(b).append(" *= 2;\n");
        sb.append("    e[0] = (int16_t)e0;\n");
        for (int j = 1; j < entries; j++) {
            int low = Integer.numberOfTrailingZeros(j);
            sb.append("    const int32_t e").append(j).append(" = e").append(j & ~(1 << low)).append(" + x").append(low).append(";\n");
            sb.append("    e[").append(j).append("] = (int16_t)e").append(j).append(";\n");
        }
        if (rowBytes == 3)
            sb.append("#endif\n");
        sb.append("}\n\n");
        sb.append(sig).append(" {\n");
        sb.append("    (void)").append(acc).append(";\n");
        sb.append("    uint8_t off[").append(oc * kh).append("]; /* byte offset in e of each filter row's entry */\n");
        sb.append("    int32_t bound[").append(oc).append("]; /* sum of the entries >= bound  <=>  acc >= tau */\n");
        sb.append("    int16_t e[").append(kh * entries).append("]; /* the window rows' signed sums */\n");
        sb.append("    uint32_t cur = 0, pos = 0;\n    ebnn_idx oy, ox, o;\n");
        sb.append("    for (o = 0; o < ").append(oc).append("; o++) {\n");
        sb.append("        const uint32_t wr = (uint32_t)").append(filterBits(w, "o", perRow, maskType)).append(";\n");
        for (int ky = 0; ky < kh; ky++)
            sb.append("        off[o * ").append(kh).append(" + ").append(ky).append("] = (uint8_t)(2 * (").append(ky * entries).append(" + ((wr >> ")
                    .append(ky * rowBytes).append(") & ").append(entries - 1).append("u)));\n");
        sb.append("        {\n            /* smallest d with ").append(mult).append(" * d >= tau (ceiling division) */\n");
        sb.append("            int64_t a = (int64_t)").append(src.readThreshold(c, i, "o")).append(";\n");
        if (mult != 1)
            sb.append("            a = a >= 0 ? (a + ").append(mult - 1).append(") / ").append(mult).append(" : -((-a) / ").append(mult).append(");\n");
        sb.append("            bound[o] = a < -1000000000 ? -1000000000 : a > 1000000000 ? 1000000000 : (int32_t)a;\n        }\n");
        sb.append("    }\n");
        sb.append("    for (oy = 0; oy < ").append(out.height()).append("; oy++)\n");
        sb.append("    for (ox = 0; ox < ").append(out.width()).append("; ox++) {\n");
        sb.append("        uint32_t orv = 0, andv = 0xffffffffu, pooled;\n");
        PoolGeometry p = c.pool();
        if (p != null) {
            sb.append("        ebnn_idx py, px;\n");
            sb.append("        for (py = 0; py < ").append(p.kernelH()).append("; py++) {\n");
            sb.append("            const ebnn_idx cy = (ebnn_idx)(oy * ").append(p.strideH()).append(" - ").append(p.padding().top()).append(" + py);\n");
            sb.append("            if (cy < 0 || cy >= ").append(conv.height()).append(")\n                continue;\n");
            sb.append("            for (px = 0; px < ").append(p.kernelW()).append("; px++) {\n");
            sb.append("                const ebnn_idx cx = (ebnn_idx)(ox * ").append(p.strideW()).append(" - ").append(p.padding().left()).append(" + px);\n");
            sb.append("                if (cx < 0 || cx >= ").append(conv.width()).append(")\n                    continue;\n");
        } else {
            sb.append("        {\n            {\n                const ebnn_idx cy = oy, cx = ox;\n");
        }
        String I = "                ";
        sb.append(I).append("{\n");
        sb.append(I).append("    uint32_t v = 0, bit = 1;\n");
        sb.append(I).append("    const int32_t iy0 = (int32_t)cy * ").append(c.strideH()).append(" - ").append(c.padding().top()).append(";\n");
        sb.append(I).append("    const int32_t ix0 = (int32_t)cx * ").append(c.strideW()).append(" - ").append(c.padding().left()).append(";\n");
        sb.append(I).append("    if (iy0 >= 0 && iy0 <= ").append(in.height() - kh).append(" && ix0 >= 0 && ix0 <= ").append(in.width() - c.kernelW()).append(") {\n");
        sb.append(I).append("        const uint8_t *q = in + (iy0 * ").append(in.width()).append(" + ix0) * ").append(ic).append(";\n");
        for (int ky = 0; ky < kh; ky++) {
            sb.append(I).append("        ").append(erow).append("(e + ").append(ky * entries);
            for (int b = 0; b < rowBytes; b++)
                sb.append(", q[").append(ky * in.width() * ic + b).append("]");
            sb.append(");\n");
        }
        sb.append(I).append("    } else {\n");
        for (int ky = 0; ky < kh; ky++) {
            sb.append(I).append("        {\n").append(I).append("            const uint32_t r = ").append(rowFunction(src, i)).append("(in, iy0 + ").append(ky)
                    .append(", ix0);\n");
            sb.append(I).append("            ").append(erow).append("(e + ").append(ky * entries);
            for (int b = 0; b < rowBytes; b++)
                sb.append(", (int32_t)((r >> ").append(8 * b).append(") & 255u)");
            sb.append(");\n").append(I).append("        }\n");
        }
        sb.append(I).append("    }\n");
        sb.append(I).append("    {\n");
        sb.append(I).append("        const uint8_t *op = off, *eb = (const uint8_t *)e;\n");
        sb.append(I).append("        const int32_t *bp = bound;\n");
        sb.append("#if EBNN_CM_T1\n");
        // Thumb-1, filters unrolled from the last: s - bound < 0 (no overflow: |s| < 2^16, |bound| <= 10^9) shifted into v
        // by lsrs #32 (its bit 31 to carry) and adcs: v collects the complements, filter o at bit o
        sb.append(I).append("        uint32_t s, t;\n");
        sb.append(I).append("        EBNN_CM_T1_FILTERS(v, s, t, op, eb, bp,");
        int base = 0;
        for (int o = oc - 1; o >= 0; o--) {
            sb.append("\n").append(I).append("           ");
            if (o * kh + kh - 1 - base > 31 || o * kh < base) {
                // ldrb reaches 31 bytes past op: move op (filters are visited from the last)
                int nb = Math.max(0, o * kh + kh - 1 - 31);
                sb.append(" EBNN_CM_T1_OP_").append(nb > base ? "ADD" : "SUB").append("(").append(Math.abs(nb - base)).append(")");
                base = nb;
            }
            for (int ky = 0; ky < kh; ky++)
                sb.append(ky == 0 ? " EBNN_CM_T1_ROW0(" : " EBNN_CM_T1_ROW(").append(o * kh + ky - base).append(")");
            sb.append(" EBNN_CM_T1_BIT(").append(4 * o).append(")");
        }
        sb.append(");\n");
        sb.append(I).append("        v = ~v & ").append(oc == 32 ? "0xffffffffu" : "0x" + Long.toHexString((1L << oc) - 1) + "u").append(";\n");
        sb.append(I).append("        (void)bit;\n        (void)o;\n");
        sb.append("#else\n");
        sb.append(I).append("        for (o = 0; o < ").append(oc).append("; o++, op += ").append(kh).append(", bit <<= 1) {\n");
        sb.append(I).append("            const int32_t s = ");
        for (int ky = 0; ky < kh; ky++)
            sb.append(ky > 0 ? " + " : "").append("*(const int16_t *)(const void *)(eb + op[").append(ky).append("])");
        sb.append(";\n");
        sb.append(I).append("            if (s >= bp[o])\n").append(I).append("                v |= bit;\n");
        sb.append(I).append("        }\n");
        sb.append("#endif\n");
        sb.append(I).append("    }\n");
        sb.append(I).append("    orv |= v;\n").append(I).append("    andv &= v;\n");
        sb.append(I).append("}\n");
        sb.append("            }\n        }\n");
        String ocMask = oc == 32 ? "0xffffffffu" : "0x" + Long.toHexString((1L << oc) - 1) + "u";
        String am = "0x" + Long.toHexString(andMask) + "u";
        if (andMask == 0)
            sb.append("        pooled = orv;\n        (void)andv;\n");
        else
            sb.append("        pooled = ((orv & ~").append(am).append(") | (andv & ").append(am).append(")) & ").append(ocMask).append(";\n");
        sb.append("        cur |= pooled << pos;\n");
        sb.append("        pos += ").append(oc).append(";\n");
        sb.append("        if (pos >= 32) {\n            *out++ = cur;\n            pos -= 32;\n            cur = pos ? pooled >> (")
                .append(oc).append(" - pos) : 0;\n        }\n");
        sb.append("    }\n    if (pos)\n        *out = cur;\n}\n");
        return sb.toString();
    }

    /** The even (or odd, shifted down) bytes of a byte mask literal, as 16-bit lanes. */
    private static String lanes(String fullMask, boolean odd) {
        long v = Long.decode(fullMask.substring(0, fullMask.length() - 1));
        long lane = (odd ? v >>> 8 : v) & 0x00ff00ffL;
        return "0x" + Long.toHexString(lane) + "u";
    }

    private static int taps(int kh, int rowBytes) {
        return kh * rowBytes;
    }

    private static String rowFunction(ModelSource src, int i) {
        return src.prefix() + "_row" + i;
    }

    /** The filter's bits (all taps fit one or two words of the row) as an expression of type maskType. */
    private static String filterBits(String w, String o, int perRow, String maskType) {
        String row = "&" + w + "[(int32_t)" + o + " * " + perRow + "]";
        return "(" + maskType + ")EBNN_RDW(" + row + ")";
    }
}
