package ebnn.onnx.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ebnn.api.InvalidModelException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.model.Affine;
import ebnn.api.model.Flatten;
import ebnn.api.model.InputRange;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.Model;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;
import ebnn.api.spi.ImportResult;

/**
 * Walks an ONNX graph in topological order and hands each node to its entry in {@link OpTable}:
 * nodes whose inputs are all constant go to the constant folder, the one activation path from the
 * graph input goes to the op translators, which append IR layers through this class. The layers
 * are emitted as the file writes them (a bias Add stays an affine after the dense layer); the
 * float-level clean-ups are ebnn.core's model passes. The activation is tracked as ONNX dims plus a
 * permutation from ONNX element order to the IR's CHW order, so Transposes (NHWC⇄NCHW),
 * Reshape/Flatten/Squeeze and layout-sensitive weights are exact.
 */
final class GraphWalker {

    /** One IR layer and the node that made it. */
    static final class Entry {
        final Layer layer;
        final int node;

        Entry(Layer layer, int node) {
            this.layer = layer;
            this.node = node;
        }
    }

    /** Largest activation (elements per sample) ebnn imports; keeps permutations and evaluation buffers small. */
    static final long MAX_ACTIVATION = 1L << 24;

    private static final Set<String> HEADS = Set.of("Softmax", "LogSoftmax", "ArgMax", "TopK", "Identity");

    final GraphProto graph;
    private final String modelName;
    final List<Node> nodes = new ArrayList<>();
    final Map<String, Const> consts = new HashMap<>();
    final Map<String, Act> acts = new HashMap<>();
    private final Set<String> consumed = new HashSet<>();
    final Map<String, List<Integer>> consumers = new HashMap<>();
    final List<Entry> layers = new ArrayList<>();
    final List<List<String>> notes = new ArrayList<>();
    final boolean[] dropped, folded;
    final InputSetup in;
    /** Outputs of Greater/Less on the activation: {0,1} values a Where may map. */
    final Set<String> comparisons = new HashSet<>();

    Shape cur;
    Padding pendingPad;
    int pendingPadNode = -1;

    GraphWalker(ModelProto model, String modelName, InputRange given) {
        this.graph = model.getGraph();
        this.modelName = modelName;
        List<NodeProto> ns = graph.getNodeList();
        for (int i = 0; i < ns.size(); i++) {
            nodes.add(new Node(i, ns.get(i)));
            notes.add(new ArrayList<>());
        }
        this.dropped = new boolean[ns.size()];
        this.folded = new boolean[ns.size()];
        this.in = new InputSetup(model, this, given);
    }

    /** The graph input as the original file takes it: what a reference runtime must be fed. */
    ebnn.onnx.OnnxInput input() {
        return in.onnxInput();
    }

    ImportResult translate() {
        for (TensorProto t : graph.getInitializerList()) {
            if (t.getName().isEmpty())
                throw new InvalidModelException("an initializer has no name");
            consts.put(t.getName(), Tensors.decode(t, "initializer"));
        }
        if (graph.getSparseInitializerCount() > 0)
            throw new UnsupportedModelException("sparse initializer '" + graph.getSparseInitializer(0).getValues().getName() + "' is not supported");
        in.setUp();
        cur = in.shape;
        acts.put(in.name, new Act(in.dims, in.perm, false));
        int[] order = topologicalOrder();
        NotBinarized.check(this, order);
        for (int i : order)
            visit(nodes.get(i));
        if (pendingPad != null)
            throw nodes.get(pendingPadNode).unsupported("a Pad that does not feed a Conv");
        return finish();
    }

    // ---------------------------------------------------------------- graph structure

    private int[] topologicalOrder() {
        Map<String, Integer> producer = new HashMap<>();
        for (Node n : nodes)
            for (String o : n.proto().getOutputList()) {
                if (o.isEmpty())
                    continue;
                if (producer.putIfAbsent(o, n.index()) != null || consts.containsKey(o) || o.equals(in.name))
                    throw new InvalidModelException("tensor '" + o + "' is produced twice (" + n.describe() + ")");
            }
        int[] indegree = new int[nodes.size()];
        List<List<Integer>> next = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++)
            next.add(new ArrayList<>());
        for (Node n : nodes) {
            int i = n.index();
            for (String s : n.proto().getInputList()) {
                if (s.isEmpty())
                    continue;
                consumers.computeIfAbsent(s, k -> new ArrayList<>()).add(i);
                Integer p = producer.get(s);
                if (p != null) {
                    indegree[i]++;
                    next.get(p).add(i);
                } else if (!consts.containsKey(s) && !s.equals(in.name))
                    throw new InvalidModelException(n.describe() + " reads tensor '" + s
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
        if (k < nodes.size())
            for (int i = 0; i < nodes.size(); i++)
                if (indegree[i] > 0)
                    throw new InvalidModelException("the graph has a cycle: " + nodes.get(i).describe() + " depends on its own output");
        return order;
    }

    // ---------------------------------------------------------------- dispatch

    private void visit(Node n) {
        OpTable.Entry e = OpTable.lookup(n);
        List<String> actIn = new ArrayList<>();
        for (String s : n.proto().getInputList())
            if (!s.isEmpty() && acts.containsKey(s) && !actIn.contains(s))
                actIn.add(s);
        if (actIn.isEmpty()) {
            foldConstant(n, e);
            folded[n.index()] = true;
            return;
        }
        if (e == null || e.onActivation() == null)
            throw n.unsupported("unsupported op on the activation path; ebnn translates " + OpTable.activationOps());
        if (actIn.size() > 1)
            throw n.unsupported("combines two activation tensors (" + String.join(", ", actIn)
                    + "); ebnn supports a single chain of layers (no branches or residual connections)");
        String xin = actIn.get(0);
        Act a = acts.get(xin);
        if (e.onActivation() instanceof ShapeOp) {
            e.onActivation().translate(this, n, a);
            folded[n.index()] = true;
            return;
        }
        if (!consumed.add(xin)) {
            // several heads on the same scores (Softmax for probabilities and ArgMax for the class) are fine
            if (!HEADS.contains(n.op()))
                throw n.unsupported("reads activation '" + xin + "', which another node already reads; branches are not supported");
            a = a.asTail();
        }
        if (n.inputs() == 0 || !n.input(0).equals(xin)) {
            // the activation must be the first operand except in commutative elementwise ops
            if (!(n.op().equals("Add") || n.op().equals("Mul") || n.op().equals("Sub")))
                throw n.unsupported("takes the activation as operand " + n.proto().getInputList().indexOf(xin) + "; expected it first");
        }
        if (a.tail()) {
            tailOp(n, a);
            return;
        }
        if (pendingPad != null && !n.op().equals("Conv"))
            throw nodes.get(pendingPadNode).unsupported("a Pad that does not feed a Conv (it feeds " + n.describe() + ")");
        e.onActivation().translate(this, n, a);
    }

    private void foldConstant(Node n, OpTable.Entry e) {
        if (e == null || e.onConstants() == null)
            throw n.unsupported("cannot evaluate this op on constants (unsupported op; ebnn folds "
                    + String.join(", ", OpTable.entries().stream().filter(x -> x.onConstants() != null).map(x -> x.key().op()).toList()) + ")");
        Const[] args = new Const[n.inputs()];
        for (int k = 0; k < n.inputs(); k++)
            if (!n.input(k).isEmpty())
                args[k] = consts.get(n.input(k));
        Const[] r;
        try {
            r = e.onConstants().eval(n, args);
        } catch (ArithmeticException x) {
            throw n.invalid("constant folding divides by zero");
        }
        int k = 0;
        for (String o : n.proto().getOutputList()) {
            if (k >= r.length)
                break;
            if (!o.isEmpty())
                consts.put(o, r[k]);
            k++;
        }
        String what = OpTable.domainOf(n.proto().getDomain()).equals(OpTable.QONNX) ? quantNote(n, args) : null;
        if (what != null)
            notes.get(n.index()).add(what);
    }

    private static String quantNote(Node n, Const[] args) {
        if (n.op().equals("BipolarQuant"))
            return "weights BipolarQuant -> ±scale";
        if (n.op().equals("Quant") && args.length > 3 && args[3] != null)
            return String.format(Locale.ROOT, "%d-bit Quant of a constant (folded)", (long) args[3].get(0));
        return null;
    }

    /** Ops after the head (Softmax/TopK/ArgMax): only ones that keep the argmax are allowed. */
    private void tailOp(Node n, Act a) {
        dropped[n.index()] = true;
        switch (n.op()) {
            case "Add", "Sub", "Mul", "Div" -> {
                int actAt = acts.containsKey(n.input(0)) ? 0 : 1;
                Const c = n.inputs() == 2 ? consts.get(n.input(1 - actAt)) : null;
                String op = n.op();
                if (c == null || c.size() != 1 || ((op.equals("Mul") || op.equals("Div")) && !(c.get(0) > 0)) || (op.equals("Div") && actAt != 0)
                        || (op.equals("Sub") && actAt != 0))
                    throw n.unsupported("follows the Softmax/TopK/ArgMax head and may change the class order");
                note(n, n.op() + " by a positive scalar after the head");
                out(n, a);
            }
            case "Identity", "Cast", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Softmax", "LogSoftmax", "ArgMax", "TopK" -> {
                note(n, n.op() + " after the head");
                for (String o : n.proto().getOutputList())
                    if (!o.isEmpty())
                        acts.put(o, a);
            }
            default -> throw n.unsupported("follows the Softmax/TopK/ArgMax head; only ops that keep the class order may come after it");
        }
    }

    // ---------------------------------------------------------------- what op translators call

    void out(Node n, Act a) {
        if (!n.output().isEmpty())
            acts.put(n.output(), a);
    }

    void note(Node n, String s) {
        notes.get(n.index()).add(s);
    }

    void drop(Node n) {
        dropped[n.index()] = true;
    }

    boolean noLayersYet() {
        return layers.isEmpty();
    }

    Layer lastLayer() {
        return layers.isEmpty() ? null : layers.get(layers.size() - 1).layer;
    }

    Const constInput(Node n, int idx, String what) {
        if (!n.has(idx))
            throw n.invalid("missing input " + idx + " (" + what + ")");
        Const c = consts.get(n.input(idx));
        if (c == null)
            throw n.unsupported(what + " '" + n.input(idx) + "' is computed from the input, not a constant");
        return c;
    }

    Const optConst(Node n, int idx) {
        return n.has(idx) ? consts.get(n.input(idx)) : null;
    }

    void add(Layer l, Node n) {
        Shape next = l.outputShape(cur);
        if (next.size() > MAX_ACTIVATION)
            throw n.unsupported("produces " + next + " = " + next.size() + " values per sample, more than the " + MAX_ACTIVATION + " ebnn handles");
        cur = next;
        layers.add(new Entry(l, n.index()));
    }

    /** An affine on the activation; a positive scalar one before any layer is input scaling and goes into the input range. */
    void affine(Node n, Params scale, Params shift) {
        boolean identity = true;
        for (int q = 0; q < scale.length(); q++)
            identity &= scale.get(q) == 1;
        for (int q = 0; q < shift.length(); q++)
            identity &= shift.get(q) == 0;
        if (identity) {
            note(n, "identity (no-op)");
            return;
        }
        if (layers.isEmpty() && scale.length() == 1 && shift.length() == 1 && scale.get(0) > 0) {
            in.scale(n, scale.get(0), shift.get(0));
            note(n, "input scaling folded into the input range");
            return;
        }
        add(new Affine(n.name(), cur.channels(), scale, shift), n);
    }

    /** Appends a sign (0 gives +1). A sign straight on an input of unknown range takes the input as ±1 data. */
    void sign(Node n) {
        if (layers.isEmpty())
            in.signOnInput();
        add(new Sign(n.name()), n);
    }

    /** Per-element values of a constant broadcast along the activation's ONNX dims; the constant must not change the shape. */
    double[] overAct(Node n, Act a, Const c) {
        long[] b = ConstOps.broadcastDims(a.dims(), c.dims());
        if (b == null || !Arrays.equals(b, a.dims()))
            throw n.invalid("constant of shape " + Arrays.toString(c.dims()) + " does not broadcast to the activation " + Arrays.toString(a.dims()));
        return ConstOps.expand(c, a.dims(), n.describe());
    }

    /** Per-element values of a per-channel vector along ONNX axis {@code axis}. */
    double[] alongAxis(Node n, Act a, int axis, double[] param) {
        long[] d = a.dims();
        if (axis < 0 || axis >= d.length || (param.length != d[axis] && param.length != 1))
            throw n.invalid("has " + param.length + " channel values for activation " + Arrays.toString(d) + " (axis " + axis + ")");
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
    double[] perIrChannel(Node n, Act a, double[] perElement, String what) {
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
                throw n.unsupported(what + " varies within channel " + ch + " of " + cur + "; only per-channel or scalar constants are supported");
        }
        return out;
    }

    static Params compact(double[] v) {
        for (double x : v)
            if (x != v[0])
                return Params.of(v);
        return Params.of(v[0]);
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    // ---------------------------------------------------------------- result

    private ImportResult finish() {
        for (var o : graph.getOutputList())
            if (!acts.containsKey(o.getName()) && !consts.containsKey(o.getName()))
                throw new InvalidModelException("graph output '" + o.getName() + "' is not produced by any node");
        if (graph.getOutputList().stream().noneMatch(o -> acts.containsKey(o.getName())))
            throw new UnsupportedModelException("no graph output depends on the input '" + in.name + "'");
        if (layers.isEmpty())
            throw new UnsupportedModelException("the graph has no layers on its activation path");
        List<Layer> ls = new ArrayList<>();
        for (Entry e : layers)
            ls.add(e.layer);
        if (!cur.isVector())
            ls.add(new Flatten("output/flatten"));
        List<String> report = new ArrayList<>(in.header);
        InputSpec spec = in.spec(report);
        Model m = new Model(modelName, spec, ls);
        report.addAll(ImportReport.groupLines(this));
        report.add(String.format(Locale.ROOT, "%d nodes -> %d layers: %s", nodes.size(), ls.size(),
                String.join(", ", ls.stream().map(Layer::kind).toList())));
        return new ImportResult(m, report);
    }
}
