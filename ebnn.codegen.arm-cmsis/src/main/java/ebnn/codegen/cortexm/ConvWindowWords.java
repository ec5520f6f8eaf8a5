package ebnn.codegen.cortexm;

import java.util.ArrayList;
import java.util.List;

import ebnn.api.binary.Block;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.PoolCombine;
import ebnn.api.binary.PoolGeometry;
import ebnn.api.model.Shape;
import ebnn.codegen.c.gen.BlockKernel;
import ebnn.codegen.c.gen.ConvKernel;
import ebnn.codegen.c.gen.ModelSource;

/**
 * Byte-input conv on Thumb-2 cores (M3, M4, M7, M33) whose filter fits one 32-bit register (at most 32
 * taps, e.g. ConvPool-1's 5x5 first layer) and whose rows are wider than {@link ConvRows} takes, any
 * number of filters: per conv position the window's bytes are gathered once into a few 32-bit words
 * (each row's whole four-byte groups by one unaligned load, the rows' remaining bytes packed together),
 * and every filter's sum under its 1-weights is one AND with a precomputed byte mask and one
 * {@code __usada8} per word (16-bit lanes without DSP). A window of zero bytes (most of an MNIST digit's
 * surroundings) gives every filter the accumulator of an empty window, so its bits are a constant
 * computed once per call. Windows touching the border take the portable register-mask accumulator.
 * The masks (one word per filter and window word), the bounds and the empty-window bits are on the
 * block's stack.
 */
final class ConvWindowWords implements BlockKernel {
    static final ConvWindowWords KERNEL = new ConvWindowWords();

    private ConvWindowWords() {
    }

    @Override
    public String id() {
        return "cm-conv-bytes-words";
    }

    /** One window word: the taps in its four byte lanes (-1: lane unused) and each lane's byte offset from the window's first byte. */
    record Word(int[] taps, int[] offsets, boolean wholeLoad) {
    }

    /** The window words of conv {@code c}: per row its whole four-byte groups, then the rows' remaining bytes four to a word. */
    static List<Word> layout(ConvBlock c) {
        Shape in = c.inputShape();
        int ic = in.channels(), rowBytes = c.kernelW() * ic, kh = c.kernelH();
        List<Word> words = new ArrayList<>();
        List<int[]> rest = new ArrayList<>();
        for (int ky = 0; ky < kh; ky++) {
            int rowOff = ky * in.width() * ic;
            for (int g = 0; g + 4 <= rowBytes; g += 4) {
                int[] t = new int[4], o = new int[4];
                for (int l = 0; l < 4; l++) {
                    t[l] = ky * rowBytes + g + l;
                    o[l] = rowOff + g + l;
                }
                words.add(new Word(t, o, true));
            }
            for (int b = rowBytes / 4 * 4; b < rowBytes; b++)
                rest.add(new int[] { ky * rowBytes + b, rowOff + b });
        }
        for (int k = 0; k < rest.size(); k += 4) {
            int[] t = { -1, -1, -1, -1 }, o = { -1, -1, -1, -1 };
            for (int l = 0; l < 4 && k + l < rest.size(); l++) {
                t[l] = rest.get(k + l)[0];
                o[l] = rest.get(k + l)[1];
            }
            words.add(new Word(t, o, false));
        }
        return words;
    }

    @Override
    public boolean applies(MemoryPlan plan, Block b) {
        return b instanceof ConvBlock c && !plan.device().core().equals("cortex-m0") && ConvKernel.maskWindow(plan, c) && c.weights().cols() <= 32
                && plan.staticRamBytes() + stackBytes(plan, b) <= plan.device().ramBytes();
    }

    /** Stack of the block: the common Cortex-M frame, the masks, bounds and empty-window bits. */
    @Override
    public long stackBytes(MemoryPlan plan, Block b) {
        ConvBlock c = (ConvBlock) b;
        return CortexMSelector.STACK_BASE + 4L * c.outChannels() * (layout(c).size() + 1) + 4L * groups(c);
    }

    /** Code: the filters are unrolled, ~4 instructions per window word and 6 per filter on Thumb-2, with room. */
    @Override
    public long codeBytes(MemoryPlan plan, Block b) {
        ConvBlock c = (ConvBlock) b;
        return CortexMSelector.CODE_CONV + 2048 + 24L * c.outChannels() * (layout(c).size() + 2);
    }

    private static int groups(ConvBlock c) {
        return (c.outChannels() + 31) / 32;
    }

    @Override
    public void emit(ModelSource src, int i, Block b, String sig, StringBuilder sb) {
        ConvBlock c = (ConvBlock) b;
        String acc = ConvKernel.MASK.accumulator(src, i, c, sb);
        Shape in = c.inputShape(), conv = c.convShape(), out = c.outputShape();
        int ic = in.channels(), kh = c.kernelH(), kw = c.kernelW(), oc = c.outChannels(), taps = c.weights().cols();
        List<Word> words = layout(c);
        int nw = words.size(), groups = groups(c);
        int mult = c.byteInput().multiplier(), off = c.byteInput().offset();
        List<PoolCombine> combine = c.output().combine();
        String w = src.weightSymbol(i);
        sb.append("/*\n * Cortex-M conv (").append(id()).append("): per conv position the window's ").append(taps).append(" bytes in ").append(nw)
                .append(" words, loaded once; per filter one AND\n * with its byte mask and one usada8 per word: s1, and acc = ").append(mult)
                .append(" * (2 * s1 - s)").append(off != 0 ? " + " + off + " * (2 * ones - " + taps + ")" : "")
                .append(" with s the window's sum, compared\n * against a per-filter bound in those units. A window of zero bytes: the bits of an empty window.")
                .append("\n * Windows touching the border use ").append(acc).append(".\n */\n");
        sb.append(sig).append(" {\n");
        sb.append("    uint32_t m[").append(oc * nw).append("]; /* byte masks of each filter's window words */\n");
        sb.append("    int32_t bound[").append(oc).append("]; /* 2 * s1 - s >= bound  <=>  acc >= tau */\n");
        sb.append("    uint32_t zero[").append(groups).append("]; /* the filters' bits for a window of zero bytes, 32 filters a word */\n");
        sb.append("    uint32_t cur = 0, pos = 0;\n    ebnn_idx oy, ox, o;\n");
        for (int g = 0; g < groups; g++)
            sb.append("    zero[").append(g).append("] = 0;\n");
        sb.append("    for (o = 0; o < ").append(oc).append("; o++) {\n");
        sb.append("        const uint32_t wr = (uint32_t)EBNN_RDW(&").append(w).append("[o]);\n");
        for (int k = 0; k < nw; k++) {
            int[] t = words.get(k).taps();
            sb.append("        m[o * ").append(nw).append(" + ").append(k).append("] = ");
            if (t[3] == t[0] + 3 && t[1] == t[0] + 1 && t[2] == t[0] + 2)
                sb.append("ebnn_cm_nibble_mask[(wr >> ").append(t[0]).append(") & 15u]");
            else {
                boolean first = true;
                for (int l = 0; l < 4; l++)
                    if (t[l] >= 0) {
                        sb.append(first ? "" : " | ").append("((0u - ((wr >> ").append(t[l]).append(") & 1u)) & 0x").append(Long.toHexString(0xffL << (8 * l)))
                                .append("u)");
                        first = false;
                    }
            }
            sb.append(";\n");
        }
        sb.append(CortexMKernels.boundStatement(src, c, i, "bound[o]", "wr"));
        sb.append("        if (0 >= bound[o])\n            zero[o / 32] |= 1u << (o % 32);\n");
        sb.append("    }\n");
        // pointers gcc cannot see through, renewed at every position: it would hoist the unrolled filters' loads otherwise
        sb.append("    const uint32_t *mp = m;\n    const int32_t *bp = bound;\n");
        sb.append("    for (oy = 0; oy < ").append(out.height()).append("; oy++)\n");
        sb.append("    for (ox = 0; ox < ").append(out.width()).append("; ox++) {\n");
        sb.append("        uint32_t ");
        for (int g = 0; g < groups; g++)
            sb.append(g > 0 ? ", " : "").append("orv").append(g).append(" = 0, andv").append(g).append(" = 0xffffffffu");
        sb.append(";\n");
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
        sb.append(I).append("    uint32_t ");
        for (int g = 0; g < groups; g++)
            sb.append(g > 0 ? ", " : "").append("v").append(g).append(" = 0");
        sb.append(";\n");
        sb.append(I).append("    const int32_t iy0 = (int32_t)cy * ").append(c.strideH()).append(" - ").append(c.padding().top()).append(";\n");
        sb.append(I).append("    const int32_t ix0 = (int32_t)cx * ").append(c.strideW()).append(" - ").append(c.padding().left()).append(";\n");
        sb.append(I).append("    if (iy0 >= 0 && iy0 <= ").append(in.height() - kh).append(" && ix0 >= 0 && ix0 <= ").append(in.width() - kw).append(") {\n");
        String J = I + "        ";
        sb.append(J).append("const uint8_t *q = in + (iy0 * ").append(in.width()).append(" + ix0) * ").append(ic).append(";\n");
        for (int k = 0; k < nw; k++) {
            Word wd = words.get(k);
            sb.append(J).append("const uint32_t x").append(k).append(" = ");
            if (wd.wholeLoad())
                sb.append("ebnn_cm_ld32(q + ").append(wd.offsets()[0]).append(")");
            else {
                boolean first = true;
                for (int l = 0; l < 4; l++)
                    if (wd.taps()[l] >= 0) {
                        sb.append(first ? "" : " | ").append("((uint32_t)q[").append(wd.offsets()[l]).append("]").append(l > 0 ? " << " + 8 * l : "").append(")");
                        first = false;
                    }
            }
            sb.append(";\n");
        }
        sb.append(J).append("uint32_t s = 0;\n");
        for (int k = 0; k < nw; k++)
            sb.append(J).append("EBNN_CM_MSUM(s, x").append(k).append(", 0xffffffffu);\n");
        sb.append(J).append("s = ebnn_cm_fold16(s);\n");
        sb.append(J).append("if (s == 0) {\n");
        for (int g = 0; g < groups; g++)
            sb.append(J).append("    v").append(g).append(" = zero[").append(g).append("];\n");
        sb.append(J).append("} else {\n");
        sb.append(J).append("    const int32_t s2 = (int32_t)s;\n");
        sb.append(J).append("    EBNN_CM_OPAQUE2(mp, bp);\n");
        for (int o = 0; o < oc; o++) {
            sb.append(J).append("    {\n").append(J).append("        uint32_t e = 0, d = 0;\n");
            for (int k = 0; k < nw; k++)
                sb.append(J).append("        EBNN_CM_MSUM2(e, d, x").append(k).append(", mp[").append(o * nw + k).append("]);\n");
            sb.append(J).append("        (void)d;\n");
            sb.append(J).append("        v").append(o / 32).append(" |= (uint32_t)(2 * (int32_t)ebnn_cm_msum2_value(e, d) - s2 >= bp[").append(o).append("]) << ")
                    .append(o % 32).append(";\n");
            // one filter after the other: gcc would interleave the unrolled filters and spill their partial sums
            sb.append(J).append("        EBNN_CM_OPAQUE(v").append(o / 32).append(");\n");
            sb.append(J).append("    }\n");
        }
        sb.append(J).append("}\n");
        sb.append(I).append("    } else {\n");
        sb.append(I).append("        for (o = 0; o < ").append(oc).append("; o++) {\n");
        sb.append(I).append("            const uint32_t wr = (uint32_t)EBNN_RDW(&").append(w).append("[o]);\n");
        sb.append(I).append("            if (").append(acc).append("(in, wr, (ebnn_idx)cy, (ebnn_idx)cx) >= ").append(src.readThreshold(c, i, "o")).append(") {\n");
        for (int g = 0; g < groups; g++)
            sb.append(I).append("                ").append(g > 0 ? "else " : "").append(g < groups - 1 ? "if (o < " + 32 * (g + 1) + ") " : "").append("v").append(g)
                    .append(" |= 1u << (o - ").append(32 * g).append(");\n");
        sb.append(I).append("            }\n");
        sb.append(I).append("        }\n");
        sb.append(I).append("    }\n");
        for (int g = 0; g < groups; g++)
            sb.append(I).append("    orv").append(g).append(" |= v").append(g).append(";\n").append(I).append("    andv").append(g).append(" &= v").append(g)
                    .append(";\n");
        sb.append(I).append("}\n");
        sb.append("            }\n        }\n");
        // append each group's bits (channel fastest) to the output stream of 32-bit words
        for (int g = 0; g < groups; g++) {
            int n = Math.min(32, oc - 32 * g);
            long andMask = 0;
            for (int ch = 32 * g; ch < 32 * g + n; ch++)
                if (combine.get(ch) == PoolCombine.AND)
                    andMask |= 1L << (ch - 32 * g);
            String nMask = n == 32 ? "0xffffffffu" : "0x" + Long.toHexString((1L << n) - 1) + "u";
            sb.append("        {\n");
            if (andMask == 0)
                sb.append("            const uint32_t pooled = orv").append(g).append(";\n            (void)andv").append(g).append(";\n");
            else
                sb.append("            const uint32_t pooled = ((orv").append(g).append(" & ~0x").append(Long.toHexString(andMask)).append("u) | (andv").append(g)
                        .append(" & 0x").append(Long.toHexString(andMask)).append("u)) & ").append(nMask).append(";\n");
            sb.append("            cur |= pooled << pos;\n");
            sb.append("            pos += ").append(n).append(";\n");
            sb.append("            if (pos >= 32) {\n                *out++ = cur;\n                pos -= 32;\n                cur = pos ? pooled >> (").append(n)
                    .append(" - pos) : 0;\n            }\n");
            sb.append("        }\n");
        }
        sb.append("    }\n    if (pos)\n        *out = cur;\n}\n");
    }
}
