package ebnn.codegen.c.gen;

import java.util.List;

import ebnn.api.binary.Block;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.InputKind;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.Packing;
import ebnn.api.binary.PoolCombine;
import ebnn.api.binary.PoolGeometry;
import ebnn.api.model.Shape;

/**
 * Byte-input conv on AVR (8-bit words, filters up to {@value #MAX_TAPS} taps, int16 accumulators,
 * the tables' stack within the device's RAM, if need be with the popcount table back in flash:
 * {@link KernelSelector#refine} then drops the SRAM table)
 * through per-position subset-sum tables, position-major: each conv position's window is read
 * once for all output channels. The window's taps (in weight-bit order) fall into groups of four;
 * for each group with a nonzero q the position gets a 16-entry table of the sums of q over every
 * subset of its taps, so a channel's sum under its 1-weights is one lookup per nibble of its
 * weight row (s1), and acc = 2*s1 - s with s the window's sum. Groups whose q are all 0 (most of an
 * MNIST digit) are skipped for every channel. With a pool, each pool window's channels are
 * decided together: a channel stops being evaluated once one position settles its pooled bit (OR: a
 * 1, AND: a 0), and the window stops when every channel is settled. Plain C: on the host the same
 * code runs for 8-bit plans (the random-model tests).
 */
final class ConvTablesKernel implements BlockKernel {
    /** At most 16 groups of four taps (a uint16_t mask of nonzero groups, tables of at most 512 B on the stack). */
    static final int MAX_TAPS = 64;

    /**
     * Code of the block function: the loops and the pool state (CODE_BLOCK), the table build and the
     * lookups unrolled per tap (CODE_PER_TAP). Measured (avr-gcc -O2, avr-nm): trained ConvPool-1
     * (5x5) 3,130 B, convpool-16 (3x3) 1,802 B.
     */
    static final long CODE_BLOCK = 1024, CODE_PER_TAP = 128;

    static final ConvTablesKernel INSTANCE = new ConvTablesKernel();

    private ConvTablesKernel() {
    }

    @Override
    public String id() {
        return "conv-bytes-tables-avr";
    }

    @Override
    public boolean applies(MemoryPlan plan, Block b) {
        return b instanceof ConvBlock c && AvrBounds.on(plan) && plan.device().wordBits() == 8 && c.inputKind() == InputKind.BYTES
                && c.weights().cols() <= MAX_TAPS && 2L * c.weights().cols() * c.byteInput().maxMagnitude() <= 32767 && c.outChannels() <= 255
                && plan.staticRamBytes() - plan.tableBytes() + stack(c) <= plan.device().ramBytes();
    }

    private static long stack(ConvBlock c) {
        return AvrBounds.STACK + 32L * groups(c) + (c.pool() != null ? c.outChannels() : 0);
    }

    private static int groups(ConvBlock c) {
        return (c.weights().cols() + 3) / 4;
    }

    /**
     * The block function's frame on top of the portable bound: the tables (32 B per group) and,
     * with a pool, one state byte per channel.
     */
    @Override
    public long stackBytes(MemoryPlan plan, Block b) {
        return AvrBounds.on(plan) ? stack((ConvBlock) b) : -1;
    }

    @Override
    public long codeBytes(MemoryPlan plan, Block b) {
        return AvrBounds.on(plan) ? CODE_BLOCK + CODE_PER_TAP * ((ConvBlock) b).weights().cols() : -1;
    }

    @Override
    public void emit(ModelSource src, int i, Block b, String sig, StringBuilder sb) {
        ConvBlock c = (ConvBlock) b;
        Shape in = c.inputShape(), conv = c.convShape(), out = c.outputShape();
        int taps = c.weights().cols(), g = groups(c), perRow = (taps + 7) / 8, oc = c.outChannels();
        PoolGeometry p = c.pool();
        List<PoolCombine> combine = c.output().combine();
        boolean anyAnd = combine.contains(PoolCombine.AND), allAnd = !combine.contains(PoolCombine.OR);
        if (p != null && anyAnd && !allAnd) {
            // the per-channel pool mode is code, not data (the plan has no RAM or flash array for it)
            sb.append("static uint8_t ").append(src.prefix()).append("_and").append(i).append("(uint8_t c) {\n    switch (c) {\n");
            for (int ch = 0; ch < combine.size(); ch++)
                if (combine.get(ch) == PoolCombine.AND)
                    sb.append("    case ").append(ch).append(":\n");
            sb.append("        return 1;\n    default:\n        return 0;\n    }\n}\n\n");
        }
        // the position's tables: a function, so that the pool's and the plain conv's loops share it
        String tables = src.prefix() + "_tab" + i;
        sb.append("/* the subset sums of conv position (cy, cx): tab[16 g + m] = sum of q over the taps 4 g + j with bit j of m;\n")
                .append("   *s = the window's sum; returns the mask of groups with a nonzero q (the others' tables are not written) */\n");
        String mask = g > 8 ? "uint16_t" : "uint8_t";
        sb.append("static ").append(mask).append(" ").append(tables).append("(const uint8_t *in, ebnn_idx cy, ebnn_idx cx, int16_t *tab, int16_t *s) {\n");
        sb.append("    const ebnn_idx iy0 = (ebnn_idx)(cy * ").append(c.strideH()).append(" - ").append(c.padding().top()).append(");\n");
        sb.append("    const ebnn_idx ix0 = (ebnn_idx)(cx * ").append(c.strideW()).append(" - ").append(c.padding().left()).append(");\n");
        sb.append("    int16_t sum = 0;\n    ").append(mask).append(" nz = 0;\n");
        boolean padded = !c.padding().equals(ebnn.api.model.Padding.NONE);
        if (padded) {
            // taps in the padding contribute nothing: their q is 0 in the tables and the sum
            for (int ky = 0; ky < c.kernelH(); ky++)
                sb.append("    const int vy").append(ky).append(" = iy0 + ").append(ky).append(" >= 0 && iy0 + ").append(ky).append(" < ").append(in.height())
                        .append(";\n");
            for (int kx = 0; kx < c.kernelW(); kx++)
                sb.append("    const int vx").append(kx).append(" = ix0 + ").append(kx).append(" >= 0 && ix0 + ").append(kx).append(" < ").append(in.width())
                        .append(";\n");
            sb.append("    const ebnn_idx base = (ebnn_idx)((iy0 * ").append(in.width()).append(" + ix0) * ").append(in.channels()).append(");\n");
        } else {
            sb.append("    const uint8_t *p = in + (iy0 * ").append(in.width()).append(" + ix0) * ").append(in.channels()).append(";\n");
        }
        int ic = in.channels();
        for (int gi = 0; gi < g; gi++) {
            int n = Math.min(4, taps - 4 * gi);
            sb.append("    {\n");
            for (int j = 0; j < n; j++) {
                int t = 4 * gi + j, ky = t / (c.kernelW() * ic), kx = (t / ic) % c.kernelW(), ch = t % ic;
                int off = (ky * in.width() + kx) * ic + ch;
                String q = "(int16_t)" + ModelSource.q(c.byteInput(), padded ? "in[base + " + off + "]" : "p[" + off + "]");
                sb.append("        const int16_t q").append(j).append(" = ").append(padded ? "vy" + ky + " && vx" + kx + " ? " + q + " : 0" : q).append(";\n");
            }
            StringBuilder any = new StringBuilder();
            for (int j = 0; j < n; j++)
                any.append(j > 0 ? " | " : "").append("q").append(j);
            sb.append("        sum = (int16_t)(sum + ").append(any.toString().replace(" | ", " + ")).append(");\n");
            sb.append("        if (").append(any).append(") {\n            int16_t *t = tab + ").append(16 * gi).append(";\n");
            sb.append("            nz |= 0x").append(Integer.toHexString(1 << gi)).append("u;\n            t[0] = 0;\n");
            // entry m | 1 << j = entry m + q_j for every m < 1 << j
            for (int j = 0; j < n; j++)
                for (int m = 0; m < 1 << j; m++)
                    sb.append("            t[").append(m | 1 << j).append("] = ").append(m == 0 ? "q" + j : "(int16_t)(t[" + m + "] + q" + j + ")").append(";\n");
            sb.append("        }\n    }\n");
        }
        sb.append("    *s = sum;\n    return nz;\n}\n\n");

        String thrType = Packing.thresholdWidth(c) == 2 ? "int16_t" : "int32_t";
        String tau = "EBNN_RDI" + (thrType.equals("int16_t") ? "16" : "32") + "(&" + src.thresholdSymbol(i) + "[o])";
        sb.append(sig).append(" {\n    int16_t tab[").append(16 * g).append("];\n");
        if (p != null && overlapping(p)) {
            streamPool(src, i, c, sb, tables, mask, perRow, g, thrType, tau, allAnd, anyAnd);
            sb.append("}\n");
            return;
        }
        if (p != null)
            sb.append("    uint8_t st[").append(oc).append("]; /* per channel: bit 0 the pooled bit, bit 1 settled */\n");
        sb.append("    ebnn_idx oy, ox;\n    ebnn_word cur = 0, bit = 1;\n");
        sb.append("    for (oy = 0; oy < ").append(out.height()).append("; oy++)\n");
        sb.append("    for (ox = 0; ox < ").append(out.width()).append("; ox++) {\n");
        sb.append("        int16_t s;\n        ").append(mask).append(" nz;\n        uint8_t o;\n        const ebnn_word *w = ").append(src.weightSymbol(i)).append(";\n");
        if (p == null) {
            sb.append("        nz = ").append(tables).append("(in, oy, ox, tab, &s);\n");
            sb.append("        for (o = 0; o < ").append(oc).append("; o++, w += ").append(perRow).append(") {\n");
            channelSum(sb, perRow, g, "            ");
            sb.append("            {\n                const int b = (").append(thrType).append(")(2 * s1 - s) >= ").append(tau).append(";\n");
            sb.append(ModelSource.PUT_BIT.replace("        ", "                ")).append("            }\n        }\n    }\n");
        } else {
            String init = allAnd ? "1" : anyAnd ? src.prefix() + "_and" + i + "(o)" : "0";
            sb.append("        uint8_t open = ").append(oc).append(";\n        ebnn_idx py, px;\n");
            sb.append("        for (o = 0; o < ").append(oc).append("; o++)\n            st[o] = ").append(init).append(";\n");
            sb.append("        for (py = 0; py < ").append(p.kernelH()).append("; py++) {\n");
            sb.append("            const ebnn_idx cy = (ebnn_idx)(oy * ").append(p.strideH()).append(" - ").append(p.padding().top()).append(" + py);\n");
            sb.append("            if (cy < 0 || cy >= ").append(conv.height()).append(")\n                continue;\n");
            sb.append("            for (px = 0; px < ").append(p.kernelW()).append("; px++) {\n");
            sb.append("                const ebnn_idx cx = (ebnn_idx)(ox * ").append(p.strideW()).append(" - ").append(p.padding().left()).append(" + px);\n");
            sb.append("                if (cx < 0 || cx >= ").append(conv.width()).append(")\n                    continue;\n");
            sb.append("                nz = ").append(tables).append("(in, cy, cx, tab, &s);\n");
            sb.append("                for (o = 0, w = ").append(src.weightSymbol(i)).append("; o < ").append(oc).append("; o++, w += ").append(perRow).append(") {\n");
            sb.append("                    if (st[o] & 2)\n                        continue;\n");
            channelSum(sb, perRow, g, "                    ");
            // settled when this position's bit differs from the start value (OR starts at 0, AND at 1)
            sb.append("                    {\n                        const uint8_t v = (").append(thrType).append(")(2 * s1 - s) >= ").append(tau).append(";\n");
            sb.append("                        if (v != (st[o] & 1)) {\n                            st[o] = (uint8_t)(2 | v);\n");
            sb.append("                            if (!--open)\n                                goto settled;\n                        }\n                    }\n");
            sb.append("                }\n            }\n        }\n    settled:\n");
            sb.append("        for (o = 0; o < ").append(oc).append("; o++) {\n            const int b = st[o] & 1;\n");
            sb.append(ModelSource.PUT_BIT.replace("        ", "            ")).append("        }\n    }\n");
        }
        sb.append(ModelSource.FLUSH).append("}\n");
    }

    /** Whether a conv position may lie in more than one pool window (stride below the pool's size). */
    static boolean overlapping(PoolGeometry p) {
        return p.strideH() < p.kernelH() || p.strideW() < p.kernelW();
    }

    /**
     * Overlapping pool windows (e.g. 3x3 at stride 2): each conv position is computed once, its
     * channels' bits combined straight into the output bits of every window that holds it. The
     * output starts at each channel's neutral value (OR 0, AND 1; padding bits 0) and a bit changes
     * only where a position's value settles it, so no state beyond the output buffer is needed.
     * Positions in no window are skipped.
     */
    private static void streamPool(ModelSource src, int i, ConvBlock c, StringBuilder sb, String tables, String mask, int perRow, int g,
            String thrType, String tau, boolean allAnd, boolean anyAnd) {
        PoolGeometry p = c.pool();
        Shape conv = c.convShape(), out = c.outputShape();
        int oc = c.outChannels();
        long bits = (long) out.height() * out.width() * oc, bytes = (bits + 7) / 8;
        String isAnd = allAnd ? "1" : anyAnd ? src.prefix() + "_and" + i + "(o)" : "0";
        sb.append("    ebnn_idx cy, cx, k;\n");
        sb.append("    for (k = 0; k < ").append(bytes).append("; k++)\n        out[k] = 0;\n");
        if (anyAnd) {
            sb.append("    for (k = 0; k < ").append(out.height() * out.width()).append("; k++) {\n        uint8_t o;\n");
            sb.append("        for (o = 0; o < ").append(oc).append("; o++)\n            if (").append(isAnd).append(") {\n");
            sb.append("                const int32_t ix = (int32_t)k * ").append(oc).append(" + o;\n");
            sb.append("                out[ix >> 3] = (ebnn_word)(out[ix >> 3] | (1u << (ix & 7)));\n            }\n    }\n");
        }
        sb.append("    for (cy = 0; cy < ").append(conv.height()).append("; cy++) {\n");
        window(sb, "cy", "oy", p.padding().top(), p.kernelH(), p.strideH(), out.height(), "        ");
        sb.append("        for (cx = 0; cx < ").append(conv.width()).append("; cx++) {\n");
        window(sb, "cx", "ox", p.padding().left(), p.kernelW(), p.strideW(), out.width(), "            ");
        sb.append("            int16_t s;\n            ").append(mask).append(" nz;\n            uint8_t o;\n            const ebnn_word *w = ")
                .append(src.weightSymbol(i)).append(";\n");
        sb.append("            nz = ").append(tables).append("(in, cy, cx, tab, &s);\n");
        sb.append("            for (o = 0; o < ").append(oc).append("; o++, w += ").append(perRow).append(") {\n");
        sb.append("                const uint8_t neutral = ").append(isAnd).append(";\n");
        channelSum(sb, perRow, g, "                ");
        // only a value that settles the windows changes their bits (checking for settled windows first costs more than it saves)
        sb.append("                if (((").append(thrType).append(")(2 * s1 - s) >= ").append(tau).append(") != neutral) {\n");
        sb.append("                    ebnn_idx y, x;\n");
        sb.append("                    for (y = oy0; y <= oy1; y++)\n                        for (x = ox0; x <= ox1; x++) {\n");
        sb.append("                            const int32_t ix = ((int32_t)y * ").append(out.width()).append(" + x) * ").append(oc).append(" + o;\n");
        sb.append("                            if (neutral)\n                                out[ix >> 3] = (ebnn_word)(out[ix >> 3] & ~(1u << (ix & 7)));\n");
        sb.append("                            else\n                                out[ix >> 3] = (ebnn_word)(out[ix >> 3] | (1u << (ix & 7)));\n");
        sb.append("                        }\n                }\n            }\n        }\n    }\n");
    }

    /** Declares the range {@code <o>0 .. <o>1} of pool windows (rows or columns) that hold conv row / column {@code v}; skips v if none. */
    private static void window(StringBuilder sb, String v, String o, int pad, int k, int stride, int n, String ind) {
        sb.append(ind).append("const ebnn_idx ").append(o).append("t = (ebnn_idx)(").append(v).append(" + ").append(pad - k + 1).append(");\n");
        sb.append(ind).append("const ebnn_idx ").append(o).append("0 = ").append(o).append("t <= 0 ? 0 : (ebnn_idx)((").append(o).append("t + ")
                .append(stride - 1).append(") / ").append(stride).append(");\n");
        sb.append(ind).append("const ebnn_idx ").append(o).append("1 = (ebnn_idx)((").append(v).append(" + ").append(pad).append(") / ").append(stride)
                .append(") > ").append(n - 1).append(" ? ").append(n - 1).append(" : (ebnn_idx)((").append(v).append(" + ").append(pad).append(") / ")
                .append(stride).append(");\n");
        sb.append(ind).append("if (").append(o).append("0 > ").append(o).append("1)\n").append(ind).append("    continue;\n");
    }

    /** Declares {@code int16_t s1}: the sum of q under the 1-weights of the row {@code w}, one lookup per nonzero group. */
    private static void channelSum(StringBuilder sb, int perRow, int g, String ind) {
        sb.append(ind).append("int16_t s1 = 0;\n");
        for (int k = 0; k < perRow; k++) {
            int lo = 2 * k, hi = 2 * k + 1;
            String loSum = "s1 = (int16_t)(s1 + tab[" + 16 * lo + " + (wk & 15)]);\n";
            if (hi >= g) {
                // the row's last byte holds one group
                sb.append(ind).append("if (nz & 0x").append(Integer.toHexString(1 << lo)).append("u) {\n");
                sb.append(ind).append("    const uint8_t wk = EBNN_RDW(&w[").append(k).append("]);\n");
                sb.append(ind).append("    ").append(loSum).append(ind).append("}\n");
                continue;
            }
            sb.append(ind).append("if (nz & 0x").append(Integer.toHexString((1 << lo) | (1 << hi))).append("u) {\n");
            sb.append(ind).append("    const uint8_t wk = EBNN_RDW(&w[").append(k).append("]);\n");
            sb.append(ind).append("    if (nz & 0x").append(Integer.toHexString(1 << lo)).append("u)\n").append(ind).append("        ").append(loSum);
            sb.append(ind).append("    if (nz & 0x").append(Integer.toHexString(1 << hi)).append("u)\n").append(ind)
                    .append("        s1 = (int16_t)(s1 + tab[").append(16 * hi).append(" + (wk >> 4)]);\n");
            sb.append(ind).append("}\n");
        }
    }
}
