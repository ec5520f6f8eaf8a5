package ebnn.codegen.c.gen;

import java.util.List;

import ebnn.api.BackendException;
import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.BitMatrix;
import ebnn.api.binary.Block;
import ebnn.api.binary.ByteInput;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputKind;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.binary.IntArray;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.Packing;
import ebnn.api.binary.PoolCombine;
import ebnn.api.binary.PoolGeometry;
import ebnn.api.binary.Scores;
import ebnn.api.binary.Thresholds;
import ebnn.api.model.Shape;

/**
 * Writes the C99 source and header of one model. The arrays follow {@link Packing} exactly, so
 * their sizes are the plan's: weights as rows of device words (LSB first, each row padded to a
 * whole word), int16/int32 thresholds, int32 score multipliers and offsets, and the two activation
 * buffers sized by the plan. Each block is one static function with its dimensions as constants.
 */
public final class ModelSource {
    /** The runtime header every generated model includes (a resource of this bundle, see {@link #runtimeHeader()}). */
    public static final String RUNTIME_HEADER = "ebnn_rt.h";

    private final BinaryModel model;
    private final MemoryPlan plan;
    private final String sym;
    private final int wb;
    private final String word;
    private final String idx;
    private final Kernels kernels;

    /** The portable C of a model; {@code sym} is the C identifier fragment of the model (see {@link #symbol}). */
    public ModelSource(BinaryModel model, MemoryPlan plan, String sym) {
        this(model, plan, sym, Kernels.PORTABLE);
    }

    /** The C of a model with a target's kernels. */
    public ModelSource(BinaryModel model, MemoryPlan plan, String sym, Kernels kernels) {
        this.model = model;
        this.plan = plan;
        this.sym = sym;
        this.kernels = kernels;
        this.wb = plan.device().wordBits();
        this.word = "uint" + wb + "_t";
        this.idx = maxIndex() < 32000 ? "int16_t" : "int32_t";
    }

    /** The model's C identifier fragment: the explicit symbol if given (checked), else one derived from the model name. */
    public static String symbol(BinaryModel model, String explicit) {
        return explicit != null ? Names.explicitSymbol(explicit) : Names.symbol(model.name());
    }

    /** Text safe inside a C comment (or a report line) for any name. */
    public static String comment(String text) {
        return Names.comment(text);
    }

    public BinaryModel model() {
        return model;
    }

    public MemoryPlan plan() {
        return plan;
    }

    public Kernels kernels() {
        return kernels;
    }

    /** The C type of index variables: int16_t where every index fits, else int32_t. */
    public String indexType() {
        return idx;
    }

    /** The memory report of this source against its plan. */
    public String report() {
        return MemoryReport.text(model, plan, this);
    }

    /** The text of the runtime header {@value #RUNTIME_HEADER}. */
    public static String runtimeHeader() {
        try (java.io.InputStream in = ModelSource.class.getResourceAsStream("/ebnn/codegen/c/" + RUNTIME_HEADER)) {
            if (in == null)
                throw new BackendException("C back end bundle lacks its resource " + RUNTIME_HEADER);
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new BackendException("cannot read " + RUNTIME_HEADER + ": " + e.getMessage(), e);
        }
    }

    public String prefix() {
        return "ebnn_" + sym;
    }

    public String headerName() {
        return prefix() + ".h";
    }

    public String sourceName() {
        return prefix() + ".c";
    }

    public String weightSymbol(int i) {
        return prefix() + "_w" + i;
    }

    public String thresholdSymbol(int i) {
        return prefix() + "_t" + i;
    }

    public String multiplierSymbol(int i) {
        return prefix() + "_m" + i;
    }

    public String offsetSymbol(int i) {
        return prefix() + "_o" + i;
    }

    public String bufferSymbol(int buffer) {
        return prefix() + (buffer == 0 ? "_buf_a" : "_buf_b");
    }

    public String popcountSymbol() {
        return prefix() + "_popcount8";
    }

    public boolean usesPopcountTable() {
        return wb == 8 && model.blocks().stream()
                .anyMatch(b -> b instanceof DenseBlock d && d.inputKind() == InputKind.BITS || b instanceof ConvBlock c && wordAlignedBitConv(c));
    }

    /**
     * A conv on bits whose channels fill whole words: every tap's channel bits, in the activations
     * and in the weight row, start on a word boundary, so a tap is XOR + popcount of whole words
     * instead of one bit at a time.
     */
    private boolean wordAlignedBitConv(ConvBlock c) {
        return c.inputKind() == InputKind.BITS && c.inputShape().channels() % wb == 0;
    }

    /** Byte-input filters up to this many taps get an unrolled interior window (code grows with the taps). */
    static final int MAX_UNROLLED_TAPS = 128;

    /**
     * Interior positions of a byte-input conv whose filter has more taps than one register holds
     * (e.g. 7x7): unrolled with constant offsets, each weight word read once and its bits tested
     * with constant masks, 2*s1 - s as in {@link #fastByteConvAcc}; border positions fall through
     * to the bit loop that follows.
     */
    private void wideByteConvInterior(StringBuilder sb, ConvBlock c) {
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
                    sb.append("            q = (").append(acc).append(")").append(q(c.byteInput(), "p[" + off + "]")).append(";\n");
                    sb.append("            s = (").append(acc).append(")(s + q);\n");
                    sb.append("            if (wk & (ebnn_word)0x").append(Long.toHexString(1L << (t % wb))).append(wb > 32 ? "ULL" : "UL").append(")\n")
                            .append("                s1 = (").append(acc).append(")(s1 + q);\n");
                }
        sb.append("            return (int32_t)2 * s1 - s;\n        }\n    }\n");
    }

    /** Opens the interior-window branch of a byte conv accumulator: p points at the window when it lies wholly inside the input. */
    private static void openInteriorWindow(StringBuilder sb, ConvBlock c) {
        Shape in = c.inputShape();
        sb.append("    {\n        const ebnn_idx iy0 = (ebnn_idx)(cy * ").append(c.strideH()).append(" - ").append(c.padding().top()).append(");\n");
        sb.append("        const ebnn_idx ix0 = (ebnn_idx)(cx * ").append(c.strideW()).append(" - ").append(c.padding().left()).append(");\n");
        sb.append("        if (iy0 >= 0 && iy0 <= ").append(in.height() - c.kernelH()).append(" && ix0 >= 0 && ix0 <= ")
                .append(in.width() - c.kernelW()).append(") {\n");
        sb.append("            const uint8_t *p = in + (iy0 * ").append(in.width()).append(" + ix0) * ").append(in.channels()).append(";\n");
    }

    /** acc = matching - differing bits over the taps inside the input = bits - 2 * popcount(a ^ w). */
    private void wordBitConvAcc(StringBuilder sb, ConvBlock c, String name) {
        Shape in = c.inputShape();
        int words = in.channels() / wb;
        sb.append("static int32_t ").append(name).append("(const ebnn_word *in, const ebnn_word *wrow, ebnn_idx cy, ebnn_idx cx) {\n");
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
        sb.append("        }\n    }\n    return bits - 2 * pop;\n}\n\n");
    }

    /** Largest value an index variable holds (elements, bits, taps, loop bounds), to pick a 16-bit index type where it fits. */
    private long maxIndex() {
        long m = model.inputSize();
        for (Block b : model.blocks()) {
            m = Math.max(m, (long) b.inputShape().size() + wb);
            m = Math.max(m, (long) b.outputShape().size() + wb);
            if (b instanceof ConvBlock c) {
                m = Math.max(m, (long) c.weights().cols() + wb);
                m = Math.max(m, (long) c.convShape().size());
                m = Math.max(m, (long) (c.inputShape().height() + 2L * 64) * (c.inputShape().width() + 2L * 64) * c.inputShape().channels());
            }
            if (b instanceof DenseBlock d)
                m = Math.max(m, (long) d.weights().cols() + wb);
        }
        return m;
    }

    public String header() {
        String guard = prefix().toUpperCase(java.util.Locale.ROOT) + "_H";
        String up = prefix().toUpperCase(java.util.Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        sb.append("/*\n * ").append(headerName()).append(" - integer eBNN model '").append(Names.comment(model.name()))
                .append("' generated by the " + kernels.title() + " for device ").append(plan.device().name()).append(".\n")
                .append(" * C99, no malloc, no float. Not thread-safe: the model's two activation buffers are static.\n */\n");
        sb.append("#ifndef ").append(guard).append("\n#define ").append(guard).append("\n\n#include <stdint.h>\n\n");
        sb.append("#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
        Shape in = model.input();
        sb.append("/* input: ").append(in.channels()).append(" channel(s) of ").append(in.height()).append("x").append(in.width())
                .append(" unsigned bytes, HWC order (channels interleaved) */\n");
        sb.append("#define ").append(up).append("_INPUT_SIZE ").append(model.inputSize()).append("\n");
        sb.append("#define ").append(up).append("_INPUT_CHANNELS ").append(in.channels()).append("\n");
        sb.append("#define ").append(up).append("_INPUT_HEIGHT ").append(in.height()).append("\n");
        sb.append("#define ").append(up).append("_INPUT_WIDTH ").append(in.width()).append("\n");
        sb.append("#define ").append(up).append("_CLASSES ").append(model.classes()).append("\n\n");
        if (!model.labels().isEmpty()) {
            sb.append("/* classes:");
            for (int i = 0; i < model.labels().size(); i++)
                sb.append(' ').append(i).append('=').append(Names.comment(model.labels().get(i)));
            sb.append(" */\n");
        }
        sb.append("/*\n * Classifies one sample: input holds ").append(up).append("_INPUT_SIZE bytes; scores (may be NULL)\n")
                .append(" * receives ").append(up).append("_CLASSES int32 scores. Returns the class: the index of the highest\n")
                .append(" * score, ties to the lowest index.\n */\n");
        sb.append("int ").append(prefix()).append("_infer(const uint8_t *input, int32_t *scores);\n\n");
        sb.append("#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
        return sb.toString();
    }

    public String source() {
        StringBuilder sb = new StringBuilder();
        Device d = plan.device();
        sb.append("/*\n * ").append(sourceName()).append(" - integer eBNN model '").append(Names.comment(model.name()))
                .append("' for ").append(d.name()).append(" (").append(wb).append("-bit words).\n")
                .append(" * Generated by the ").append(kernels.title()).append("; the array sizes are exactly those of the memory plan.\n")
                .append(" * Every block writes each word of its output whole (bits gathered in a register, padding bits 0),\n")
                .append(" * so nothing from an earlier inference survives in the activation buffers.\n */\n");
        sb.append("#include \"").append(headerName()).append("\"\n#include \"ebnn_rt.h\"\n").append(kernels.sourcePrologue(this)).append("\n");
        sb.append("typedef ").append(word).append(" ebnn_word;\n");
        sb.append("typedef ").append(idx).append(" ebnn_idx;\n\n");
        // the two planned activation buffers: the only mutable globals
        for (int buf = 0; buf < 2; buf++) {
            long bytes = buf == 0 ? plan.bufferABytes() : plan.bufferBBytes();
            if (bytes > 0)
                sb.append("static ebnn_word ").append(bufferSymbol(buf)).append('[').append(bytes / (wb / 8)).append(']')
                        .append(kernels.bufferAttribute()).append("; /* ")
                        .append(bytes).append(" bytes, buffer ").append(buf == 0 ? 'A' : 'B').append(" */\n");
        }
        sb.append('\n');
        if (usesPopcountTable()) {
            sb.append("/* popcount of a byte: a table lookup is the fastest correct form on 8-bit targets */\n");
            sb.append("static const uint8_t ").append(popcountSymbol()).append("[256] EBNN_FLASH EBNN_ALIGN256 = {");
            for (int i = 0; i < 256; i++)
                sb.append(i % 32 == 0 ? "\n    " : " ").append(Integer.bitCount(i)).append(i < 255 ? "," : "");
            sb.append("\n};\n#define EBNN_POPC(x) EBNN_RDU8(&").append(popcountSymbol()).append("[(x)])\n\n");
        } else if (wb == 8) {
            // no popcount needed
        } else {
            sb.append("#define EBNN_POPC(x) ebnn_popcount").append(wb).append("(x)\n\n");
        }
        sb.append("#define EBNN_RDW(p) EBNN_RDU").append(wb).append("(p)\n\n");
        List<Block> blocks = model.blocks();
        for (int i = 0; i < blocks.size(); i++)
            data(sb, i, blocks.get(i));
        for (int i = 0; i < blocks.size(); i++)
            function(sb, i, blocks.get(i));
        // entry point
        sb.append("int ").append(prefix()).append("_infer(const uint8_t *input, int32_t *scores) {\n");
        for (int i = 0; i < blocks.size(); i++) {
            String in = i == 0 ? "input" : bufferSymbol(plan.blocks().get(i - 1).buffer());
            if (i == blocks.size() - 1)
                sb.append("    return ").append(prefix()).append("_b").append(i).append('(').append(in).append(", scores);\n");
            else
                sb.append("    ").append(prefix()).append("_b").append(i).append('(').append(in).append(", ")
                        .append(bufferSymbol(plan.blocks().get(i).buffer())).append(");\n");
        }
        sb.append("}\n");
        return sb.toString();
    }

    private void data(StringBuilder sb, int i, Block b) {
        sb.append("/* block ").append(i).append(" '").append(Names.comment(b.name())).append("': ").append(kind(b)).append(' ')
                .append(b.inputShape()).append(" -> ").append(b.outputShape()).append(" */\n");
        BitMatrix w = b instanceof ConvBlock c ? c.weights() : b instanceof DenseBlock dn ? dn.weights() : null;
        if (w != null) {
            long words = Packing.weightBytes(b, wb) / (wb / 8);
            sb.append("static const ebnn_word ").append(weightSymbol(i)).append('[').append(words).append("] EBNN_FLASH = {");
            long[] row = new long[w.wordsPerRow()];
            int perRow = (int) (Packing.streamBytes(w.cols(), wb) / (wb / 8));
            int perLine = wb == 8 ? 16 : wb == 16 ? 12 : wb == 32 ? 8 : 4;
            long n = 0;
            for (int r = 0; r < w.rows(); r++) {
                w.rowWords(r, row, 0);
                for (int k = 0; k < perRow; k++) {
                    long bitOffset = (long) k * wb;
                    long v = row[(int) (bitOffset >>> 6)] >>> (bitOffset & 63);
                    if (wb < 64)
                        v &= (1L << wb) - 1;
                    sb.append(n % perLine == 0 ? "\n    " : " ").append(hex(v));
                    if (++n < words)
                        sb.append(',');
                }
            }
            sb.append("\n};\n");
        }
        if (b instanceof InputThresholdBlock t) {
            intArray(sb, "int16_t", thresholdSymbol(i), t.thresholds());
        } else if (b.output() instanceof Thresholds t) {
            intArray(sb, Packing.thresholdWidth(b) == 2 ? "int16_t" : "int32_t", thresholdSymbol(i), t.tau());
        } else if (b.output() instanceof Scores s) {
            intArray(sb, "int32_t", multiplierSymbol(i), s.multiplier());
            intArray(sb, "int32_t", offsetSymbol(i), s.offset());
        }
        sb.append('\n');
    }

    private static String kind(Block b) {
        if (b instanceof InputThresholdBlock)
            return "input threshold";
        if (b instanceof ConvBlock c)
            return "conv " + c.kernelH() + "x" + c.kernelW() + (c.pool() != null ? " + pool " + c.pool().kernelH() + "x" + c.pool().kernelW() : "")
                    + (c.producesScores() ? " -> scores" : " + threshold");
        return "dense" + (b.producesScores() ? " -> scores" : " + threshold");
    }

    private String hex(long v) {
        String h = "0x" + Long.toHexString(v);
        return wb == 64 ? h + "ULL" : wb == 32 ? h + "UL" : wb == 16 ? h + "u" : h;
    }

    private static void intArray(StringBuilder sb, String type, String name, IntArray values) {
        sb.append("static const ").append(type).append(' ').append(name).append('[').append(values.length()).append("] EBNN_FLASH = {");
        for (int i = 0; i < values.length(); i++) {
            int v = values.get(i);
            sb.append(i % 12 == 0 ? "\n    " : " ").append(v == Integer.MIN_VALUE ? "INT32_MIN" : Integer.toString(v));
            if (i < values.length() - 1)
                sb.append(',');
        }
        sb.append("\n};\n");
    }

    /** An int32 C expression reading threshold {@code index} of block {@code i}. */
    public String readThreshold(Block b, int i, String index) {
        boolean narrow = b instanceof InputThresholdBlock || Packing.thresholdWidth(b) == 2;
        return "(int32_t)EBNN_RDI" + (narrow ? "16" : "32") + "(&" + thresholdSymbol(i) + "[" + index + "])";
    }

    /** The byte-to-integer map of a first block, as an int32 expression of the byte expression {@code p}. */
    public static String q(ByteInput m, String p) {
        if (m.multiplier() == 1 && m.offset() == 0)
            return "(int32_t)" + p;
        String e = "(int32_t)" + m.multiplier() + " * (int32_t)" + p;
        return "(" + (m.offset() == 0 ? e : e + " + (int32_t)" + m.offset()) + ")";
    }

    /** Appends bit {@code b} to the output word {@code cur} (mask {@code bit}), storing full words at {@code out++}. */
    public static final String PUT_BIT = "        if (b) cur |= bit;\n"
            + "        bit = (ebnn_word)(bit << 1);\n"
            + "        if (!bit) {\n            *out++ = cur;\n            cur = 0;\n            bit = 1;\n        }\n";
    /** Stores the last, partial output word. */
    public static final String FLUSH = "    if (bit != 1)\n        *out = cur;\n";

    private void function(StringBuilder sb, int i, Block b) {
        String name = prefix() + "_b" + i;
        String inType = b.inputKind() == InputKind.BYTES ? "const uint8_t *in" : "const ebnn_word *in";
        boolean scores = b.producesScores();
        String sig = scores ? "EBNN_BLOCK int " + name + "(" + inType + ", int32_t *scores)"
                : "EBNN_BLOCK void " + name + "(" + inType + ", ebnn_word *out)";
        String custom = b instanceof InputThresholdBlock t ? kernels.inputThresholdBlock(this, i, t, sig) : null;
        if (custom != null)
            sb.append(custom);
        else if (b instanceof InputThresholdBlock t)
            inputThreshold(sb, sig, i, t);
        else if (b instanceof DenseBlock dn)
            dense(sb, sig, i, dn);
        else
            conv(sb, sig, i, (ConvBlock) b);
        sb.append('\n');
    }

    private void inputThreshold(StringBuilder sb, String sig, int i, InputThresholdBlock t) {
        int c = t.inputShape().channels();
        int pixels = t.inputShape().height() * t.inputShape().width();
        if (c == 1 && wb == 8) {
            // one channel, byte words: eight unsigned compares build each output byte
            int full = pixels / 8, rest = pixels % 8;
            sb.append(sig).append(" {\n    const int16_t t16 = (int16_t)").append(readThreshold(t, i, "0")).append(";\n");
            sb.append("    ebnn_idx p;\n");
            sb.append("    if (t16 <= 0 || t16 > 255) {\n        /* every bit the same: pixel >= t always (t <= 0) or never (t = 256) */\n")
                    .append("        const ebnn_word v = t16 <= 0 ? 0xff : 0;\n")
                    .append("        for (p = 0; p < ").append((pixels + 7) / 8).append("; p++)\n")
                    .append("            out[p] = v;\n");
            if (rest != 0)
                sb.append("        out[").append(full).append("] = (ebnn_word)(v & 0x").append(Integer.toHexString((1 << rest) - 1)).append(");\n");
            sb.append("        return;\n    }\n    {\n        const uint8_t t8 = (uint8_t)t16;\n");
            if (full > 0) {
                // AVR: cp / ror / com, 4 cycles per pixel, in steps of at most 255 output bytes
                sb.append("#if defined(__AVR__)\n");
                for (int done = 0; done < full; done += 255) {
                    int n = Math.min(255, full - done);
                    sb.append("        ebnn_thr8_avr(in, out, ").append(n).append(", t8);\n");
                    if (done + n < full || rest != 0) // advanced only where read again (cppcheck: uselessAssignmentPtrArg)
                        sb.append("        in += ").append(8 * n).append(";\n        out += ").append(n).append(";\n");
                }
                sb.append("        (void)p;\n#else\n");
            }
            sb.append("        for (p = 0; p < ").append(full * 8).append("; p += 8, in += 8) {\n            ebnn_word v = 0;\n");
            for (int j = 0; j < 8; j++)
                sb.append("            if (in[").append(j).append("] >= t8)\n                v |= 0x").append(Integer.toHexString(1 << j)).append(";\n");
            sb.append("            *out++ = v;\n        }\n");
            if (full > 0)
                sb.append("#endif\n");
            if (rest != 0) {
                sb.append("        {\n            ebnn_word v = 0;\n");
                for (int j = 0; j < rest; j++)
                    sb.append("            if (in[").append(j).append("] >= t8)\n                v |= 0x").append(Integer.toHexString(1 << j)).append(";\n");
                sb.append("            *out = v;\n        }\n");
            }
            sb.append("    }\n}\n");
            return;
        }
        sb.append(sig).append(" {\n    ebnn_word cur = 0, bit = 1;\n    ebnn_idx p;\n");
        if (c == 1) {
            sb.append("    const int16_t t = (int16_t)").append(readThreshold(t, i, "0")).append(";\n");
            sb.append("    for (p = 0; p < ").append(pixels).append("; p++) {\n        const int b = (int16_t)in[p] >= t;\n");
        } else {
            sb.append("    ebnn_idx c;\n    for (p = 0; p < ").append(pixels).append("; p++)\n    for (c = 0; c < ").append(c)
                    .append("; c++) {\n        const int b = (int32_t)in[p * ").append(c).append(" + c] >= ")
                    .append(readThreshold(t, i, "c")).append(";\n");
        }
        sb.append(PUT_BIT).append("    }\n").append(FLUSH).append("}\n");
    }

    /** Emits the thresholding (bits) or scoring (last block) of accumulator {@code acc} for output {@code r}. */
    public void emitOutput(StringBuilder sb, Block b, int i, String r, String indent) {
        if (b.producesScores()) {
            sb.append(indent).append("{\n").append(indent).append("    const int32_t s = acc * EBNN_RDI32(&").append(multiplierSymbol(i))
                    .append('[').append(r).append("]) + EBNN_RDI32(&").append(offsetSymbol(i)).append('[').append(r).append("]);\n")
                    .append(indent).append("    if (scores)\n").append(indent).append("        scores[").append(r).append("] = s;\n")
                    .append(indent).append("    if (").append(r).append(" == 0 || s > bestScore) {\n")
                    .append(indent).append("        best = (int)").append(r).append(";\n")
                    .append(indent).append("        bestScore = s;\n").append(indent).append("    }\n").append(indent).append("}\n");
        } else {
            sb.append(indent).append("{\n").append(indent).append("    const int b = acc >= ").append(readThreshold(b, i, r)).append(";\n");
            sb.append(PUT_BIT.replace("        ", indent + "    ")).append(indent).append("}\n");
        }
    }

    private void dense(StringBuilder sb, String sig, int i, DenseBlock dn) {
        int n = dn.inputs();
        int outputs = dn.outputs();
        int perRow = (int) (Packing.streamBytes(n, wb) / (wb / 8));
        boolean scores = dn.producesScores();
        sb.append(sig).append(" {\n    const ebnn_word *w = ").append(weightSymbol(i)).append(";\n    ebnn_idx r;\n");
        if (scores)
            sb.append("    int best = 0;\n    int32_t bestScore = 0;\n");
        else
            sb.append("    ebnn_word cur = 0, bit = 1;\n");
        if (dn.inputKind() == InputKind.BYTES) {
            // sum of all input bytes, once: acc = m*(2*P1 - Pt) + o*(2*c1 - n) with P1 the bytes under 1-weights
            String custom = kernels.byteSum(this, i, dn);
            if (custom != null)
                sb.append("    uint32_t pt = 0;\n").append(custom);
            else
                sb.append("    uint32_t pt = 0;\n    {\n        ebnn_idx k;\n        for (k = 0; k < ").append(n)
                        .append("; k++)\n            pt += in[k];\n    }\n");
        }
        sb.append("    for (r = 0; r < ").append(outputs).append("; r++) {\n");
        if (dn.inputKind() == InputKind.BITS) {
            // XOR + popcount over whole words; padding bits are 0 in both operands and never count
            String pop = n < 65000 ? "uint16_t" : "uint32_t";
            sb.append("        const ebnn_word *a = in;\n        ").append(pop).append(" pop = 0;\n        ebnn_idx k;\n");
            String custom = kernels.xorPopcount(this, i, dn, perRow, pop);
            if (custom != null) {
                sb.append(custom);
                sb.append("        w += ").append(perRow).append(";\n");
                sb.append("        {\n            const int32_t acc = (int32_t)").append(n).append(" - 2 * (int32_t)pop;\n");
            } else {
            // AVR: 16-byte steps, then at most one 8-byte step, then the last bytes in C
            int chunks16 = perRow / 16, chunks8 = (perRow % 16) / 8, done = 16 * chunks16 + 8 * chunks8;
            boolean asm = wb == 8 && done > 0 && chunks16 <= 255 && pop.equals("uint16_t");
            if (asm) {
                String th = "(uint8_t)((uint16_t)" + popcountSymbol() + " >> 8)";
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
            }
            sb.append("        for (k = 0; k < ").append(perRow).append("; k++)\n")
                    .append("            pop += (").append(pop).append(")EBNN_POPC((ebnn_word)(a[k] ^ EBNN_RDW(&w[k])));\n");
            if (asm)
                sb.append("#endif\n");
            sb.append("        w += ").append(perRow).append(";\n");
            sb.append("        {\n            const int32_t acc = (int32_t)").append(n).append(" - 2 * (int32_t)pop;\n");
            }
        } else {
            byteDenseRow(sb, i, dn, perRow);
        }
        emitOutput(sb, dn, i, "r", "            ");
        sb.append("        }\n    }\n");
        if (scores)
            sb.append("    return best;\n");
        else
            sb.append(FLUSH);
        sb.append("}\n");
    }

    /**
     * One row of a dense block on byte input: sums the bytes under 1-weights (P1) a weight byte at
     * a time with the eight bit tests unrolled (bits past the end are padding 0, so no byte past
     * the input is read), then maps sums to the accumulator exactly in integers.
     */
    private void byteDenseRow(StringBuilder sb, int i, DenseBlock dn, int perRow) {
        int n = dn.inputs();
        ByteInput map = dn.byteInput();
        boolean offset = map.offset() != 0;
        sb.append("        uint32_t p1 = 0;\n");
        if (offset)
            sb.append("        int32_t c1 = 0;\n");
        sb.append("        ebnn_idx k;\n");
        String custom = kernels.maskedByteSum(this, i, dn, perRow);
        if (custom != null)
            sb.append(custom);
        else {
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
                sb.append("                    c1 += (int32_t)").append(popcount8("wb8")).append(";\n");
            sb.append("                }\n            }\n");
        }
        sb.append("        }\n");
        }
        sb.append("        w += ").append(perRow).append(";\n");
        sb.append("        {\n");
        String diff = "((int32_t)(2 * p1) - (int32_t)pt)";
        if (!offset)
            sb.append("            const int32_t acc = ").append(map.multiplier() == 1 ? diff : "(int32_t)" + map.multiplier() + " * " + diff).append(";\n");
        else
            // the two terms may each exceed int32 while their sum (the accumulator) does not
            sb.append("            const int32_t acc = (int32_t)((int64_t)").append(map.multiplier()).append(" * ").append(diff)
                    .append(" + (int64_t)").append(map.offset()).append(" * (2 * c1 - ").append(n).append("));\n");
    }

    /**
     * Accumulator of one conv position on byte input with the filter's bits in a register: with s
     * the sum of the window's q and s1 the sum under 1-weights, acc = s1 - (s - s1) = 2*s1 - s.
     * Taps in the padding contribute nothing (their weight bits are shifted out unused).
     */
    private void fastByteConvAcc(StringBuilder sb, ConvBlock c, String name, String maskType, int maskBits) {
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
                    sb.append("            q = (").append(acc).append(")").append(q(c.byteInput(), "p[" + off + "]")).append(";\n");
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
        String qexpr = q(c.byteInput(), ic > 1 ? "p[ch]" : "*p");
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

    private String popcount8(String x) {
        return usesPopcountTable() ? "EBNN_POPC(" + x + ")" : "ebnn_popcount16((uint16_t)" + x + ")";
    }

    /** Taps of the byte-input convs whose interior window this generator unrolls (filters of at most 128 taps): each costs code. */
    public static int unrolledWindowTaps(BinaryModel model) {
        int taps = 0;
        for (Block b : model.blocks())
            if (b instanceof ConvBlock c && c.inputKind() == InputKind.BYTES && c.weights().cols() <= MAX_UNROLLED_TAPS)
                taps += c.weights().cols();
        return taps;
    }

    private void conv(StringBuilder sb, String sig, int i, ConvBlock c) {
        Shape in = c.inputShape();
        Shape conv = c.convShape();
        Shape out = c.outputShape();
        int ic = in.channels();
        int perRow = (int) (Packing.streamBytes(c.weights().cols(), wb) / (wb / 8));
        boolean bytes = c.inputKind() == InputKind.BYTES;
        String name = prefix() + "_acc" + i;
        int cols = c.weights().cols();
        // byte input with a small filter (the usual first layer): the filter's bits ride in one register;
        // on 8-bit cores only up to 16 taps (a 32-bit mask spills: ConvPool-1 on AVR took 14.8 M cycles
        // that way, 9.3 M with the word-at-a-time window below)
        boolean fast = bytes && (cols <= 16 || cols <= 32 && wb > 8);
        String maskType = cols <= 16 ? "uint16_t" : "uint32_t";
        int maskBits = cols <= 16 ? 16 : 32;
        if (fast)
            fastByteConvAcc(sb, c, name, maskType, maskBits);
        else if (wordAlignedBitConv(c))
            wordBitConvAcc(sb, c, name);
        else {
            sb.append("static int32_t ").append(name).append("(").append(bytes ? "const uint8_t *in" : "const ebnn_word *in")
                    .append(", const ebnn_word *wrow, ebnn_idx cy, ebnn_idx cx) {\n");
            sb.append("    int32_t acc = 0;\n    ebnn_idx ky, kx, c;\n");
            if (bytes && cols <= MAX_UNROLLED_TAPS)
                wideByteConvInterior(sb, c);
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
                sb.append("                const int32_t q = ").append(q(c.byteInput(), "in[j]")).append(";\n");
                sb.append("                acc += wbit ? q : -q;\n");
            } else {
                sb.append("                const int abit = (int)((in[j / ").append(wb).append("] >> (j % ").append(wb).append(")) & 1u);\n");
                sb.append("                acc += abit == wbit ? 1 : -1;\n");
            }
            sb.append("            }\n        }\n    }\n    return acc;\n}\n\n");
        }

        String custom = kernels.convBlock(this, i, c, sig, fast ? name : null);
        if (custom != null) {
            sb.append(custom);
            return;
        }
        List<PoolCombine> combine = c.output().combine();
        boolean anyAnd = combine.contains(PoolCombine.AND);
        boolean allAnd = !combine.contains(PoolCombine.OR);
        if (c.pool() != null && anyAnd && !allAnd) {
            // the per-channel pool mode is code, not data: the plan counts only thresholds as flash data
            sb.append("static int ").append(prefix()).append("_and").append(i).append("(ebnn_idx c) {\n    switch (c) {\n");
            for (int ch = 0; ch < combine.size(); ch++)
                if (combine.get(ch) == PoolCombine.AND)
                    sb.append("    case ").append(ch).append(":\n");
            sb.append("        return 1;\n    default:\n        return 0;\n    }\n}\n\n");
        }

        sb.append(sig).append(" {\n    ebnn_idx oy, ox, o;\n    ebnn_word cur = 0, bit = 1;\n");
        sb.append("    for (oy = 0; oy < ").append(out.height()).append("; oy++)\n");
        sb.append("    for (ox = 0; ox < ").append(out.width()).append("; ox++)\n");
        sb.append("    for (o = 0; o < ").append(c.outChannels()).append("; o++) {\n");
        sb.append("        const ebnn_word *wrow = ").append(weightSymbol(i)).append(" + (int32_t)o * ").append(perRow).append(";\n");
        String rowArg = "wrow";
        if (fast) {
            sb.append("        const ").append(maskType).append(" wr = (").append(maskType).append(")(");
            for (int k = 0; k < perRow && k * wb < maskBits; k++)
                sb.append(k > 0 ? " | " : "").append("((").append(maskType).append(")EBNN_RDW(&wrow[").append(k).append("])")
                        .append(k > 0 ? " << " + k * wb : "").append(")");
            sb.append(");\n");
            rowArg = "wr";
        }
        sb.append("        const int32_t tau = ").append(readThreshold(c, i, "o")).append(";\n");
        PoolGeometry p = c.pool();
        if (p == null) {
            sb.append("        const int b = ").append(name).append("(in, ").append(rowArg).append(", oy, ox) >= tau;\n");
        } else {
            String and = allAnd ? "1" : anyAnd ? prefix() + "_and" + i + "(o)" : "0";
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
        sb.append(PUT_BIT).append("    }\n").append(FLUSH).append("}\n");
    }

    /** The plan is binding: refuse one whose sizes are not the {@link Packing} sizes of this model for its device. */
    public static void checkPlan(BinaryModel model, MemoryPlan plan) {
        int wb = plan.device().wordBits();
        List<Block> blocks = model.blocks();
        List<MemoryPlan.BlockMemory> mem = plan.blocks();
        if (mem.size() != blocks.size())
            throw new BackendException("memory plan of '" + plan.model() + "' has " + mem.size() + " blocks, model '" + model.name()
                    + "' has " + blocks.size());
        long[] need = new long[2];
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            MemoryPlan.BlockMemory m = mem.get(i);
            String where = "memory plan block " + i + " ('" + b.name() + "')";
            if (m.weightBytes() != Packing.weightBytes(b, wb) || m.thresholdBytes() != Packing.thresholdBytes(b)
                    || m.outputBytes() != Packing.outputBytes(b, wb))
                throw new BackendException(where + " plans weights/thresholds/output of " + m.weightBytes() + "/" + m.thresholdBytes() + "/"
                        + m.outputBytes() + " B; the " + wb + "-bit packing needs " + Packing.weightBytes(b, wb) + "/"
                        + Packing.thresholdBytes(b) + "/" + Packing.outputBytes(b, wb) + " B");
            boolean last = i == blocks.size() - 1;
            if (last ? m.buffer() != -1 : m.buffer() != 0 && m.buffer() != 1)
                throw new BackendException(where + " writes buffer " + m.buffer() + (last ? "; the last block writes the scores (-1)" : "; expected 0 or 1"));
            if (!last) {
                if (i > 0 && m.buffer() == mem.get(i - 1).buffer())
                    throw new BackendException(where + " writes the buffer it reads (" + m.buffer() + ")");
                need[m.buffer()] = Math.max(need[m.buffer()], m.outputBytes());
            }
        }
        long[] have = { plan.bufferABytes(), plan.bufferBBytes() };
        for (int k = 0; k < 2; k++)
            if (have[k] < need[k] || have[k] % (wb / 8) != 0)
                throw new BackendException("memory plan buffer " + (k == 0 ? "A" : "B") + " has " + have[k] + " B; the blocks writing it need "
                        + need[k] + " B in whole " + wb + "-bit words");
        if (plan.inputBytes() != model.inputSize() || plan.scoreBytes() != 4L * model.classes())
            throw new BackendException("memory plan input/scores of " + plan.inputBytes() + "/" + plan.scoreBytes() + " B; the model needs "
                    + model.inputSize() + "/" + 4L * model.classes() + " B");
    }

    static void check(boolean ok, String message) {
        if (!ok)
            throw new BackendException(message);
    }
}
