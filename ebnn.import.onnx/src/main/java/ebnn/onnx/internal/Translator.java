package ebnn.onnx.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ebnn.api.InvalidModelException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.model.Affine;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.Layout;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Model;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;
import ebnn.api.spi.ImportResult;

/**
 * Turns an ONNX graph into the float IR by symbolic execution in topological order. Constant
 * tensors (initializers, Constant nodes, shape arithmetic, quantized weights) are folded; the one
 * activation path from the graph input becomes the chain of IR layers. The activation is tracked
 * as the ONNX tensor's dims plus a permutation from ONNX element order to the IR's CHW order, so
 * Transposes (NHWC⇄NCHW), Reshape/Flatten/Squeeze and layout-sensitive weights (a Dense after an
 * NHWC flatten) are all exact.
 */
final class Translator {

    /** The activation tensor: ONNX dims with the batch (always taken as 1) first, and the ONNX→IR element permutation. */
    private record Act(long[] dims, int[] perm, boolean tail) {
        int size() {
            long n = 1;
            for (int i = 1; i < dims.length; i++)
                n *= dims[i];
            return (int) n;
        }

        int irIndex(int j) {
            return perm == null ? j : perm[j];
        }
    }

    /** One IR layer and the node that made it. */
    private static final class Entry {
        Layer layer;
        final int node;

        Entry(Layer layer, int node) {
            this.layer = layer;
            this.node = node;
        }
    }

    private final ModelProto model;
    private final GraphProto graph;
    private final String modelName;
    private final List<NodeProto> nodes;
    private final Map<String, Const> consts = new HashMap<>();
    private final Map<String, Act> acts = new HashMap<>();
    private final Set<String> consumed = new HashSet<>();
    private final Map<String, List<Integer>> consumers = new HashMap<>();
    private final List<Entry> layers = new ArrayList<>();
    private final List<List<String>> notes = new ArrayList<>();
    private final boolean[] dropped;
    private final boolean[] folded;
    private final List<String> header = new ArrayList<>();

    private Shape cur;
    private Shape inputShape;
    private Layout layout = Layout.NCHW;
    private double low = 0, high = 255;
    /** The graph input's own values for byte 0 and 255 (before input scaling was folded into low/high). */
    private double rawLow = 0, rawHigh = 255;
    private long[] inputDims;
    private boolean dynamicBatch;
    private boolean rangeGiven, inputScaled;
    private String inputName;
    private Padding pendingPad;
    private int pendingPadNode = -1;
    private int currentNode;

    Translator(ModelProto model, String modelName) {
        this.model = model;
        this.graph = model.getGraph();
        this.modelName = modelName;
        this.nodes = graph.getNodeList();
        this.dropped = new boolean[nodes.size()];
        this.folded = new boolean[nodes.size()];
        for (int i = 0; i < nodes.size(); i++)
            notes.add(new ArrayList<>());
    }

    /** The graph input as the original file takes it: what a reference runtime must be fed. */
    ebnn.onnx.OnnxInput input() {
        return new ebnn.onnx.OnnxInput(inputName, inputDims.clone(), dynamicBatch, layout, inputShape, rawLow, rawHigh);
    }

    ImportResult translate() {
        for (TensorProto t : graph.getInitializerList()) {
            if (t.getName().isEmpty())
                throw new InvalidModelException("an initializer has no name");
            consts.put(t.getName(), Tensors.decode(t, "initializer"));
        }
        for (TensorProto t : graph.getSparseInitializerList().stream().map(s -> s.getValues()).toList())
            throw new UnsupportedModelException("sparse initializer '" + t.getName() + "' is not supported");
        setUpInput();
        int[] order = topologicalOrder();
        for (int i : order) {
            currentNode = i;
            visit(i, nodes.get(i));
        }
        if (pendingPad != null)
            throw unsupported(pendingPadNode, "a Pad that does not feed a Conv");
        return finish();
    }

    // ---------------------------------------------------------------- graph structure

    private void setUpInput() {
        List<ValueInfoProto> inputs = graph.getInputList().stream().filter(v -> !consts.containsKey(v.getName())).toList();
        if (inputs.size() != 1)
            throw new UnsupportedModelException("model has " + inputs.size() + " graph inputs that are not initializers ("
                    + String.join(", ", inputs.stream().map(ValueInfoProto::getName).toList()) + "); ebnn takes exactly one input tensor");
        ValueInfoProto in = inputs.get(0);
        inputName = in.getName();
        if (!in.getType().hasTensorType())
            throw new UnsupportedModelException("graph input '" + inputName + "' is not a tensor");
        int et = in.getType().getTensorType().getElemType();
        if (et != Tensors.FLOAT && et != Tensors.DOUBLE && et != Tensors.UINT8 && et != Tensors.FLOAT16)
            throw new UnsupportedModelException("graph input '" + inputName + "' has element type " + Tensors.typeName(et)
                    + "; ebnn takes float or uint8 images");
        TensorShapeProto sp = in.getType().getTensorType().getShape();
        int r = sp.getDimCount();
        if (r < 2 || r > 4)
            throw new UnsupportedModelException("graph input '" + inputName + "' has rank " + r + "; ebnn takes [N,K], [N,H,W], [N,C,H,W] or [N,H,W,C]");
        long[] dims = new long[r];
        StringJoiner declared = new StringJoiner(",", "[", "]");
        for (int i = 0; i < r; i++) {
            TensorShapeProto.Dimension d = sp.getDim(i);
            if (d.hasDimValue() && d.getDimValue() > 0) {
                dims[i] = d.getDimValue();
                declared.add(Long.toString(dims[i]));
            } else if (i == 0) {
                dims[i] = 1; // dynamic batch: ebnn runs one sample at a time
                dynamicBatch = true;
                declared.add(d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?");
            } else if (d.hasDimValue())
                throw new InvalidModelException("graph input '" + inputName + "' has dimension " + i + " = " + d.getDimValue());
            else
                throw new UnsupportedModelException("graph input '" + inputName + "' has a dynamic dimension " + i + " ("
                        + d.getDimParam() + "); only the batch dimension may be dynamic");
        }
        if (dims[0] != 1)
            throw new UnsupportedModelException("graph input '" + inputName + "' has a fixed batch of " + dims[0]
                    + "; export the model with batch 1 or a dynamic batch");
        for (int i = 1; i < r; i++)
            if (dims[i] > Shape.MAX_ELEMENTS)
                throw new InvalidModelException("graph input '" + inputName + "' declares dimension " + i + " = " + dims[i]);
        long n = Const.count(dims, "graph input '" + inputName + "'");
        if (n > MAX_ACTIVATION)
            throw new UnsupportedModelException("graph input '" + inputName + "' has " + n + " elements per sample, more than the "
                    + MAX_ACTIVATION + " ebnn handles (microcontroller networks take far smaller inputs)");
        int[] perm = null;
        if (r == 4 && consumedThroughElementwiseByNhwcTranspose(inputName)) {
            layout = Layout.NHWC;
            inputShape = new Shape((int) dims[3], (int) dims[1], (int) dims[2]);
            perm = nhwcToChw((int) dims[1], (int) dims[2], (int) dims[3]);
        } else if (r == 4)
            inputShape = new Shape((int) dims[1], (int) dims[2], (int) dims[3]);
        else if (r == 3)
            inputShape = new Shape(1, (int) dims[1], (int) dims[2]);
        else
            inputShape = Shape.vector((int) dims[1]);
        cur = inputShape;
        inputDims = dims.clone();
        acts.put(inputName, new Act(dims, perm, false));
        for (var p : model.getMetadataPropsList())
            if (p.getKey().equals("ebnn.input_range")) {
                String[] lh = p.getValue().split(",");
                try {
                    low = Double.parseDouble(lh[0].trim());
                    high = Double.parseDouble(lh[1].trim());
                    rawLow = low;
                    rawHigh = high;
                    rangeGiven = true;
                } catch (RuntimeException e) {
                    throw new InvalidModelException("metadata ebnn.input_range must be 'low,high', is '" + p.getValue() + "'");
                }
            }
        header.add("input '" + inputName + "' " + Tensors.typeName(et) + declared + " (" + layout + ") -> CHW " + inputShape);
    }

    private static int[] nhwcToChw(int h, int w, int c) {
        int[] p = new int[h * w * c];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int k = 0; k < c; k++)
                    p[(y * w + x) * c + k] = (k * h + y) * w + x;
        return p;
    }

    /** Whether the input reaches a Transpose(0,3,1,2) through elementwise ops only: tf2onnx's NHWC input. */
    private boolean consumedThroughElementwiseByNhwcTranspose(String tensor) {
        Map<String, List<NodeProto>> byInput = new HashMap<>();
        for (NodeProto n : nodes)
            for (String s : n.getInputList())
                byInput.computeIfAbsent(s, k -> new ArrayList<>()).add(n);
        String t = tensor;
        for (int steps = 0; steps < 16; steps++) {
            List<NodeProto> cs = byInput.getOrDefault(t, List.of());
            if (cs.size() != 1)
                return false;
            NodeProto n = cs.get(0);
            String op = n.getOpType();
            if (op.equals("Transpose"))
                return Arrays.equals(ints(n, "perm", null), new long[] { 0, 3, 1, 2 });
            if (!Set.of("Div", "Mul", "Sub", "Add", "Cast", "Identity", "Quant").contains(op) || n.getOutputCount() < 1)
                return false;
            t = n.getOutput(0);
        }
        return false;
    }

    private int[] topologicalOrder() {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++)
            for (String o : nodes.get(i).getOutputList()) {
                if (o.isEmpty())
                    continue;
                if (producer.putIfAbsent(o, i) != null || consts.containsKey(o) || o.equals(inputName))
                    throw new InvalidModelException("tensor '" + o + "' is produced twice (" + describe(i) + ")");
            }
        int[] indegree = new int[nodes.size()];
        List<List<Integer>> next = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++)
            next.add(new ArrayList<>());
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            for (String in : n.getInputList()) {
                if (in.isEmpty())
                    continue;
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
                Integer p = producer.get(in);
                if (p != null) {
                    indegree[i]++;
                    next.get(p).add(i);
                } else if (!consts.containsKey(in) && !in.equals(inputName))
                    throw new InvalidModelException(describe(i) + " reads tensor '" + in
                            + "', which no node produces and which is neither an initializer nor the graph input");
            }
        }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++)
            if (indegree[i] == 0)
                ready.add(i);
        int[] order = new int[nodes.size()];
        int k = 0;
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order[k++] = i;
            for (int j : next.get(i))
                if (--indegree[j] == 0)
                    ready.add(j);
        }
        if (k < nodes.size()) {
            for (int i = 0; i < nodes.size(); i++)
                if (indegree[i] > 0)
                    throw new InvalidModelException("the graph has a cycle: " + describe(i) + " depends on its own output");
        }
        // stable: process in file order where dependencies allow (keeps reports readable)
        return order;
    }

    private String describe(int i) {
        NodeProto n = nodes.get(i);
        String dom = n.getDomain().isEmpty() ? "ai.onnx" : n.getDomain();
        return "node " + i + " '" + nodeName(i) + "' (op " + n.getOpType() + (dom.equals("ai.onnx") ? "" : ", domain " + dom) + ")";
    }

    private String nodeName(int i) {
        NodeProto n = nodes.get(i);
        if (!n.getName().isEmpty())
            return n.getName();
        return n.getOutputCount() > 0 ? n.getOutput(0) : n.getOpType() + "_" + i;
    }

    private UnsupportedModelException unsupported(int i, String what) {
        return new UnsupportedModelException(describe(i) + ": " + what);
    }

    private InvalidModelException invalid(int i, String what) {
        return new InvalidModelException(describe(i) + ": " + what);
    }

    // ---------------------------------------------------------------- dispatch

    private static final Set<String> HEADS = Set.of("Softmax", "LogSoftmax", "ArgMax", "TopK", "Identity");

    private static final Set<String> QONNX_DOMAINS = Set.of("onnx.brevitas", "qonnx.custom_op.general", "finn.custom_op.general",
            "finn", "qonnx");

    private static String key(NodeProto n) {
        String d = n.getDomain();
        if (d.isEmpty() || d.equals("ai.onnx"))
            return n.getOpType();
        if (QONNX_DOMAINS.contains(d) || d.startsWith("finn.custom_op") || d.startsWith("qonnx.custom_op"))
            return "qonnx:" + n.getOpType();
        return d + ":" + n.getOpType();
    }

    private void visit(int i, NodeProto n) {
        String k = key(n);
        if (k.equals("Constant")) {
            consts.put(n.getOutput(0), constantNode(i, n));
            folded[i] = true;
            return;
        }
        List<String> actIn = new ArrayList<>();
        for (String in : n.getInputList())
            if (!in.isEmpty() && acts.containsKey(in))
                actIn.add(in);
        if (k.equals("Shape") && actIn.size() == 1) {
            Act a = acts.get(actIn.get(0));
            long[] d = a.dims();
            int r = d.length;
            int s = (int) clampAxis(attrInt(n, "start", 0), r, true), e = (int) clampAxis(attrInt(n, "end", r), r, true);
            consts.put(n.getOutput(0), Const.vector(Arrays.copyOfRange(d, s, Math.max(s, e))));
            folded[i] = true;
            notes.get(i).add("shape of the activation (batch taken as 1)");
            return;
        }
        if (actIn.isEmpty()) {
            foldConstant(i, n, k);
            folded[i] = true;
            return;
        }
        if (actIn.size() > 1)
            throw unsupported(i, "combines two activation tensors (" + String.join(", ", actIn)
                    + "); ebnn supports a single chain of layers (no branches or residual connections)");
        String xin = actIn.get(0);
        Act a = acts.get(xin);
        if (!consumed.add(xin)) {
            // several heads on the same scores (Softmax for probabilities and ArgMax for the class) are fine
            if (!HEADS.contains(k))
                throw unsupported(i, "reads activation '" + xin + "', which another node already reads; branches are not supported");
            a = new Act(a.dims(), a.perm(), true);
        }
        if (n.getInputCount() == 0 || !n.getInput(0).equals(xin)) {
            // the activation must be the first operand except in commutative elementwise ops
            if (!(k.equals("Add") || k.equals("Mul") || k.equals("Sub")))
                throw unsupported(i, "takes the activation as operand " + n.getInputList().indexOf(xin) + "; expected it first");
        }
        if (a.tail()) {
            tailOp(i, n, k, a);
            return;
        }
        if (pendingPad != null && !k.equals("Conv"))
            throw unsupported(pendingPadNode, "a Pad that does not feed a Conv (it feeds " + describe(i) + ")");
        switch (k) {
            case "Identity", "Dropout", "Cast" -> {
                pass(i, n, a, "no-op");
            }
            case "Transpose" -> transpose(i, n, a);
            case "Reshape" -> reshape(i, n, a);
            case "Flatten" -> flatten(i, n, a);
            case "Squeeze", "Unsqueeze" -> squeeze(i, n, a, k.equals("Unsqueeze"));
            case "Add", "Sub", "Mul", "Div" -> elementwise(i, n, a, k, xin);
            case "Neg" -> {
                affine(i, a, Params.of(-1), Params.of(0));
                out(n, a);
            }
            case "Sign" -> {
                sign(i);
                notes.get(i).add("Sign (an exact 0 gives +1 in ebnn, 0 in ONNX)");
                out(n, a);
            }
            case "BatchNormalization" -> batchNorm(i, n, a);
            case "Conv" -> conv(i, n, a);
            case "MaxPool" -> maxPool(i, n, a);
            case "Pad" -> pad(i, n, a);
            case "MatMul" -> matMul(i, n, a, false);
            case "Gemm" -> matMul(i, n, a, true);
            case "Softmax", "LogSoftmax", "ArgMax", "TopK" -> {
                dropped[i] = true;
                notes.get(i).add(n.getOpType() + " (argmax-preserving)");
                if (k.equals("TopK"))
                    for (String o : n.getOutputList())
                        if (!o.isEmpty())
                            acts.put(o, new Act(a.dims(), a.perm(), true));
                out(n, new Act(a.dims(), a.perm(), true));
            }
            case "qonnx:MultiThreshold" -> multiThreshold(i, n, a);
            case "qonnx:BipolarQuant" -> bipolarQuant(i, n, a);
            case "qonnx:Quant" -> quantActivation(i, n, a);
            case "qonnx:XnorPopcountMatMul" -> xnorPopcount(i, n, a);
            default -> throw unsupported(i, "unsupported op on the activation path (ebnn binarized networks take Conv, MatMul/Gemm, "
                    + "BatchNormalization, MaxPool, Sign/BipolarQuant/MultiThreshold, Add/Mul/Sub/Div by constants, layout ops and a "
                    + "Softmax/TopK/ArgMax head)");
        }
    }

    private void out(NodeProto n, Act a) {
        if (n.getOutputCount() > 0 && !n.getOutput(0).isEmpty())
            acts.put(n.getOutput(0), a);
    }

    private void pass(int i, NodeProto n, Act a, String note) {
        notes.get(i).add(note);
        out(n, a);
    }

    /** Ops after the head (Softmax/TopK/ArgMax): only ones that keep the argmax are allowed. */
    private void tailOp(int i, NodeProto n, String k, Act a) {
        dropped[i] = true;
        switch (k) {
            case "Add", "Sub", "Mul", "Div" -> {
                String other = n.getInput(0).equals(n.getInput(1)) ? null : n.getInput(n.getInput(0).equals(n.getInputList().stream().filter(acts::containsKey).findFirst().orElse("")) ? 1 : 0);
                Const c = other == null ? null : consts.get(other);
                if (c == null || c.size() != 1 || ((k.equals("Mul") || k.equals("Div")) && !(c.get(0) > 0)) || (k.equals("Sub") && !n.getInput(1).equals(other)))
                    throw unsupported(i, "follows the Softmax/TopK/ArgMax head and may change the class order");
                notes.get(i).add(n.getOpType() + " by a positive scalar after the head");
                out(n, a);
            }
            case "Identity", "Cast", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Softmax", "LogSoftmax", "ArgMax", "TopK" -> {
                notes.get(i).add(n.getOpType() + " after the head");
                for (String o : n.getOutputList())
                    if (!o.isEmpty())
                        acts.put(o, a);
            }
            default -> throw unsupported(i, "follows the Softmax/TopK/ArgMax head; only ops that keep the class order may come after it");
        }
    }

    // ---------------------------------------------------------------- layout ops

    private void transpose(int i, NodeProto n, Act a) {
        int r = a.dims().length;
        long[] p = ints(n, "perm", null);
        if (p == null) {
            p = new long[r];
            for (int k = 0; k < r; k++)
                p[k] = r - 1 - k;
        }
        if (p.length != r)
            throw invalid(i, "perm " + Arrays.toString(p) + " does not match rank " + r);
        if (p[0] != 0)
            throw unsupported(i, "moves the batch axis (perm " + Arrays.toString(p) + ")");
        boolean[] seen = new boolean[r];
        for (long v : p) {
            if (v < 0 || v >= r || seen[(int) v])
                throw invalid(i, "perm " + Arrays.toString(p) + " is not a permutation");
            seen[(int) v] = true;
        }
        long[] nd = new long[r];
        for (int k = 0; k < r; k++)
            nd[k] = a.dims()[(int) p[k]];
        long[] os = Const.strides(a.dims());
        int size = a.size();
        int[] perm = new int[size];
        long[] idx = new long[r];
        boolean identity = true;
        for (int j = 0; j < size; j++) {
            long src = 0;
            for (int k = 0; k < r; k++)
                src += idx[k] * os[(int) p[k]];
            perm[j] = a.irIndex((int) src);
            identity &= perm[j] == j;
            for (int k = r - 1; k >= 0; k--) {
                if (++idx[k] < nd[k])
                    break;
                idx[k] = 0;
            }
        }
        notes.get(i).add("layout " + Arrays.toString(p));
        out(n, new Act(nd, identity ? null : perm, false));
    }

    private void reshape(int i, NodeProto n, Act a) {
        Const shape = constInput(i, n, 1, "shape");
        long[] t = shape.longs();
        boolean allowZero = attrInt(n, "allowzero", 0) != 0;
        long[] nd = new long[t.length];
        int infer = -1;
        long known = 1;
        for (int k = 0; k < t.length; k++) {
            long v = t[k];
            if (v == 0 && !allowZero) {
                if (k >= a.dims().length)
                    throw invalid(i, "shape " + Arrays.toString(t) + " copies dimension " + k + " the input does not have");
                v = a.dims()[k];
            }
            if (v == -1) {
                if (infer >= 0)
                    throw invalid(i, "shape " + Arrays.toString(t) + " has two -1 entries");
                infer = k;
                continue;
            }
            if (v < 0)
                throw invalid(i, "shape " + Arrays.toString(t) + " has a negative entry");
            if (v != 0 && known > Shape.MAX_ELEMENTS / v)
                throw invalid(i, "shape " + Arrays.toString(t) + " has more elements than the input");
            nd[k] = v;
            known *= v;
        }
        long total = a.size();
        if (infer >= 0) {
            if (known == 0 || total % known != 0)
                throw invalid(i, "cannot reshape " + Arrays.toString(a.dims()) + " to " + Arrays.toString(t));
            nd[infer] = total / known;
        } else if (known != total)
            throw invalid(i, "cannot reshape " + Arrays.toString(a.dims()) + " (" + total + " elements) to " + Arrays.toString(t));
        if (nd.length == 0 || nd[0] != 1)
            throw unsupported(i, "reshapes across the batch dimension (to " + Arrays.toString(nd) + ")");
        notes.get(i).add("reshape to " + Arrays.toString(nd));
        out(n, new Act(nd, a.perm(), false));
    }

    private void flatten(int i, NodeProto n, Act a) {
        long axis = attrInt(n, "axis", 1);
        if (axis < 0)
            axis += a.dims().length;
        if (axis != 1)
            throw unsupported(i, "Flatten with axis " + axis + " (only axis 1 keeps the batch)");
        notes.get(i).add("flatten");
        out(n, new Act(new long[] { 1, a.size() }, a.perm(), false));
    }

    private void squeeze(int i, NodeProto n, Act a, boolean unsqueeze) {
        long[] axes = ints(n, "axes", null);
        if (axes == null && n.getInputCount() > 1 && !n.getInput(1).isEmpty())
            axes = constInput(i, n, 1, "axes").longs();
        List<Long> d = new ArrayList<>();
        for (long v : a.dims())
            d.add(v);
        if (unsqueeze) {
            if (axes == null)
                throw invalid(i, "Unsqueeze without axes");
            int r = d.size() + axes.length;
            long[] norm = axes.clone();
            for (int k = 0; k < norm.length; k++)
                norm[k] = norm[k] < 0 ? norm[k] + r : norm[k];
            Arrays.sort(norm);
            for (long ax : norm) {
                if (ax <= 0 || ax > d.size())
                    throw unsupported(i, "Unsqueeze axis " + ax + " (the batch axis must stay first)");
                d.add((int) ax, 1L);
            }
        } else {
            int r = d.size();
            Set<Integer> rm = new HashSet<>();
            if (axes == null) {
                for (int k = 1; k < r; k++)
                    if (d.get(k) == 1)
                        rm.add(k);
            } else
                for (long ax : axes) {
                    int x = (int) (ax < 0 ? ax + r : ax);
                    if (x <= 0 || x >= r)
                        throw unsupported(i, "Squeeze axis " + ax + " (the batch axis must stay)");
                    if (d.get(x) != 1)
                        throw invalid(i, "Squeeze of axis " + ax + " of size " + d.get(x));
                    rm.add(x);
                }
            List<Long> kept = new ArrayList<>();
            for (int k = 0; k < r; k++)
                if (!rm.contains(k))
                    kept.add(d.get(k));
            d = kept;
        }
        long[] nd = d.stream().mapToLong(Long::longValue).toArray();
        notes.get(i).add((unsqueeze ? "unsqueeze" : "squeeze") + " to " + Arrays.toString(nd));
        out(n, new Act(nd, a.perm(), false));
    }

    // ---------------------------------------------------------------- per-channel constants

    /** Per-element values of a constant broadcast along the activation's ONNX dims; the constant must not change the shape. */
    private double[] overAct(int i, Act a, Const c) {
        long[] b = ConstOps.broadcastDims(a.dims(), c.dims());
        if (b == null || !Arrays.equals(b, a.dims()))
            throw invalid(i, "constant of shape " + Arrays.toString(c.dims()) + " does not broadcast to the activation "
                    + Arrays.toString(a.dims()));
        return ConstOps.expand(c, a.dims(), describe(i));
    }

    /** Per-element values of a per-channel vector along ONNX axis {@code axis}. */
    private double[] alongAxis(int i, Act a, int axis, double[] param) {
        long[] d = a.dims();
        if (axis < 0 || axis >= d.length || (param.length != d[axis] && param.length != 1))
            throw invalid(i, "has " + param.length + " channel values for activation " + Arrays.toString(d) + " (axis " + axis + ")");
        long inner = 1;
        for (int k = axis + 1; k < d.length; k++)
            inner *= d[k];
        int size = a.size();
        double[] out = new double[size];
        for (int j = 0; j < size; j++)
            out[j] = param.length == 1 ? param[0] : param[(int) ((j / inner) % d[axis])];
        return out;
    }

    /** Reduces per-element values to one value per IR channel; refuses values that vary within a channel. */
    private double[] perIrChannel(int i, Act a, double[] perElement, String what) {
        int c = cur.channels(), plane = cur.height() * cur.width();
        if (perElement.length != cur.size())
            throw new IllegalStateException("activation size " + perElement.length + " vs IR shape " + cur);
        double[] out = new double[c];
        boolean[] set = new boolean[c];
        for (int j = 0; j < perElement.length; j++) {
            int ch = a.irIndex(j) / plane;
            if (!set[ch]) {
                out[ch] = perElement[j];
                set[ch] = true;
            } else if (out[ch] != perElement[j])
                throw unsupported(i, what + " varies within channel " + ch + " of " + cur
                        + "; only per-channel or scalar constants are supported");
        }
        return out;
    }

    private static Params compact(double[] v) {
        for (double x : v)
            if (x != v[0])
                return Params.of(v);
        return Params.of(v[0]);
    }

    // ---------------------------------------------------------------- elementwise and normalisation

    private void elementwise(int i, NodeProto n, Act a, String k, String xin) {
        if (n.getInputCount() != 2)
            throw invalid(i, "needs 2 inputs");
        boolean actFirst = n.getInput(0).equals(xin);
        Const c = constInput(i, n, actFirst ? 1 : 0, "operand");
        double[] v = perIrChannel(i, a, overAct(i, a, c), k + " constant");
        int ch = v.length;
        double[] scale = new double[ch], shift = new double[ch];
        for (int q = 0; q < ch; q++) {
            switch (k) {
                case "Add" -> {
                    scale[q] = 1;
                    shift[q] = v[q];
                }
                case "Sub" -> {
                    scale[q] = actFirst ? 1 : -1;
                    shift[q] = actFirst ? -v[q] : v[q];
                }
                case "Mul" -> {
                    scale[q] = v[q];
                    shift[q] = 0;
                }
                default -> {
                    if (!actFirst)
                        throw unsupported(i, "divides a constant by the activation");
                    if (v[q] == 0)
                        throw invalid(i, "divides by zero (channel " + q + ")");
                    scale[q] = 1 / v[q];
                    shift[q] = 0;
                }
            }
        }
        affine(i, a, compact(scale), compact(shift));
        out(n, a);
    }

    private void batchNorm(int i, NodeProto n, Act a) {
        if (attrInt(n, "training_mode", 0) != 0)
            throw unsupported(i, "BatchNormalization in training mode");
        if (n.getInputCount() < 5)
            throw invalid(i, "needs 5 inputs (X, scale, B, mean, var)");
        double eps = attrFloat(n, "epsilon", 1e-5);
        double[][] p = new double[4][];
        String[] names = { "scale", "B", "mean", "var" };
        for (int q = 0; q < 4; q++) {
            Const c = constInput(i, n, q + 1, names[q]);
            if (c.rank() > 1)
                throw invalid(i, names[q] + " must be a vector, has shape " + Arrays.toString(c.dims()));
            p[q] = perIrChannel(i, a, alongAxis(i, a, 1, c.values()), names[q]);
        }
        int ch = cur.channels();
        BatchNorm bn = new BatchNorm(nodeName(i), ch, Params.of(p[0]), Params.of(p[1]), Params.of(p[2]), Params.of(p[3]), eps);
        add(bn, i);
        out(n, a);
    }

    private void affine(int i, Act a, Params scale, Params shift) {
        boolean identity = true;
        for (int q = 0; q < scale.length(); q++)
            identity &= scale.get(q) == 1;
        for (int q = 0; q < shift.length(); q++)
            identity &= shift.get(q) == 0;
        if (identity) {
            notes.get(i).add("identity (no-op)");
            return;
        }
        if (layers.isEmpty() && scale.length() == 1 && shift.length() == 1 && scale.get(0) > 0 && !rangeGiven) {
            // input scaling (Div 255, Mul 2 Sub 1, ...) belongs to the input range: the device keeps taking bytes
            low = low * scale.get(0) + shift.get(0);
            high = high * scale.get(0) + shift.get(0);
            inputScaled = true;
            notes.get(i).add("input scaling folded into the input range");
            return;
        }
        Entry last = layers.isEmpty() ? null : layers.get(layers.size() - 1);
        boolean unitScale = true;
        for (int q = 0; q < scale.length(); q++)
            unitScale &= scale.get(q) == 1;
        if (unitScale && last != null && (last.layer instanceof Dense || last.layer instanceof Conv2d)) {
            // a bias Add after MatMul/Conv: into the layer's bias
            int out = last.layer instanceof Dense d ? d.outputs() : ((Conv2d) last.layer).outChannels();
            double[] b = new double[out];
            for (int q = 0; q < out; q++)
                b[q] = (last.layer instanceof Dense d ? d.biasOf(q) : ((Conv2d) last.layer).biasOf(q))
                        + (shift.length() == 1 ? shift.get(0) : shift.get(q));
            if (last.layer instanceof Dense d)
                last.layer = new Dense(d.name(), d.inputs(), d.outputs(), d.weights(), Params.of(b));
            else {
                Conv2d c = (Conv2d) last.layer;
                last.layer = new Conv2d(c.name(), c.inChannels(), c.outChannels(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(),
                        c.padding(), c.weights(), Params.of(b));
            }
            notes.get(i).add("bias of '" + last.layer.name() + "'");
            return;
        }
        if (last != null && last.layer instanceof Affine p) {
            int ch = Math.max(scale.length(), Math.max(shift.length(), Math.max(p.scale().length(), p.shift().length())));
            double[] s = new double[ch], t = new double[ch];
            for (int q = 0; q < ch; q++) {
                double s1 = p.scaleOf(q), t1 = p.shiftOf(q);
                double s2 = scale.length() == 1 ? scale.get(0) : scale.get(q), t2 = shift.length() == 1 ? shift.get(0) : shift.get(q);
                s[q] = s2 * s1;
                t[q] = s2 * t1 + t2;
            }
            last.layer = new Affine(p.name(), p.channels(), compact(s), compact(t));
            notes.get(i).add("merged into affine '" + p.name() + "'");
            return;
        }
        add(new Affine(nodeName(i), cur.channels(), scale, shift), i);
    }

    /** Appends a sign; removes what a sign after a sign makes redundant (Larq's Sign → Add 0.1 → Sign). */
    private void sign(int i) {
        Entry last = layers.isEmpty() ? null : layers.get(layers.size() - 1);
        if (last != null && last.layer instanceof Sign) {
            notes.get(i).add("sign of ±1 values (no-op)");
            return;
        }
        if (last != null && last.layer instanceof Affine p && layers.size() >= 2 && layers.get(layers.size() - 2).layer instanceof Sign) {
            boolean keeps = true;
            for (int c = 0; c < p.channels(); c++)
                keeps &= p.scaleOf(c) > 0 && Math.abs(p.shiftOf(c)) < p.scaleOf(c);
            if (keeps) {
                layers.remove(layers.size() - 1);
                notes.get(last.node).add("shift of ±1 values that the next sign undoes (merged)");
                notes.get(i).add("merged with the previous sign (0 -> +1)");
                return;
            }
        }
        if (layers.isEmpty() && !inputScaled && !rangeGiven) {
            // a sign straight on the raw input: the input is ±1 data (hls4ml/QONNX truth tables); bytes < 128 are -1
            low = rawLow = -1;
            high = rawHigh = 1;
            header.add("input is binarized by the first layer: taken as -1..+1 (byte 0 = -1, byte 255 = +1, bytes < 128 give -1)");
        }
        add(new Sign(nodeName(i)), i);
    }

    /** Largest activation (elements per sample) ebnn imports; keeps permutations and evaluation buffers small. */
    static final long MAX_ACTIVATION = 1L << 24;

    private void add(Layer l, int node) {
        Shape next = l.outputShape(cur);
        if (next.size() > MAX_ACTIVATION)
            throw unsupported(node, "produces " + next + " = " + next.size() + " values per sample, more than the " + MAX_ACTIVATION
                    + " ebnn handles");
        cur = next;
        layers.add(new Entry(l, node));
    }

    // ---------------------------------------------------------------- binarization ops

    private void multiThreshold(int i, NodeProto n, Act a) {
        Const t = constInput(i, n, 1, "thresholds");
        if (t.rank() != 2)
            throw invalid(i, "thresholds must be 2-D [channels, thresholds], are " + Arrays.toString(t.dims()));
        if (t.dims()[1] != 1)
            throw unsupported(i, t.dims()[1] + " thresholds per channel (a multi-bit activation); ebnn needs one threshold per channel (a sign)");
        String dl = attrString(n, "data_layout", "NCHW");
        int axis = dl.equals("NHWC") ? a.dims().length - 1 : 1;
        double outScale = attrFloat(n, "out_scale", 1), outBias = attrFloat(n, "out_bias", 0);
        if (outScale == 0)
            throw unsupported(i, "out_scale 0 (constant output)");
        double[] thr = perIrChannel(i, a, alongAxis(i, a, axis, t.values()), "threshold");
        double[] neg = new double[thr.length];
        for (int q = 0; q < thr.length; q++)
            neg[q] = -thr[q];
        // count(x >= T) = (sign(x - T) + 1) / 2 exactly (x - T >= 0 iff x >= T for finite doubles)
        boolean zero = true;
        for (double v : thr)
            zero &= v == 0;
        if (!zero)
            affine(i, a, Params.of(1), compact(neg));
        sign(i);
        notes.get(i).add(String.format(Locale.ROOT, "MultiThreshold 1 threshold/channel, out %s*s%+.3g", fmt(outScale), outBias));
        if (!(outScale == 2 && outBias == -1))
            affine(i, a, Params.of(outScale / 2), Params.of(outScale / 2 + outBias));
        out(n, a);
    }

    private void bipolarQuant(int i, NodeProto n, Act a) {
        Const s = constInput(i, n, 1, "scale");
        double[] sc = perIrChannel(i, a, overAct(i, a, s), "scale");
        sign(i);
        notes.get(i).add("BipolarQuant");
        affine(i, a, compact(sc), Params.of(0));
        out(n, a);
    }

    private void quantActivation(int i, NodeProto n, Act a) {
        if (!layers.isEmpty())
            throw unsupported(i, "Quant on an activation (a multi-bit activation); ebnn needs binarized activations (BipolarQuant, Sign)");
        // on the input it is a no-op when it maps every byte value the device can receive to itself
        Const[] q = { constInput(i, n, 1, "scale"), constInput(i, n, 2, "zero point"), constInput(i, n, 3, "bit width") };
        for (Const c : q)
            if (c.size() != 1)
                throw unsupported(i, "per-channel Quant on the input");
        for (int b = 0; b < 256; b++) {
            double x = low + b * (high - low) / 255.0;
            double y = quant(x, q[0].get(0), q[1].get(0), q[2].get(0), attrInt(n, "signed", 1) != 0, attrInt(n, "narrow", 0) != 0,
                    attrString(n, "rounding_mode", "ROUND"), i);
            if (Math.abs(y - x) > 1e-9 * Math.max(1, Math.abs(x)))
                throw unsupported(i, "Quant on the input changes input value " + x + " to " + y + "; only a Quant that keeps all 256 byte values is supported");
        }
        notes.get(i).add("Quant on the input is exact for all byte values (no-op)");
        out(n, a);
    }

    private void xnorPopcount(int i, NodeProto n, Act a) {
        Const w = constInput(i, n, 1, "weights");
        if (w.rank() != 2)
            throw invalid(i, "weights must be 2-D");
        int k = (int) w.dims()[0], m = (int) w.dims()[1];
        double[] b = new double[m * k];
        double[] bias = new double[m];
        for (int j = 0; j < k; j++)
            for (int o = 0; o < m; o++) {
                double v = w.get(j * m + o);
                if (v != 0 && v != 1)
                    throw invalid(i, "XnorPopcountMatMul weights must be 0 or 1, found " + v);
                b[j * m + o] = 2 * v - 1;
                bias[o] += 1 - v;
            }
        // popcount(xnor(x, w)) = sum x (2w - 1) + sum (1 - w) for x in {0,1}
        dense(i, n, a, new Const(w.dims(), b, false), bias, "XnorPopcountMatMul");
    }

    static double quant(double x, double scale, double zp, double bits, boolean signed, boolean narrow, String mode, int node) {
        if (scale == 0 || bits < 1 || bits > 32)
            throw new InvalidModelException("Quant at node " + node + ": scale " + scale + ", bit width " + bits);
        double min = signed ? (narrow ? -Math.pow(2, bits - 1) + 1 : -Math.pow(2, bits - 1)) : 0;
        double max = signed ? Math.pow(2, bits - 1) - 1 : (narrow ? Math.pow(2, bits) - 2 : Math.pow(2, bits) - 1);
        double v = x / scale + zp;
        v = switch (mode.toUpperCase(Locale.ROOT)) {
            case "CEIL" -> Math.ceil(v);
            case "FLOOR" -> Math.floor(v);
            case "ROUND_TO_ZERO" -> v < 0 ? Math.ceil(v) : Math.floor(v);
            default -> Math.rint(v); // numpy round: half to even
        };
        v = Math.max(min, Math.min(max, v));
        return (v - zp) * scale;
    }

    // ---------------------------------------------------------------- linear layers

    private void matMul(int i, NodeProto n, Act a, boolean gemm) {
        Const w = constInput(i, n, 1, "weights");
        double alpha = 1, beta = 1;
        boolean transB = false;
        if (gemm) {
            if (attrInt(n, "transA", 0) != 0)
                throw unsupported(i, "Gemm with transA=1");
            transB = attrInt(n, "transB", 0) != 0;
            alpha = attrFloat(n, "alpha", 1);
            beta = attrFloat(n, "beta", 1);
        }
        if (w.rank() != 2)
            throw unsupported(i, "weights of shape " + Arrays.toString(w.dims()) + " (only 2-D weights)");
        if (transB)
            w = ConstOps.transpose(w, new int[] { 1, 0 }, describe(i));
        if (alpha != 1) {
            double[] v = w.values().clone();
            for (int q = 0; q < v.length; q++)
                v[q] *= alpha;
            w = new Const(w.dims(), v, false);
        }
        int m = (int) w.dims()[1];
        double[] bias = new double[m];
        boolean hasBias = false;
        if (gemm && n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            Const c = constInput(i, n, 2, "bias");
            double[] e = ConstOps.expand(c, new long[] { 1, m }, describe(i));
            for (int o = 0; o < m; o++)
                bias[o] = beta * e[o];
            hasBias = true;
        }
        dense(i, n, a, w, hasBias ? bias : null, n.getOpType());
    }

    /** A dense layer from ONNX weights [K, M] acting on the activation as a row vector. */
    private void dense(int i, NodeProto n, Act a, Const w, double[] bias, String what) {
        long[] d = a.dims();
        for (int k = 1; k < d.length - 1; k++)
            if (d[k] != 1)
                throw unsupported(i, what + " on a " + Arrays.toString(d) + " tensor (only on vectors)");
        int kIn = (int) d[d.length - 1];
        if (d.length < 2 || w.dims()[0] != kIn)
            throw invalid(i, what + " weights " + Arrays.toString(w.dims()) + " do not match input " + Arrays.toString(d));
        int m = (int) w.dims()[1];
        if (!cur.isVector())
            add(new Flatten(nodeName(i) + "/flatten"), i);
        double[] wt = new double[m * kIn];
        for (int j = 0; j < kIn; j++) {
            int irIn = a.irIndex(j);
            for (int o = 0; o < m; o++)
                wt[o * kIn + irIn] = w.get(j * m + o);
        }
        double[] b = bias == null ? new double[m] : bias.clone();
        boolean hasBias = bias != null;
        // a scalar affine between a sign and this layer (BipolarQuant scale, unipolar {0,1} activations) folds into it
        if (foldableAffineBefore(true)) {
            Affine p = (Affine) layers.remove(layers.size() - 1).layer;
            double s = p.scaleOf(0), t = p.shiftOf(0);
            for (int o = 0; o < m; o++) {
                double row = 0;
                for (int q = 0; q < kIn; q++) {
                    row += wt[o * kIn + q];
                    wt[o * kIn + q] *= s;
                }
                b[o] += t * row;
                hasBias |= t != 0;
            }
            notes.get(i).add("folded affine '" + p.name() + "' into the weights");
        }
        checkBinarized(i, wt, m, kIn);
        Dense layer = new Dense(nodeName(i), kIn, m, Params.of(wt), hasBias ? Params.of(b) : Params.empty());
        add(layer, i);
        out(n, new Act(new long[] { 1, m }, null, false));
    }

    private boolean foldableAffineBefore(boolean shiftAllowed) {
        int s = layers.size();
        return s >= 2 && layers.get(s - 1).layer instanceof Affine p && p.scale().length() == 1 && p.shift().length() == 1
                && p.scaleOf(0) != 0 && (shiftAllowed || p.shiftOf(0) == 0) && layers.get(s - 2).layer instanceof Sign;
    }

    /** Refuses float weights: every output row must hold ±α for one α; values within 1e-5 of that are snapped to it. */
    private void checkBinarized(int i, double[] w, int rows, int cols) {
        for (int o = 0; o < rows; o++) {
            double sum = 0;
            for (int q = 0; q < cols; q++)
                sum += Math.abs(w[o * cols + q]);
            double alpha = sum / cols;
            for (int q = 0; q < cols; q++) {
                double v = Math.abs(w[o * cols + q]);
                if (alpha == 0 || Math.abs(v - alpha) > 1e-5 * alpha)
                    throw unsupported(i, "is not binarized: output channel " + o + " has weights " + fmt(w[o * cols])
                            + (cols > 1 ? ", " + fmt(w[o * cols + 1]) : "") + (cols > 2 ? ", ..." : "")
                            + " (not ±α for one α); the first non-binarizable layer of this model (a float network?)");
            }
            for (int q = 0; q < cols; q++)
                w[o * cols + q] = Math.copySign(alpha, w[o * cols + q]);
        }
    }

    private Padding convPads(int i, NodeProto n, int h, int w, int kh, int kw, int sh, int sw) {
        String auto = attrString(n, "auto_pad", "NOTSET");
        long[] pads = ints(n, "pads", new long[] { 0, 0, 0, 0 });
        if (pads.length != 4)
            throw invalid(i, "pads " + Arrays.toString(pads) + " (expected 4 values)");
        for (long p : pads)
            if (p < 0 || p > 64)
                throw unsupported(i, "padding " + Arrays.toString(pads));
        switch (auto) {
            case "NOTSET", "" -> {
                return new Padding((int) pads[0], (int) pads[1], (int) pads[2], (int) pads[3]);
            }
            case "VALID" -> {
                return Padding.NONE;
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                int th = Math.max(0, ((h + sh - 1) / sh - 1) * sh + kh - h), tw = Math.max(0, ((w + sw - 1) / sw - 1) * sw + kw - w);
                boolean upper = auto.equals("SAME_UPPER");
                int top = upper ? th / 2 : th - th / 2, left = upper ? tw / 2 : tw - tw / 2;
                return new Padding(top, left, th - top, tw - left);
            }
            default -> throw invalid(i, "auto_pad " + auto);
        }
    }

    private void requireFeatureMap(int i, Act a, String what) {
        long[] d = a.dims();
        if (d.length != 4 || a.perm() != null || d[1] != cur.channels() || d[2] != cur.height() || d[3] != cur.width())
            throw unsupported(i, what + " on a tensor " + Arrays.toString(d) + " whose layout ebnn cannot map to CHW " + cur
                    + (a.perm() != null ? " (it is transposed; ONNX Conv/MaxPool take NCHW)" : ""));
    }

    private void checkUnitDilations(int i, NodeProto n) {
        long[] dil = ints(n, "dilations", null);
        if (dil != null)
            for (long v : dil)
                if (v != 1)
                    throw unsupported(i, "dilations " + Arrays.toString(dil));
    }

    private void conv(int i, NodeProto n, Act a) {
        requireFeatureMap(i, a, "Conv");
        Const w = constInput(i, n, 1, "weights");
        if (w.rank() != 4)
            throw unsupported(i, "weights of shape " + Arrays.toString(w.dims()) + " (only 2-D convolutions)");
        if (attrInt(n, "group", 1) != 1)
            throw unsupported(i, "grouped/depthwise convolution (group " + attrInt(n, "group", 1) + ")");
        checkUnitDilations(i, n);
        int out = (int) w.dims()[0], in = (int) w.dims()[1], kh = (int) w.dims()[2], kw = (int) w.dims()[3];
        if (in != cur.channels())
            throw invalid(i, "weights " + Arrays.toString(w.dims()) + " expect " + in + " input channels, the input has " + cur.channels());
        long[] st = ints(n, "strides", new long[] { 1, 1 });
        long[] ks = ints(n, "kernel_shape", null);
        if (ks != null && (ks.length != 2 || ks[0] != kh || ks[1] != kw))
            throw invalid(i, "kernel_shape " + Arrays.toString(ks) + " does not match weights " + Arrays.toString(w.dims()));
        if (st.length != 2 || st[0] <= 0 || st[1] <= 0 || st[0] > 64 || st[1] > 64)
            throw unsupported(i, "strides " + Arrays.toString(st));
        Padding pad = convPads(i, n, cur.height(), cur.width(), kh, kw, (int) st[0], (int) st[1]);
        if (pendingPad != null) {
            pad = new Padding(pad.top() + pendingPad.top(), pad.left() + pendingPad.left(), pad.bottom() + pendingPad.bottom(),
                    pad.right() + pendingPad.right());
            notes.get(i).add("with the zero padding of " + describe(pendingPadNode));
            pendingPad = null;
        }
        double[] wt = w.values().clone();
        double[] bias = new double[out];
        boolean hasBias = false;
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            Const b = constInput(i, n, 2, "bias");
            if (b.size() != out)
                throw invalid(i, "bias has " + b.size() + " values for " + out + " output channels");
            bias = b.values().clone();
            hasBias = true;
        }
        boolean padded = pad.top() + pad.left() + pad.bottom() + pad.right() > 0;
        if (foldableAffineBefore(!padded)) {
            Affine p = (Affine) layers.remove(layers.size() - 1).layer;
            int per = in * kh * kw;
            for (int o = 0; o < out; o++) {
                double row = 0;
                for (int q = 0; q < per; q++) {
                    row += wt[o * per + q];
                    wt[o * per + q] *= p.scaleOf(0);
                }
                bias[o] += p.shiftOf(0) * row;
                hasBias |= p.shiftOf(0) != 0;
            }
            notes.get(i).add("folded affine '" + p.name() + "' into the weights");
        }
        checkBinarized(i, wt, out, in * kh * kw);
        Conv2d c = new Conv2d(nodeName(i), in, out, kh, kw, (int) st[0], (int) st[1], pad, Params.of(wt),
                hasBias ? Params.of(bias) : Params.empty());
        add(c, i);
        out(n, new Act(new long[] { 1, cur.channels(), cur.height(), cur.width() }, null, false));
    }

    private void maxPool(int i, NodeProto n, Act a) {
        requireFeatureMap(i, a, "MaxPool");
        checkUnitDilations(i, n);
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && consumers.containsKey(n.getOutput(1)))
            throw unsupported(i, "uses the MaxPool indices output");
        long[] ks = ints(n, "kernel_shape", null);
        if (ks == null || ks.length != 2)
            throw invalid(i, "kernel_shape " + (ks == null ? "missing" : Arrays.toString(ks)));
        long[] st = ints(n, "strides", new long[] { 1, 1 });
        if (st.length != 2 || ks[0] <= 0 || ks[1] <= 0 || ks[0] > 64 || ks[1] > 64 || st[0] <= 0 || st[1] <= 0 || st[0] > 64 || st[1] > 64)
            throw unsupported(i, "kernel " + Arrays.toString(ks) + " strides " + Arrays.toString(st));
        int kh = (int) ks[0], kw = (int) ks[1], sh = (int) st[0], sw = (int) st[1];
        Padding pad = convPads(i, n, cur.height(), cur.width(), kh, kw, sh, sw);
        if (attrInt(n, "ceil_mode", 0) != 0) {
            int hp = cur.height() + pad.top() + pad.bottom() - kh, wp = cur.width() + pad.left() + pad.right() - kw;
            if (hp % sh != 0 || wp % sw != 0)
                throw unsupported(i, "ceil_mode=1 where it changes the output size");
        }
        add(new MaxPool2d(nodeName(i), kh, kw, sh, sw, pad), i);
        out(n, new Act(new long[] { 1, cur.channels(), cur.height(), cur.width() }, null, false));
    }

    private void pad(int i, NodeProto n, Act a) {
        requireFeatureMap(i, a, "Pad");
        String mode = attrString(n, "mode", "constant");
        if (!mode.equals("constant"))
            throw unsupported(i, "Pad mode " + mode);
        long[] pads = ints(n, "pads", null);
        double value = attrFloat(n, "value", 0);
        if (pads == null)
            pads = constInput(i, n, 1, "pads").longs();
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty())
            value = constInput(i, n, 2, "constant value").get(0);
        if (n.getInputCount() > 3 && !n.getInput(3).isEmpty())
            throw unsupported(i, "Pad with axes");
        if (value != 0 || pads.length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0)
            throw unsupported(i, "Pad " + Arrays.toString(pads) + " value " + value + " (only zero padding of height and width)");
        for (long p : pads)
            if (p < 0 || p > 64)
                throw unsupported(i, "Pad " + Arrays.toString(pads));
        pendingPad = new Padding((int) pads[2], (int) pads[3], (int) pads[6], (int) pads[7]);
        pendingPadNode = i;
        notes.get(i).add("zero padding merged into the next Conv");
        long[] nd = { 1, cur.channels(), cur.height() + pads[2] + pads[6], cur.width() + pads[3] + pads[7] };
        // the act keeps the unpadded IR shape; the following conv applies the padding
        out(n, new Act(a.dims(), null, false));
        notes.get(i).add("to " + Arrays.toString(nd));
    }

    // ---------------------------------------------------------------- constants

    private Const constInput(int i, NodeProto n, int idx, String what) {
        if (n.getInputCount() <= idx || n.getInput(idx).isEmpty())
            throw invalid(i, "missing input " + idx + " (" + what + ")");
        String name = n.getInput(idx);
        Const c = consts.get(name);
        if (c == null)
            throw unsupported(i, what + " '" + name + "' is computed from the input, not a constant");
        return c;
    }

    private Const constantNode(int i, NodeProto n) {
        for (AttributeProto at : n.getAttributeList()) {
            switch (at.getName()) {
                case "value":
                    return Tensors.decode(at.getT(), "constant of " + describe(i));
                case "value_float":
                    return Const.scalar(at.getF(), false);
                case "value_int":
                    return Const.scalar(at.getI(), true);
                case "value_floats": {
                    double[] v = new double[at.getFloatsCount()];
                    for (int k = 0; k < v.length; k++)
                        v[k] = at.getFloats(k);
                    return new Const(new long[] { v.length }, v, false);
                }
                case "value_ints": {
                    long[] v = new long[at.getIntsCount()];
                    for (int k = 0; k < v.length; k++)
                        v[k] = at.getInts(k);
                    return Const.vector(v);
                }
                default:
            }
        }
        throw unsupported(i, "Constant without a numeric value");
    }

    private Const in(int i, NodeProto n, int idx) {
        return constInput(i, n, idx, "input " + idx);
    }

    private Const optIn(NodeProto n, int idx) {
        return n.getInputCount() > idx && !n.getInput(idx).isEmpty() ? consts.get(n.getInput(idx)) : null;
    }

    private void foldConstant(int i, NodeProto n, String k) {
        String where = describe(i);
        Const r;
        switch (k) {
            case "Identity", "Dropout" -> r = in(i, n, 0);
            case "Cast" -> {
                Const x = in(i, n, 0);
                long to = attrInt(n, "to", Tensors.FLOAT);
                boolean integer = to != Tensors.FLOAT && to != Tensors.DOUBLE && to != Tensors.FLOAT16 && to != Tensors.BFLOAT16;
                double[] v = x.values().clone();
                if (integer)
                    for (int q = 0; q < v.length; q++)
                        v[q] = v[q] < 0 ? Math.ceil(v[q]) : Math.floor(v[q]);
                else if (to == Tensors.FLOAT)
                    for (int q = 0; q < v.length; q++)
                        v[q] = (float) v[q];
                r = new Const(x.dims(), v, integer);
            }
            case "Add" -> r = ConstOps.binary(in(i, n, 0), in(i, n, 1), Double::sum, where);
            case "Sub" -> r = ConstOps.binary(in(i, n, 0), in(i, n, 1), (x, y) -> x - y, where);
            case "Mul" -> r = ConstOps.binary(in(i, n, 0), in(i, n, 1), (x, y) -> x * y, where);
            case "Div" -> {
                Const x = in(i, n, 0), y = in(i, n, 1);
                boolean integer = x.integer() && y.integer();
                r = ConstOps.binary(x, y, (p, q) -> {
                    if (q == 0)
                        throw invalid(i, "division by zero");
                    double v = p / q;
                    return integer ? (v < 0 ? Math.ceil(v) : Math.floor(v)) : v;
                }, where);
            }
            case "Neg", "Sign", "Abs", "Sqrt", "Reciprocal", "Floor", "Ceil", "Round" -> {
                Const x = in(i, n, 0);
                double[] v = x.values().clone();
                for (int q = 0; q < v.length; q++)
                    v[q] = switch (k) {
                        case "Neg" -> -v[q];
                        case "Sign" -> Math.signum(v[q]);
                        case "Abs" -> Math.abs(v[q]);
                        case "Sqrt" -> Math.sqrt(v[q]);
                        case "Reciprocal" -> 1 / v[q];
                        case "Floor" -> Math.floor(v[q]);
                        case "Ceil" -> Math.ceil(v[q]);
                        default -> Math.rint(v[q]);
                    };
                for (double d : v)
                    if (!Double.isFinite(d))
                        throw invalid(i, "constant folding gives a non-finite value");
                r = new Const(x.dims(), v, x.integer());
            }
            case "Reshape" -> {
                Const x = in(i, n, 0);
                long[] t = in(i, n, 1).longs();
                long[] nd = new long[t.length];
                int infer = -1;
                long known = 1;
                for (int q = 0; q < t.length; q++) {
                    long v = t[q] == 0 && attrInt(n, "allowzero", 0) == 0 ? (q < x.rank() ? x.dims()[q] : -2) : t[q];
                    if (v == -1) {
                        infer = q;
                        continue;
                    }
                    if (v < 0)
                        throw invalid(i, "bad shape " + Arrays.toString(t));
                    nd[q] = v;
                    if (v != 0 && known > Const.MAX_ELEMENTS / v)
                        throw invalid(i, "shape " + Arrays.toString(t) + " too large");
                    known *= v;
                }
                if (infer >= 0) {
                    if (known == 0 || x.size() % known != 0)
                        throw invalid(i, "cannot reshape " + Arrays.toString(x.dims()) + " to " + Arrays.toString(t));
                    nd[infer] = x.size() / known;
                } else if (known != x.size())
                    throw invalid(i, "cannot reshape " + Arrays.toString(x.dims()) + " to " + Arrays.toString(t));
                r = ConstOps.reshape(x, nd);
            }
            case "Flatten" -> {
                Const x = in(i, n, 0);
                long axis = attrInt(n, "axis", 1);
                if (axis < 0)
                    axis += x.rank();
                long outer = 1;
                for (int q = 0; q < axis && q < x.rank(); q++)
                    outer *= x.dims()[q];
                r = ConstOps.reshape(x, new long[] { outer, outer == 0 ? 0 : x.size() / outer });
            }
            case "Squeeze", "Unsqueeze" -> {
                Const x = in(i, n, 0);
                long[] axes = ints(n, "axes", null);
                if (axes == null && optIn(n, 1) != null)
                    axes = optIn(n, 1).longs();
                List<Long> d = new ArrayList<>();
                for (long v : x.dims())
                    d.add(v);
                if (k.equals("Unsqueeze")) {
                    if (axes == null)
                        throw invalid(i, "Unsqueeze without axes");
                    int rr = d.size() + axes.length;
                    long[] norm = axes.clone();
                    for (int q = 0; q < norm.length; q++)
                        norm[q] = norm[q] < 0 ? norm[q] + rr : norm[q];
                    Arrays.sort(norm);
                    for (long ax : norm) {
                        if (ax < 0 || ax > d.size())
                            throw invalid(i, "Unsqueeze axis " + ax);
                        d.add((int) ax, 1L);
                    }
                } else {
                    int rr = d.size();
                    Set<Integer> rm = new HashSet<>();
                    if (axes == null) {
                        for (int q = 0; q < rr; q++)
                            if (d.get(q) == 1)
                                rm.add(q);
                    } else
                        for (long ax : axes)
                            rm.add((int) (ax < 0 ? ax + rr : ax));
                    List<Long> kept = new ArrayList<>();
                    for (int q = 0; q < rr; q++)
                        if (!rm.contains(q))
                            kept.add(d.get(q));
                    d = kept;
                }
                r = ConstOps.reshape(x, d.stream().mapToLong(Long::longValue).toArray());
            }
            case "Transpose" -> {
                Const x = in(i, n, 0);
                long[] p = ints(n, "perm", null);
                if (p != null && p.length != x.rank())
                    throw invalid(i, "Transpose perm " + Arrays.toString(p) + " does not match rank " + x.rank());
                int[] perm = new int[x.rank()];
                for (int q = 0; q < perm.length; q++)
                    perm[q] = p == null ? perm.length - 1 - q : (int) p[q];
                r = ConstOps.transpose(x, perm, where);
            }
            case "Concat" -> {
                Const[] parts = new Const[n.getInputCount()];
                for (int q = 0; q < parts.length; q++)
                    parts[q] = in(i, n, q);
                r = ConstOps.concat(parts, (int) attrInt(n, "axis", 0), where);
            }
            case "Gather" -> r = ConstOps.gather(in(i, n, 0), in(i, n, 1), (int) attrInt(n, "axis", 0), where);
            case "Shape" -> {
                Const x = in(i, n, 0);
                int rr = x.rank();
                int s = (int) clampAxis(attrInt(n, "start", 0), rr, true), e = (int) clampAxis(attrInt(n, "end", rr), rr, true);
                r = Const.vector(Arrays.copyOfRange(x.dims(), s, Math.max(s, e)));
            }
            case "Slice" -> {
                Const x = in(i, n, 0);
                long[] starts = ints(n, "starts", null), ends = ints(n, "ends", null), axes = ints(n, "axes", null), steps = null;
                if (starts == null) {
                    starts = in(i, n, 1).longs();
                    ends = in(i, n, 2).longs();
                    axes = optIn(n, 3) == null ? null : optIn(n, 3).longs();
                    steps = optIn(n, 4) == null ? null : optIn(n, 4).longs();
                }
                if (ends == null || ends.length != starts.length || (axes != null && axes.length != starts.length)
                        || (steps != null && steps.length != starts.length))
                    throw invalid(i, "Slice starts/ends/axes/steps of different lengths");
                r = ConstOps.slice(x, starts, ends, axes, steps, where);
            }
            case "ConstantOfShape" -> {
                long[] shape = in(i, n, 0).longs();
                Const.checkGrowth(Const.count(shape, where), 1, where, "ConstantOfShape " + Arrays.toString(shape));
                double v = 0;
                for (AttributeProto at : n.getAttributeList())
                    if (at.getName().equals("value"))
                        v = Tensors.decode(at.getT(), "value of " + where).get(0);
                double[] vals = new double[(int) Const.count(shape, where)];
                Arrays.fill(vals, v);
                r = new Const(shape, vals, false);
            }
            case "qonnx:BipolarQuant" -> {
                Const x = in(i, n, 0), s = in(i, n, 1);
                r = ConstOps.binary(x, s, (v, sc) -> v >= 0 ? sc : -sc, where);
                notes.get(i).add("weights BipolarQuant -> ±scale");
            }
            case "qonnx:Quant" -> {
                Const x = in(i, n, 0), s = in(i, n, 1), z = in(i, n, 2), b = in(i, n, 3);
                if (z.size() != 1 || b.size() != 1)
                    throw unsupported(i, "Quant with per-channel zero point or bit width");
                boolean signed = attrInt(n, "signed", 1) != 0, narrow = attrInt(n, "narrow", 0) != 0;
                String mode = attrString(n, "rounding_mode", "ROUND");
                double zp = z.get(0), bits = b.get(0);
                r = ConstOps.binary(x, s, (v, sc) -> quant(v, sc, zp, bits, signed, narrow, mode, i), where);
                notes.get(i).add(String.format(Locale.ROOT, "%d-bit Quant of a constant (folded)", (long) bits));
            }
            default -> throw unsupported(i, "cannot evaluate this op on constants (unsupported op)");
        }
        for (String o : n.getOutputList())
            if (!o.isEmpty()) {
                consts.put(o, r);
                break;
            }
    }

    private static long clampAxis(long v, int r, boolean clamp) {
        if (v < 0)
            v += r;
        return clamp ? Math.max(0, Math.min(r, v)) : v;
    }

    // ---------------------------------------------------------------- attributes

    private static AttributeProto attr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList())
            if (a.getName().equals(name))
                return a;
        return null;
    }

    private static long attrInt(NodeProto n, String name, long def) {
        AttributeProto a = attr(n, name);
        return a == null ? def : a.getI();
    }

    private static double attrFloat(NodeProto n, String name, double def) {
        AttributeProto a = attr(n, name);
        return a == null ? def : a.getF();
    }

    private static String attrString(NodeProto n, String name, String def) {
        AttributeProto a = attr(n, name);
        return a == null ? def : a.getS().toStringUtf8();
    }

    private static long[] ints(NodeProto n, String name, long[] def) {
        AttributeProto a = attr(n, name);
        if (a == null)
            return def;
        long[] v = new long[a.getIntsCount()];
        for (int i = 0; i < v.length; i++)
            v[i] = a.getInts(i);
        return v;
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    // ---------------------------------------------------------------- result

    private ImportResult finish() {
        for (ValueInfoProto o : graph.getOutputList()) {
            if (!acts.containsKey(o.getName()) && !consts.containsKey(o.getName()))
                throw new InvalidModelException("graph output '" + o.getName() + "' is not produced by any node");
        }
        boolean reachesOutput = graph.getOutputList().stream().anyMatch(o -> acts.containsKey(o.getName()));
        if (!reachesOutput)
            throw new UnsupportedModelException("no graph output depends on the input '" + inputName + "'");
        // argmax-preserving tail: positive scalar affines after the last layer
        while (!layers.isEmpty() && layers.get(layers.size() - 1).layer instanceof Affine p && p.scale().length() == 1
                && p.shift().length() == 1 && p.scaleOf(0) > 0) {
            Entry e = layers.remove(layers.size() - 1);
            cur = shapeBefore(layers.size());
            for (int q = e.node; q < nodes.size(); q++)
                if (notes.get(q).stream().anyMatch(s -> s.contains("'" + p.name() + "'")) || q == e.node) {
                    dropped[q] = true;
                    notes.get(q).add("positive scalar affine at the output (argmax-preserving)");
                }
        }
        if (layers.isEmpty())
            throw new UnsupportedModelException("the graph has no layers on its activation path");
        List<Layer> ls = new ArrayList<>();
        for (Entry e : layers)
            ls.add(e.layer);
        if (!cur.isVector()) {
            Layer f = new Flatten("output/flatten");
            ls.add(f);
        }
        if (inputScaled) {
            // float32 constants (2/255, 1/127.5) leave the folded range a few ulps off a simple value; the
            // lowering needs the exact rational map of bytes, so snap within float32 precision
            double l = snap(low), h = snap(high);
            if (l != low || h != high)
                header.add("input range " + low + ".." + high + " snapped to " + fmt(l) + ".." + fmt(h) + " (float32 rounding of the scaling constants)");
            low = l;
            high = h;
        }
        InputSpec spec = new InputSpec(inputShape, layout, low, high);
        Model m = new Model(modelName, spec, ls);
        List<String> report = new ArrayList<>(header);
        report.add(String.format(Locale.ROOT, "input range %s..%s: the device takes one byte per value (byte 0 = %s, byte 255 = %s)%s",
                fmt(low), fmt(high), fmt(low), fmt(high), rangeGiven ? " (from metadata ebnn.input_range)"
                        : inputScaled || low != 0 || high != 255 ? ""
                                : "; the graph does not scale its input, so raw pixels 0..255 are assumed (a file taking 0..1 says so with metadata ebnn.input_range=0,1)"));
        report.addAll(groupLines());
        report.add(String.format(Locale.ROOT, "%d nodes -> %d layers: %s", nodes.size(), ls.size(),
                String.join(", ", ls.stream().map(Layer::kind).toList())));
        return new ImportResult(m, report);
    }

    /** The simplest fraction k/d (d <= 255) within float32 precision of v, or v itself. */
    static double snap(double v) {
        double tol = 4e-7 * Math.max(1, Math.abs(v));
        for (int d = 1; d <= 255; d++) {
            double k = Math.rint(v * d);
            if (Math.abs(k / d - v) <= tol)
                return k / d;
        }
        return v;
    }

    private Shape shapeBefore(int k) {
        Shape s = inputShape;
        for (int q = 0; q < k; q++)
            s = layers.get(q).layer.outputShape(s);
        return s;
    }

    private String layerText(Layer l) {
        if (l instanceof Dense d)
            return "dense '" + d.name() + "' " + d.inputs() + "->" + d.outputs();
        if (l instanceof Conv2d c)
            return "conv2d '" + c.name() + "' " + c.inChannels() + "->" + c.outChannels() + " " + c.kernelH() + "x" + c.kernelW()
                    + (c.strideH() > 1 ? "/" + c.strideH() : "");
        if (l instanceof MaxPool2d p)
            return "maxpool " + p.kernelH() + "x" + p.kernelW() + "/" + p.strideH();
        return l.kind() + " '" + l.name() + "'";
    }

    /** One line per node group: every node is accounted for, as a layer, a folded constant, a no-op or a dropped head. */
    private List<String> groupLines() {
        // group id per node: net nodes start a new group at each linear layer; constants join their first consumer
        int[] group = new int[nodes.size()];
        Arrays.fill(group, -1);
        Map<Integer, List<Layer>> made = new HashMap<>();
        for (Entry e : layers)
            made.computeIfAbsent(e.node, k -> new ArrayList<>()).add(e.layer);
        int g = -1;
        boolean lastDropped = false;
        for (int i = 0; i < nodes.size(); i++) {
            if (folded[i])
                continue;
            boolean linear = made.getOrDefault(i, List.of()).stream().anyMatch(l -> l instanceof Dense || l instanceof Conv2d);
            if (g < 0 || linear || dropped[i] != lastDropped)
                g++;
            group[i] = g;
            lastDropped = dropped[i];
        }
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (!folded[i])
                continue;
            for (String o : nodes.get(i).getOutputList())
                for (int c : consumers.getOrDefault(o, List.of()))
                    if (group[c] >= 0 && group[i] < 0)
                        group[i] = group[c];
        }
        Map<Integer, List<Integer>> members = new LinkedHashMap<>();
        List<Integer> unused = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++)
            if (group[i] >= 0)
                members.computeIfAbsent(group[i], k -> new ArrayList<>()).add(i);
            else
                unused.add(i);
        List<String> lines = new ArrayList<>();
        for (List<Integer> ms : new java.util.TreeMap<>(members).values()) {
            List<String> parts = new ArrayList<>(), extra = new ArrayList<>();
            boolean allDropped = true;
            for (int i : ms) {
                allDropped &= dropped[i] || folded[i];
                for (Layer l : made.getOrDefault(i, List.of()))
                    if (layers.stream().anyMatch(e -> e.layer == l))
                        parts.add(layerText(l));
                if (made.getOrDefault(i, List.of()).stream().noneMatch(l -> layers.stream().anyMatch(e -> e.layer == l)) || folded[i]
                        || !notes.get(i).isEmpty())
                    extra.add(nodeName(i) + ": " + String.join("; ", notes.get(i).isEmpty() ? List.of("constant (folded)") : notes.get(i)));
            }
            String ops = String.join(", ", ms.stream().map(i -> nodes.get(i).getOpType()).toList());
            String target = allDropped ? "dropped as argmax-preserving" : parts.isEmpty() ? "no layer" : String.join(" + ", parts);
            lines.add(range(ms) + " (" + ops + ") -> " + target + (extra.isEmpty() ? "" : "   [" + String.join(" | ", extra) + "]"));
        }
        if (!unused.isEmpty())
            lines.add(range(unused) + " (" + String.join(", ", unused.stream().map(i -> nodes.get(i).getOpType()).toList())
                    + ") -> constants nothing uses (ignored)");
        return lines;
    }

    private static String range(List<Integer> ms) {
        if (ms.size() == 1)
            return "node " + ms.get(0);
        boolean contiguous = ms.get(ms.size() - 1) - ms.get(0) == ms.size() - 1;
        return "nodes " + (contiguous ? ms.get(0) + ".." + ms.get(ms.size() - 1)
                : String.join(",", ms.stream().map(String::valueOf).toList()));
    }
}
