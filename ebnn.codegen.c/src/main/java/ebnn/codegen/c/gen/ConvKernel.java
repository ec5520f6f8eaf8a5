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
 * The portable conv kernels: one accumulator function per conv position ({@code <prefix>_acc<i>})
 * and a block function that thresholds each position's accumulator, ORs (ANDs) the pool window's
 * bits as they come (the conv map is never stored) and packs the output. The kernels differ in the
 * accumulator: {@link #MASK} (byte input, the filter's bits in one register: at most 16 taps on 8-bit
 * cores, 32 elsewhere), {@link #WORDS} (bit input whose channels fill whole words: XOR + popcount
 * of words), {@link #UNROLLED} (byte input up to {@value #MAX_UNROLLED_TAPS} taps: an unrolled
 * interior window reading each weight word once), {@link #BYTES} and {@link #BITS} (one tap at a time).
 */
public final class ConvKernel implements BlockKernel {
    /** The accumulator of one conv position. */
    enum Window {
        MASK, WORDS, UNROLLED, BYTES, BITS
    }

    /** Byte-input filters up to this many taps get an unrolled interior window (code grows with the taps). */
    static final int MAX_UNROLLED_TAPS = 128;

    public static final ConvKernel MASK = new ConvKernel(Window.MASK, "conv-bytes-mask");
    public static final ConvKernel WORDS = new ConvKernel(Window.WORDS, "conv-bits-words");
    public static final ConvKernel UNROLLED = new ConvKernel(Window.UNROLLED, "conv-bytes-unrolled");
    public static final ConvKernel BYTES = new ConvKernel(Window.BYTES, "conv-bytes");
    public static final ConvKernel BITS = new ConvKernel(Window.BITS, "conv-bits");

    private final Window window;
    private final String id;

    private ConvKernel(Window window, String id) {
        this.window = window;
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean applies(MemoryPlan plan, Block b) {
        return b instanceof ConvBlock c && window(plan, c) == window;
    }

    /** The accumulator a conv block gets from the portable kernels. */
    static Window window(MemoryPlan plan, ConvBlock c) {
        int wb = plan.device().wordBits();
        int cols = c.weights().cols();
        if (c.inputKind() == InputKind.BYTES) {
            // byte input with a small filter (the usual first layer): the filter's bits ride in one register;
            // on 8-bit cores only up to 16 taps (a 32-bit mask spills: ConvPool-1 on AVR took 14.8 M cycles
            // that way, 9.3 M with the word-at-a-time window)
            if (cols <= 16 || cols <= 32 && wb > 8)
                return Window.MASK;
            return cols <= MAX_UNROLLED_TAPS ? Window.UNROLLED : Window.BYTES;
        }
        return wordAlignedBitConv(plan, c) ? Window.WORDS : Window.BITS;
    }

    /** Whether the byte-input conv {@code c} takes the register-mask accumulator on the plan's device. */
    public static boolean maskWindow(MemoryPlan plan, ConvBlock c) {
        return c.inputKind() == InputKind.BYTES && window(plan, c) == Window.MASK;
    }

    @Override
    public boolean usesPopcountTable(MemoryPlan plan, Block b) {
        return window == Window.WORDS && plan.device().wordBits() == 8;
    }

    @Override
    public long stackBytes(MemoryPlan plan, Block b) {
        return AvrBounds.stack(plan);
    }

    @Override
    public long codeBytes(MemoryPlan plan, Block b) {
        boolean unrolled = window == Window.MASK || window == Window.UNROLLED;
        return AvrBounds.code(plan, unrolled ? ((ConvBlock) b).weights().cols() : 0);
    }

    @Override
    public void emit(ModelSource src, int i, Block b, String sig, StringBuilder sb) {
        ConvBlock c = (ConvBlock) b;
        accumulator(src, i, c, sb);
        loop(src, i, c, sig, sb);
    }

    /** The accumulator name of block i. */
    static String accName(ModelSource src, int i) {
        return src.prefix() + "_acc" + i;
    }

    /** The mask type of a register-mask accumulator's filter bits. */
    static String maskType(ConvBlock c) {
        return c.weights().cols() <= 16 ? "uint16_t" : "uint32_t";
    }

    /**
     * Emits the accumulator of one conv position, {@code static int32_t <prefix>_acc<i>(in, wr or
     * wrow, ebnn_idx cy, ebnn_idx cx)}; for {@link #MASK} {@code wr} is the filter's bits (tap t =
     * bit t, taps in (ky, kx, channel) order) as {@link #maskType}, else {@code wrow} its weight row.
     */
    public String accumulator(ModelSource src, int i, ConvBlock c, StringBuilder sb) {
        int wb = src.plan().device().wordBits();
        Shape in = c.inputShape();
        int ic = in.channels();
        boolean bytes = c.inputKind() == InputKind.BYTES;
        String name = accName(src, i);
        int cols = c.weights().cols();
        if (window == Window.MASK) {
            maskAccumulator(src, sb, c, name, maskType(c), cols <= 16 ? 16 : 32);
            return name;
        }
        if (window == Window.WORDS) {
            wordBitConvAcc(src, sb, c, name);
            return name;
        }
            sb.append("static int32_t ").append(name).append("(").append(bytes ? "const uint8_t *in" : "const ebnn_word *in")
                    .append(", const ebnn_word *wrow, ebnn_idx cy, ebnn_idx cx) {\n");
            sb.append("    int32_t acc = 0;\n    ebnn_idx ky, kx, c;\n");
            if (window == Window.UNROLLED)
                wideByteConvInterior(src, sb, c);
            sb.append("    for (ky = 0; ky < ").append(c.kernelH()).append("; ky++) {\n");
            sb.append("        const ebnn_idx iy = (ebnn_idx)(cy * ").append(c.strideH()).append(" - ").append(c.padding().top()).append(" + ky);\n");
            sb.append("        if (iy < 0 || iy >= ").append(in.height()).append(")\n            continue;\n");
            sb.append("        for (kx = 0; kx < ").append(c.kernelW()).append("; kx++) {\n");
            sb.append("            const ebnn_idx ix = (ebnn_idx)(cx * ").append(c.strideW()).append(" - ").append(c.padding().left()).append(" + kx);\n");
            sb.append("            ebnn_idx t, j;\n");
            sb.append("            if (ix < 0 || ix >= ").append(in.width()).append(")\n                continue;\n");
            sb.append("            t = (ebnn_idx)((ky * ").append(c.kernelW()).append(" + kx) * ").append(ic).append(");\n");
            sb.append("            j = (ebnn_idx)((iy * ").append(in.width()).append(" + ix) * ").append(ic).append(");\n");
            sb.append("            for (c = 0; c < ").append(ic).append("; c++, t++, j++) {\n");
            sb.append("                const int wbit = (int)((EBNN_RDW(&wrow[t / ").append(wb).append("]) >> (t % ").append(wb).append(")) & 1u);\n");
            if (bytes) {
                sb.append("                const int32_t q = ").append(ModelSource.q(c.byteInput(), "in[j]")).append(";\n");
                sb.append("                acc += wbit ? q : -q;\n");
            } else {
                sb.append("                const int abit = (int)((in[j / ").append(wb).append("] >> (j % ").append(wb).append(")) & 1u);\n");
                sb.append("                acc += abit == wbit ? 1 : -1;\n");
            }
            sb.append("            }\n        }\n    }\n    return acc;\n}\n\n");
        return name;
    }

    private void loop(ModelSource src, int i, ConvBlock c, String sig, StringBuilder sb) {
        int wb = src.plan().device().wordBits();
        Shape conv = c.convShape();
        Shape out = c.outputShape();
        int perRow = (int) (Packing.streamBytes(c.weights().cols(), wb) / (wb / 8));
        String name = accName(src, i);
        String maskType = maskType(c);
        int maskBits = c.weights().cols() <= 16 ? 16 : 32;
        List<PoolCombine> combine = c.output().combine();
        boolean anyAnd = combine.contains(PoolCombine.AND);
        boolean allAnd = !combine.contains(PoolCombine.OR);
        if (c.pool() != null && anyAnd && !allAnd) {
            // the per-channel pool mode is code, not data: the plan counts only thresholds as flash data
            sb.append("static int ").append(src.prefix()).append("_and").append(i).append("(ebnn_idx c) {\n    switch (c) {\n");
            for (int ch = 0; ch < combine.size(); ch++)
                if (combine.get(ch) == PoolCombine.AND)
                    sb.append("    case ").append(ch).append(":\n");
            sb.append("        return 1;\n    default:\n        return 0;\n    }\n}\n\n");
        }

        sb.append(sig).append(" {\n    ebnn_idx oy, ox, o;\n    ebnn_word cur = 0, bit = 1;\n");
        sb.append("    for (oy = 0; oy < ").append(out.height()).append("; oy++)\n");
        sb.append("    for (ox = 0; ox < ").append(out.width()).append("; ox++)\n");
        sb.append("    for (o = 0; o < ").append(c.outChannels()).append("; o++) {\n");
        sb.append("        const ebnn_word *wrow = ").append(src.weightSymbol(i)).append(" + (int32_t)o * ").append(perRow).append(";\n");
        String rowArg = "wrow";
        if (window == Window.MASK) {
            sb.append("        const ").append(maskType).append(" wr = (").append(maskType).append(")(");
            for (int k = 0; k < perRow && k * wb < maskBits; k++)
                sb.append(k > 0 ? " | " : "").append("((").append(maskType).append(")EBNN_RDW(&wrow[").append(k).append("])")
                        .append(k > 0 ? " << " + k * wb : "").append(")");
            sb.append(");\n");
            rowArg = "wr";
        }
        sb.append("        const int32_t tau = ").append(src.readThreshold(c, i, "o")).append(";\n");
        PoolGeometry p = c.pool();
        if (p == null) {
            sb.append("        const int b = ").append(name).append("(in, ").append(rowArg).append(", oy, ox) >= tau;\n");
        } else {
            String and = allAnd ? "1" : anyAnd ? src.prefix() + "_and" + i + "(o)" : "0";
            sb.append("        const int isAnd = ").append(and).append(";\n");
            sb.append("        int any = 0, all = 1, b;\n        ebnn_idx py, px;\n");
            sb.append("        for (py = 0; py < ").append(p.kernelH()).append("; py++) {\n");
            sb.append("            const ebnn_idx cy = (ebnn_idx)(oy * ").append(p.strideH()).append(" - ").append(p.padding().top()).append(" + py);\n");
            sb.append("            if (cy < 0 || cy >= ").append(conv.height()).append(")\n                continue;\n");
            sb.append("            for (px = 0; px < ").append(p.kernelW()).append("; px++) {\n");
            sb.append("                const ebnn_idx cx = (ebnn_idx)(ox * ").append(p.strideW()).append(" - ").append(p.padding().left()).append(" + px);\n");
            sb.append("                int v;\n");
            sb.append("                if (cx < 0 || cx >= ").append(conv.width()).append(")\n                    continue;\n");
            sb.append("                v = ").append(name).append("(in, ").append(rowArg).append(", cy, cx) >= tau;\n");
            sb.append("                any |= v;\n                all &= v;\n");
            // the pooled bit is decided as soon as one position settles it
            sb.append("                if (isAnd ? !all : any)\n                    goto decided;\n");
            sb.append("            }\n        }\n    decided:\n        b = isAnd ? all : any;\n");
        }
        sb.append(ModelSource.PUT_BIT).append("    }\n").append(ModelSource.FLUSH).append("}\n");
    }
    /**
     * A conv on bits whose channels fill whole words: every tap's channel bits, in the activations
     * and in the weight row, start on a word boundary, so a tap is XOR + popcount of whole words
     * instead of one bit at a time.
     */
    static boolean wordAlignedBitConv(MemoryPlan plan, ConvBlock c) {
        int wb = plan.device().wordBits();
        return c.inputKind() == InputKind.BITS && c.inputShape().channels() % wb == 0;
    }


    /**
     * Interior positions of a byte-input conv whose filter has more taps than one register holds
     * (e.g. 7x7): unrolled with constant offsets, each weight word read once and its bits tested
     * with constant masks, 2*s1 - s as in {@link #fastByteConvAcc}; border positions fall through
     * to the bit loop that follows.
     */
    private static void wideByteConvInterior(ModelSource src, StringBuilder sb, ConvBlock c) {
        int wb = src.plan().device().wordBits();
        Shape in = c.inputShape();
        int ic = in.channels();
        long taps = c.weights().cols();
        String acc = 2 * taps * c.byteInput().maxMagnitude() <= 32767 ? "int16_t" : "int32_t";
        openInteriorWindow(sb, c);
        sb.append("            ").append(acc).append(" s = 0, s1 = 0, q;\n            ebnn_word wk;\n");
        int t = 0;
        for (int ky = 0; ky < c.kernelH(); ky++)
            for (int kx = 0; kx < c.kernelW(); kx++)
                for (int ch = 0; ch < ic; ch++, t++) {
                    if (t % wb == 0)
                        sb.append("            wk = EBNN_RDW(&wrow[").append(t / wb).append("]);\n");
                    int off = (ky * in.width() + kx) * ic + ch;
                    sb.append("            q = (").append(acc).append(")").append(ModelSource.q(c.byteInput(), "p[" + off + "]")).append(";\n");
                    sb.append("            s = (").append(acc).append(")(s + q);\n");
                    sb.append("            if (wk & (ebnn_word)0x").append(Long.toHexString(1L << (t % wb))).append(wb > 32 ? "ULL" : "UL").append(")\n")
                            .append("                s1 = (").append(acc).append(")(s1 + q);\n");
                }
        sb.append("            return (int32_t)2 * s1 - s;\n        }\n    }\n");
    }

    /** Opens the interior-window branch of a byte conv accumulator: p points at the window when it lies wholly inside the input. */
    static void openInteriorWindow(StringBuilder sb, ConvBlock c) {
        Shape in = c.inputShape();
        sb.append("    {\n        const ebnn_idx iy0 = (ebnn_idx)(cy * ").append(c.strideH()).append(" - ").append(c.padding().top()).append(");\n");
        sb.append("        const ebnn_idx ix0 = (ebnn_idx)(cx * ").append(c.strideW()).append(" - ").append(c.padding().left()).append(");\n");
        sb.append("        if (iy0 >= 0 && iy0 <= ").append(in.height() - c.kernelH()).append(" && ix0 >= 0 && ix0 <= ")
                .append(in.width() - c.kernelW()).append(") {\n");
        sb.append("            const uint8_t *p = in + (iy0 * ").append(in.width()).append(" + ix0) * ").append(in.channels()).append(";\n");
    }

    /**
     * acc = matching - differing bits over the taps inside the input = bits - 2 * popcount(a ^ w).
     * On AVR each window row inside the input is one run through {@code ebnn_xorpop_flash_avr} or
     * {@code EBNN_XORPOP_RAM_AVR} (as the plan placed the table): ~11 cycles per byte against ~25.
     */
    private static void wordBitConvAcc(ModelSource src, StringBuilder sb, ConvBlock c, String name) {
        int wb = src.plan().device().wordBits();
        Shape in = c.inputShape();
        int words = in.channels() / wb;
        sb.append("static int32_t ").append(name).append("(const ebnn_word *in, const ebnn_word *wrow, ebnn_idx cy, ebnn_idx cx) {\n");
        boolean avr = AvrBounds.on(src.plan()) && wb == 8 && (long) c.kernelW() * words <= 255;
        if (avr) {
            // on AVR a window row's taps inside the input are one run of bytes in the activations and in the weight row
            String run = src.popcountTableInRam() ? "EBNN_XORPOP_RAM_AVR(r, a, w, n, " + src.popcountSymbol() + ");\n"
                    : "r = ebnn_xorpop_flash_avr(a, w, n, (uint8_t)((uint16_t)" + src.popcountSymbol() + " >> 8));\n";
            sb.append("#if defined(__AVR__)\n    {\n        int32_t bits = 0, pop = 0;\n        ebnn_idx ky;\n");
            sb.append("        const ebnn_idx ix0 = (ebnn_idx)(cx * ").append(c.strideW()).append(" - ").append(c.padding().left()).append(");\n");
            sb.append("        const ebnn_idx kx0 = ix0 < 0 ? (ebnn_idx)-ix0 : 0;\n");
            sb.append("        const ebnn_idx kx1 = ix0 + ").append(c.kernelW()).append(" > ").append(in.width()).append(" ? (ebnn_idx)(").append(in.width())
                    .append(" - ix0) : ").append(c.kernelW()).append(";\n");
            sb.append("        if (kx1 <= kx0)\n            return 0;\n");
            sb.append("        for (ky = 0; ky < ").append(c.kernelH()).append("; ky++) {\n");
            sb.append("            const ebnn_idx iy = (ebnn_idx)(cy * ").append(c.strideH()).append(" - ").append(c.padding().top()).append(" + ky);\n");
            sb.append("            const uint8_t *a, *w;\n            uint8_t n;\n            uint16_t r;\n");
            sb.append("            if (iy < 0 || iy >= ").append(in.height()).append(")\n                continue;\n");
            sb.append("            a = in + (int32_t)(iy * ").append(in.width()).append(" + ix0 + kx0) * ").append(words).append(";\n");
            sb.append("            w = wrow + (ky * ").append(c.kernelW()).append(" + kx0) * ").append(words).append(";\n");
            sb.append("            n = (uint8_t)((kx1 - kx0) * ").append(words).append(");\n");
            sb.append("            ").append(run);
            sb.append("            pop += r;\n            bits += (int32_t)(kx1 - kx0) * ").append(in.channels()).append(";\n        }\n");
            sb.append("        return bits - 2 * pop;\n    }\n#else\n");
        }
        sb.append("    int32_t bits = 0, pop = 0;\n    ebnn_idx ky, kx, k;\n");
        sb.append("    for (ky = 0; ky < ").append(c.kernelH()).append("; ky++) {\n");
        sb.append("        const ebnn_idx iy = (ebnn_idx)(cy * ").append(c.strideH()).append(" - ").append(c.padding().top()).append(" + ky);\n");
        sb.append("        if (iy < 0 || iy >= ").append(in.height()).append(")\n            continue;\n");
        sb.append("        for (kx = 0; kx < ").append(c.kernelW()).append("; kx++) {\n");
        sb.append("            const ebnn_idx ix = (ebnn_idx)(cx * ").append(c.strideW()).append(" - ").append(c.padding().left()).append(" + kx);\n");
        sb.append("            const ebnn_word *a, *w;\n");
        sb.append("            if (ix < 0 || ix >= ").append(in.width()).append(")\n                continue;\n");
        sb.append("            a = in + (int32_t)(iy * ").append(in.width()).append(" + ix) * ").append(words).append(";\n");
        sb.append("            w = wrow + (ky * ").append(c.kernelW()).append(" + kx) * ").append(words).append(";\n");
        sb.append("            for (k = 0; k < ").append(words).append("; k++)\n");
        sb.append("                pop += (int32_t)EBNN_POPC((ebnn_word)(a[k] ^ EBNN_RDW(&w[k])));\n");
        sb.append("            bits += ").append(in.channels()).append(";\n");
        sb.append("        }\n    }\n    return bits - 2 * pop;\n");
        if (avr)
            sb.append("#endif\n");
        sb.append("}\n\n");
    }

    /**
     * Accumulator of one conv position on byte input with the filter's bits in a register: with s
     * the sum of the window's q and s1 the sum under 1-weights, acc = s1 - (s - s1) = 2*s1 - s.
     * Taps in the padding contribute nothing (their weight bits are shifted out unused).
     */
    static void maskAccumulator(ModelSource src, StringBuilder sb, ConvBlock c, String name, String maskType, int maskBits) {
        Shape in = c.inputShape();
        int ic = in.channels();
        long taps = c.weights().cols();
        boolean narrow = 2 * taps * c.byteInput().maxMagnitude() <= 32767;
        String acc = narrow ? "int16_t" : "int32_t";
        int rowShift = c.kernelW() * ic;
        sb.append("static int32_t ").append(name).append("(const uint8_t *in, ").append(maskType).append(" wr, ebnn_idx cy, ebnn_idx cx) {\n");
        sb.append("    ").append(acc).append(" s = 0, s1 = 0;\n    ebnn_idx ky, kx;\n");
        // interior positions (the whole window inside the input): unrolled, constant offsets and bit masks
        openInteriorWindow(sb, c);
        sb.append("            ").append(acc).append(" q;\n");
        int t = 0;
        for (int ky = 0; ky < c.kernelH(); ky++)
            for (int kx = 0; kx < c.kernelW(); kx++)
                for (int ch = 0; ch < ic; ch++, t++) {
                    int off = (ky * in.width() + kx) * ic + ch;
                    sb.append("            q = (").append(acc).append(")").append(ModelSource.q(c.byteInput(), "p[" + off + "]")).append(";\n");
                    sb.append("            s = (").append(acc).append(")(s + q);\n");
                    sb.append("            if (wr & 0x").append(Long.toHexString(1L << t)).append(maskBits == 32 ? "UL" : "u").append(")\n")
                            .append("                s1 = (").append(acc).append(")(s1 + q);\n");
                }
        sb.append("            return (int32_t)2 * s1 - s;\n        }\n    }\n");
        sb.append("    for (ky = 0; ky < ").append(c.kernelH()).append("; ky++) {\n");
        sb.append("        const ebnn_idx iy = (ebnn_idx)(cy * ").append(c.strideH()).append(" - ").append(c.padding().top()).append(" + ky);\n");
        sb.append("        if (iy < 0 || iy >= ").append(in.height()).append(") {\n");
        sb.append(rowShift >= maskBits ? "            wr = 0;\n" : "            wr = (" + maskType + ")(wr >> " + rowShift + ");\n");
        sb.append("            continue;\n        }\n");
        sb.append("        for (kx = 0; kx < ").append(c.kernelW()).append("; kx++) {\n");
        sb.append("            const ebnn_idx ix = (ebnn_idx)(cx * ").append(c.strideW()).append(" - ").append(c.padding().left()).append(" + kx);\n");
        sb.append("            const uint8_t *p;\n");
        if (ic > 1)
            sb.append("            ebnn_idx ch;\n");
        sb.append("            if (ix < 0 || ix >= ").append(in.width()).append(") {\n");
        sb.append(ic >= maskBits ? "                wr = 0;\n" : "                wr = (" + maskType + ")(wr >> " + ic + ");\n");
        sb.append("                continue;\n            }\n");
        sb.append("            p = in + (iy * ").append(in.width()).append(" + ix) * ").append(ic).append(";\n");
        String qexpr = ModelSource.q(c.byteInput(), ic > 1 ? "p[ch]" : "*p");
        String body = "                const " + acc + " q = (" + acc + ")" + qexpr + ";\n"
                + "                s = (" + acc + ")(s + q);\n"
                + "                if (wr & 1u)\n                    s1 = (" + acc + ")(s1 + q);\n"
                + "                wr = (" + maskType + ")(wr >> 1);\n";
        if (ic > 1)
            sb.append("            for (ch = 0; ch < ").append(ic).append("; ch++) {\n").append(body).append("            }\n");
        else
            sb.append("            {\n").append(body).append("            }\n");
        sb.append("        }\n    }\n    return (int32_t)2 * s1 - s;\n}\n\n");
    }
}
