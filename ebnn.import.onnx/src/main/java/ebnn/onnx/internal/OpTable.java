package ebnn.onnx.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ebnn.onnx.internal.ConstFolder.Reduce;

/**
 * Every op ebnn reads, in one table keyed by (domain, op type): what it does on the activation
 * path (an {@link ActivationOp}) and on constants (a {@link ConstOp} of the {@link ConstFolder}).
 * A new op is one class and one line here. The "unsupported op" messages and the README's list of
 * supported ops are generated from this table ({@link #markdown()}).
 */
final class OpTable {
    private OpTable() {
    }

    /** The ONNX standard domain ("" or "ai.onnx" in files). */
    static final String ONNX = "ai.onnx";
    /** QONNX/FINN/Brevitas custom ops, under any of the domain names their exporters write. */
    static final String QONNX = "qonnx";
    static final Set<String> QONNX_DOMAINS = Set.of("onnx.brevitas", "qonnx.custom_op.general", "finn.custom_op.general", "finn", "qonnx");

    record Key(String domain, String op) {
    }

    /**
     * @param onActivation what the op does on the activation path (null: only on constants)
     * @param onConstants  its constant evaluator (null: not folded)
     * @param does         for the README: what it becomes on the activation path
     */
    record Entry(Key key, ActivationOp onActivation, ConstOp onConstants, String does) {
    }

    private static final Map<Key, Entry> TABLE = new LinkedHashMap<>();

    private static void op(String domain, String type, ActivationOp act, ConstOp fold, String does) {
        if (TABLE.put(new Key(domain, type), new Entry(new Key(domain, type), act, fold, does)) != null)
            throw new IllegalStateException("op " + domain + ":" + type + " registered twice");
    }

    private static void fold(String type, ConstOp fold) {
        op(ONNX, type, null, fold, null);
    }

    static {
        // ---- layers and activations (also folded where their inputs are all constant)
        op(ONNX, "Conv", new ConvOp(), null, "conv2d (±α weights per output channel; bias; pads, strides, auto_pad)");
        op(ONNX, "MatMul", new MatMulOp(false), ConstFolder::matmulOp, "dense (±α weights per output channel)");
        op(ONNX, "Gemm", new MatMulOp(true), ConstFolder::gemm, "dense with bias (transB, alpha, beta)");
        op(ONNX, "BatchNormalization", new BatchNormOp(), null, "batchnorm (inference mode)");
        op(ONNX, "MaxPool", new MaxPoolOp(), null, "maxpool (before or after the sign)");
        op(ONNX, "Pad", new PadOp(), ConstFolder::pad, "zero padding merged into the next Conv");
        op(ONNX, "Sign", new SignOp(), ConstFolder.unary(Math::signum, true), "sign (0 gives +1 in ebnn)");
        op(ONNX, "Greater", new CompareOp(true), ConstFolder.predicate((x, y) -> x > y ? 1 : 0), "with Where: a sign (x > c)");
        op(ONNX, "Less", new CompareOp(false), ConstFolder.predicate((x, y) -> x < y ? 1 : 0), "with Where: a sign (x < c)");
        op(ONNX, "Where", new WhereOp(), ConstFolder::where, "after Greater/Less: the two values of the sign");
        op(ONNX, "Add", new ElementwiseOp(), ConstFolder.binary(Double::sum, null), "affine (by a per-channel or scalar constant)");
        op(ONNX, "Sub", new ElementwiseOp(), ConstFolder.binary((x, y) -> x - y, null), "affine (by a per-channel or scalar constant)");
        op(ONNX, "Mul", new ElementwiseOp(), ConstFolder.binary((x, y) -> x * y, null), "affine (by a per-channel or scalar constant)");
        op(ONNX, "Div", new ElementwiseOp(), ConstFolder.div(), "affine (by a per-channel or scalar constant)");
        op(ONNX, "Neg", new NegOp(), ConstFolder.unary(x -> -x, true), "affine (-1)");
        op(ONNX, "Identity", new PassOp(), (n, in) -> ConstFolder.one(ConstFolder.need(n, in, 0)), "no-op");
        op(ONNX, "Dropout", new PassOp(), (n, in) -> ConstFolder.one(ConstFolder.need(n, in, 0)), "no-op (inference)");
        op(ONNX, "Cast", new PassOp(), ConstFolder::cast, "no-op on the activation");
        op(ONNX, "Transpose", new TransposeOp(), ConstFolder::transpose, "layout (NHWC⇄NCHW tracked exactly)");
        op(ONNX, "Reshape", new ReshapeOp(), ConstFolder::reshape, "layout (a vector input reshaped to an image becomes a CHW input)");
        op(ONNX, "Flatten", new FlattenOp(), ConstFolder::flatten, "layout (axis 1)");
        op(ONNX, "Squeeze", new SqueezeOp(false), ConstFolder::squeeze, "layout");
        op(ONNX, "Unsqueeze", new SqueezeOp(true), ConstFolder::unsqueeze, "layout");
        op(ONNX, "Shape", new ShapeOp(), (n, in) -> ConstFolder.one(Const.vector(ConstFolder.shapeOf(n, ConstFolder.need(n, in, 0).dims()))),
                "the activation's shape as a constant (batch taken as 1)");
        op(ONNX, "Softmax", new HeadOp(), null, "dropped (argmax-preserving head)");
        op(ONNX, "LogSoftmax", new HeadOp(), null, "dropped (argmax-preserving head)");
        op(ONNX, "ArgMax", new HeadOp(), null, "dropped (argmax-preserving head)");
        op(ONNX, "TopK", new HeadOp(), null, "dropped (argmax-preserving head)");
        op(ONNX, "Relu", new RefuseOp("a ReLU gives real-valued activations"), ConstFolder.unary(x -> Math.max(0, x), true), null);
        op(QONNX, "MultiThreshold", new MultiThresholdOp(), null, "sign (one threshold per channel; out_scale/out_bias; NCHW or NHWC)");
        op(QONNX, "BipolarQuant", new BipolarQuantOp(), ConstFolder::bipolarQuant, "sign × scale (weights: ±scale)");
        op(QONNX, "Quant", new QuantOp(), ConstFolder::quant, "bit width 1: sign × scale (signed) or {0, scale} (unsigned); wider only on the input, where it must keep all 256 byte values");
        op(QONNX, "XnorPopcountMatMul", new XnorPopcountOp(), null, "dense on {0,1} activations with {0,1} weights");

        // ---- evaluated on constants only (weights, shape arithmetic, batch-norm algebra)
        fold("Constant", ConstFolder::constant);
        fold("Pow", ConstFolder.binary(Math::pow, null));
        fold("Sqrt", ConstFolder.unary(Math::sqrt, false));
        fold("Reciprocal", ConstFolder.unary(x -> 1 / x, false));
        fold("Abs", ConstFolder.unary(Math::abs, true));
        fold("Exp", ConstFolder.unary(Math::exp, false));
        fold("Log", ConstFolder.unary(Math::log, false));
        fold("Tanh", ConstFolder.unary(Math::tanh, false));
        fold("Sigmoid", ConstFolder.unary(x -> 1 / (1 + Math.exp(-x)), false));
        fold("Floor", ConstFolder.unary(Math::floor, true));
        fold("Ceil", ConstFolder.unary(Math::ceil, true));
        fold("Round", ConstFolder.unary(Math::rint, true));
        fold("Not", ConstFolder.unary(x -> x == 0 ? 1 : 0, true));
        fold("Mod", ConstFolder.mod());
        fold("Min", ConstFolder.variadic(Math::min, false));
        fold("Max", ConstFolder.variadic(Math::max, false));
        fold("Sum", ConstFolder.variadic(Double::sum, false));
        fold("Mean", ConstFolder.variadic(Double::sum, true));
        fold("Clip", ConstFolder::clip);
        fold("Equal", ConstFolder.predicate((x, y) -> x == y ? 1 : 0));
        fold("GreaterOrEqual", ConstFolder.predicate((x, y) -> x >= y ? 1 : 0));
        fold("LessOrEqual", ConstFolder.predicate((x, y) -> x <= y ? 1 : 0));
        fold("And", ConstFolder.predicate((x, y) -> x != 0 && y != 0 ? 1 : 0));
        fold("Or", ConstFolder.predicate((x, y) -> x != 0 || y != 0 ? 1 : 0));
        fold("Xor", ConstFolder.predicate((x, y) -> (x != 0) != (y != 0) ? 1 : 0));
        fold("Size", (n, in) -> ConstFolder.one(Const.scalar(ConstFolder.need(n, in, 0).size(), true)));
        fold("Concat", ConstFolder::concat);
        fold("Split", ConstFolder::split);
        fold("Slice", ConstFolder::slice);
        fold("Gather", ConstFolder::gather);
        fold("Expand", ConstFolder::expand);
        fold("Tile", ConstFolder::tile);
        fold("ConstantOfShape", ConstFolder::constantOfShape);
        fold("Range", ConstFolder::range);
        fold("ReduceSum", ConstFolder.reduce(Reduce.SUM));
        fold("ReduceMean", ConstFolder.reduce(Reduce.MEAN));
        fold("ReduceMax", ConstFolder.reduce(Reduce.MAX));
        fold("ReduceMin", ConstFolder.reduce(Reduce.MIN));
        fold("ReduceProd", ConstFolder.reduce(Reduce.PROD));
    }

    /** The domain ops are looked up under: ONNX, QONNX, or the file's own. */
    static String domainOf(String fileDomain) {
        if (fileDomain.isEmpty() || fileDomain.equals("ai.onnx"))
            return ONNX;
        if (QONNX_DOMAINS.contains(fileDomain) || fileDomain.startsWith("finn.custom_op") || fileDomain.startsWith("qonnx.custom_op"))
            return QONNX;
        return fileDomain;
    }

    static String displayDomain(String fileDomain) {
        return fileDomain.isEmpty() ? "ai.onnx" : fileDomain;
    }

    static Entry lookup(Node n) {
        return TABLE.get(new Key(domainOf(n.proto().getDomain()), n.op()));
    }

    static List<Entry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(TABLE.values()));
    }

    /** "Conv, MatMul, ..." of the ops that may be on the activation path, for messages. */
    static String activationOps() {
        List<String> s = new ArrayList<>();
        for (Entry e : TABLE.values())
            if (e.onActivation() != null && e.does() != null)
                s.add(e.key().op());
        return String.join(", ", s);
    }

    /** What ebnn takes, for refusals of networks that are not binarized. */
    static final String TAKES = "ebnn takes binarized networks: 1-bit activations (Sign, Greater+Where, BipolarQuant, 1-bit Quant, "
            + "MultiThreshold with one threshold per channel), weights ±α per output channel; only the first layer may take real-valued input";

    /** The exporters whose forms the ops above cover, and how each writes a binarized network. */
    static final List<String> EXPORTERS = List.of(
            "FINN (build-dataflow, tidy, with pre-/post-processing, streamlined, ready for HLS): `MultiThreshold` with one threshold per channel "
                    + "(thresholds may fold a batch norm; out_scale/out_bias; bipolar or {0,1}), `XnorPopcountMatMul`, a `TopK` head; custom domain "
                    + "often undeclared in opset_import",
            "Brevitas legacy FINN export and QONNX: `BipolarQuant` on weights and activations, `Quant` of bit width 1 on activations, "
                    + "`Quant` of any width on constants (weights, biases)",
            "plain PyTorch (torch.onnx) of hand-written BNNs: `Sign`, or `Greater` + `Where` as the sign, batch norm not folded, max-pool "
                    + "after the sign, ±1 biases, a dynamic `Shape`/`Gather`/`Concat` reshape",
            "Larq via tf2onnx: NHWC input and Transpose pairs, `Sign` → `Add` → `Sign`, batch norm as per-channel `Mul`/`Add`");

    /** The supported-ops tables of the README (generated; a test keeps the README equal to it). */
    static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("Exporters:\n\n");
        for (String e : EXPORTERS)
            b.append("- ").append(e).append("\n");
        b.append("\n");
        b.append("| domain | op | on the activation path |\n|---|---|---|\n");
        for (Entry e : TABLE.values())
            if (e.onActivation() != null && e.does() != null)
                b.append("| ").append(e.key().domain().equals(QONNX) ? "QONNX/FINN/Brevitas" : "ONNX").append(" | `").append(e.key().op())
                        .append("` | ").append(e.does()).append(e.onConstants() != null ? "; folded on constants" : "").append(" |\n");
        List<String> folded = new ArrayList<>();
        for (Entry e : TABLE.values())
            if (e.onConstants() != null)
                folded.add("`" + e.key().op() + "`");
        b.append("\nEvaluated on constants (weights, shape arithmetic, batch-norm algebra; ONNX broadcasting, every tensor type): ")
                .append(String.join(", ", folded)).append(".\n");
        return b.toString();
    }
}
