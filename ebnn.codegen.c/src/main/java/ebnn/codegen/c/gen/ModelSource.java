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
import ebnn.api.binary.Scores;
import ebnn.api.binary.Thresholds;
import ebnn.api.model.OutputKind;
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
    private final KernelSelector selector;
    private final List<BlockKernel> kernels;

    /** The portable C of a model; {@code sym} is the C identifier fragment of the model (see {@link #symbol}). */
    public ModelSource(BinaryModel model, MemoryPlan plan, String sym) {
        this(model, plan, sym, PortableKernels.SELECTOR);
    }

    /** The C of a model with a back end's kernels: each block's code is that of the kernel {@code selector} picks for it. */
    public ModelSource(BinaryModel model, MemoryPlan plan, String sym, KernelSelector selector) {
        this.model = model;
        this.plan = plan;
        this.sym = sym;
        this.selector = selector;
        this.kernels = selector.select(model, plan);
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

    public KernelSelector selector() {
        return selector;
    }

    /** The kernel of each block, in order (as the selector picked them for this plan's device). */
    public List<BlockKernel> kernels() {
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

    /** Whether the popcount table is in SRAM (the plan's choice: it has {@link MemoryPlan#tableBytes} for it), else in flash. */
    public boolean popcountTableInRam() {
        return plan.tableBytes() > 0;
    }

    public boolean usesPopcountTable() {
        for (int i = 0; i < kernels.size(); i++)
            if (kernels.get(i).usesPopcountTable(plan, model.blocks().get(i)))
                return true;
        return false;
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
                .append("' generated by the " + selector.title() + " for device ").append(plan.device().name()).append(".\n")
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
        if (bitOutput()) {
            headerBits(sb, up);
            sb.append("#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
            return sb.toString();
        }
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

    /** Whether the model's output is a bit vector ({@link OutputKind#BITS}): the API is {@link #inferBitsName()}, not {@code _infer}. */
    public boolean bitOutput() {
        return model.outputKind() == OutputKind.BITS;
    }

    /** The entry point of a model: {@code <prefix>_infer} (classes) or {@code <prefix>_infer_bits} (a bit vector). */
    public String entryName() {
        return bitOutput() ? inferBitsName() : prefix() + "_infer";
    }

    public String inferBitsName() {
        return prefix() + "_infer_bits";
    }

    private void headerBits(StringBuilder sb, String up) {
        int n = model.classes();
        sb.append("/* output: a vector of ").append(n).append(" bits (the model has no classes), packed LSB first */\n");
        sb.append("#define ").append(up).append("_OUTPUT_BITS ").append(n).append("\n");
        sb.append("#define ").append(up).append("_OUTPUT_BYTES ").append(Packing.outputBitBytes(n)).append("\n\n");
        sb.append("/*\n * Runs one sample: input holds ").append(up).append("_INPUT_SIZE bytes; bits receives ").append(up)
                .append("_OUTPUT_BYTES bytes,\n * the output bits packed LSB first: output bit i (i = 0 is the first output) is\n")
                .append(" *     (bits[i / 8] >> (i % 8)) & 1\n");
        int pad = 8 * Packing.outputBitBytes(n) - n;
        if (pad > 0)
            sb.append(" * The last byte's ").append(pad).append(" padding bit(s) are 0.\n");
        sb.append(" * Bit 1 stands for +1, 0 for -1 (tinier-nn: 1 where popcount(w XOR x) <= IN/2).\n */\n");
        sb.append("void ").append(inferBitsName()).append("(const uint8_t *input, uint8_t *bits);\n\n");
    }

    public String source() {
        StringBuilder sb = new StringBuilder();
        Device d = plan.device();
        sb.append("/*\n * ").append(sourceName()).append(" - integer eBNN model '").append(Names.comment(model.name()))
                .append("' for ").append(d.name()).append(" (").append(wb).append("-bit words).\n")
                .append(" * Generated by the ").append(selector.title()).append("; the array sizes are exactly those of the memory plan.\n")
                .append(" * Every block writes each word of its output whole (bits gathered in a register, padding bits 0),\n")
                .append(" * so nothing from an earlier inference survives in the activation buffers.\n */\n");
        sb.append("#include \"").append(headerName()).append("\"\n#include \"ebnn_rt.h\"\n").append(selector.sourcePrologue()).append("\n");
        sb.append("typedef ").append(word).append(" ebnn_word;\n");
        sb.append("typedef ").append(idx).append(" ebnn_idx;\n\n");
        // the two planned activation buffers: the only mutable globals
        for (int buf = 0; buf < 2; buf++) {
            long bytes = buf == 0 ? plan.bufferABytes() : plan.bufferBBytes();
            if (bytes > 0)
                sb.append("static ebnn_word ").append(bufferSymbol(buf)).append('[').append(bytes / (wb / 8)).append(']')
                        .append(selector.bufferAttribute()).append("; /* ")
                        .append(bytes).append(" bytes, buffer ").append(buf == 0 ? 'A' : 'B').append(" */\n");
        }
        sb.append('\n');
        if (usesPopcountTable() && popcountTableInRam()) {
            sb.append("/* popcount of a byte: a table lookup is the fastest correct form on 8-bit targets; in SRAM (the plan had\n")
                    .append("   room): one ld per lookup, and Z stays free for the weights */\n");
            sb.append("static const uint8_t ").append(popcountSymbol()).append("[256] EBNN_ALIGN256 = {");
            for (int i = 0; i < 256; i++)
                sb.append(i % 32 == 0 ? "\n    " : " ").append(Integer.bitCount(i)).append(i < 255 ? "," : "");
            sb.append("\n};\n#define EBNN_POPC(x) (").append(popcountSymbol()).append("[(x)])\n\n");
        } else if (usesPopcountTable()) {
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
        if (bitOutput()) {
            sourceInferBits(sb, blocks);
            return sb.toString();
        }
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

    /** The bit-output entry point: every block writes its buffer, then the last one's words go out as LSB-first bytes. */
    private void sourceInferBits(StringBuilder sb, List<Block> blocks) {
        sb.append("void ").append(inferBitsName()).append("(const uint8_t *input, uint8_t *bits) {\n");
        for (int i = 0; i < blocks.size(); i++) {
            String in = i == 0 ? "input" : bufferSymbol(plan.blocks().get(i - 1).buffer());
            sb.append("    ").append(prefix()).append("_b").append(i).append('(').append(in).append(", ")
                    .append(bufferSymbol(plan.blocks().get(i).buffer())).append(");\n");
        }
        String out = bufferSymbol(plan.blocks().get(blocks.size() - 1).buffer());
        int bytes = Packing.outputBitBytes(model.classes());
        // the words hold the bits LSB first (Packing), so their bytes, low byte first, are the API's order on any endianness
        sb.append("    {\n        ebnn_idx i;\n        for (i = 0; i < ").append(bytes).append("; i++)\n");
        if (wb == 8)
            sb.append("            bits[i] = ").append(out).append("[i];\n");
        else
            sb.append("            bits[i] = (uint8_t)(").append(out).append("[i / ").append(wb / 8).append("] >> (8 * (i % ").append(wb / 8)
                    .append(")));\n");
        sb.append("    }\n}\n");
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
        kernels.get(i).emit(this, i, b, sig, sb);
        sb.append('\n');
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
            boolean scores = i == blocks.size() - 1 && b.producesScores();
            if (scores ? m.buffer() != -1 : m.buffer() != 0 && m.buffer() != 1)
                throw new BackendException(where + " writes buffer " + m.buffer() + (scores ? "; the last block writes the scores (-1)" : "; expected 0 or 1"));
            if (!scores) {
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
        long scoreBytes = model.outputKind() == OutputKind.BITS ? Packing.outputBitBytes(model.classes()) : 4L * model.classes();
        if (plan.inputBytes() != model.inputSize() || plan.scoreBytes() != scoreBytes)
            throw new BackendException("memory plan input/scores of " + plan.inputBytes() + "/" + plan.scoreBytes() + " B; the model needs "
                    + model.inputSize() + "/" + scoreBytes + " B");
    }

    static void check(boolean ok, String message) {
        if (!ok)
            throw new BackendException(message);
    }
}
