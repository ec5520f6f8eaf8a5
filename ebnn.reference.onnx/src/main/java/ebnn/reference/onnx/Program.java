package ebnn.reference.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.CodedInputStream;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ebnn.api.EbnnException;
import ebnn.api.ModelFormatException;
import ebnn.api.NotFoundException;
import ebnn.api.UnsupportedModelException;

/**
 * An ONNX graph ready to run, one sample at a time (batch dimension 1): the nodes in file order with
 * their ops looked up, the initializers, and the values that do not depend on the input (weights
 * quantized by Quant nodes, shape arithmetic) computed once on the first run and kept.
 */
final class Program {
    /** Largest model file the interpreter reads. */
    static final long MAX_FILE_BYTES = 1L << 30;

    final ModelProto model;
    final String inputName;
    final int inputType;
    /** The graph input's shape, a symbolic batch dimension set to 1. */
    final int[] inputShape;
    final boolean batched;
    final List<String> outputs;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();
    private final Map<String, Tensor> constants = new HashMap<>();
    /** The nodes that depend on the input, once the first run has found the others' values. */
    private List<Integer> plan;
    private final Set<String> dependent = new HashSet<>();

    private Program(ModelProto model) {
        this.model = model;
        GraphProto g = model.getGraph();
        Map<String, Integer> opsets = new HashMap<>();
        for (OperatorSetIdProto o : model.getOpsetImportList())
            opsets.put(Ops.canonical(o.getDomain()), (int) o.getVersion());
        int defaultOpset = opsets.getOrDefault("", 1);
        for (TensorProto t : g.getInitializerList())
            constants.put(t.getName(), Protos.tensor(t));
        ValueInfoProto in = null;
        for (ValueInfoProto v : g.getInputList())
            if (!constants.containsKey(v.getName())) {
                if (in != null)
                    throw new UnsupportedModelException("the graph has more than one input (" + in.getName() + ", " + v.getName()
                            + "); the interpreter runs single-input classifiers");
                in = v;
            }
        if (in == null)
            throw new UnsupportedModelException("the graph has no input");
        if (g.getOutputCount() == 0)
            throw new UnsupportedModelException("the graph has no output");
        inputName = in.getName();
        inputType = in.getType().getTensorType().getElemType();
        List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
        if (dims.isEmpty())
            throw new UnsupportedModelException("graph input '" + inputName + "' has no shape");
        batched = dims.size() >= 2;
        inputShape = new int[dims.size()];
        for (int d = 0; d < dims.size(); d++) {
            TensorShapeProto.Dimension dim = dims.get(d);
            if (d == 0 && batched && (!dim.hasDimValue() || dim.getDimValue() <= 1))
                inputShape[d] = 1; // a symbolic batch: one sample at a time
            else if (!dim.hasDimValue() || dim.getDimValue() < 1 || dim.getDimValue() > Integer.MAX_VALUE)
                throw new UnsupportedModelException("graph input '" + inputName + "' dimension " + d + " is not a fixed size");
            else
                inputShape[d] = (int) dim.getDimValue();
        }
        Tensor.count(inputShape);
        outputs = g.getOutputList().stream().map(ValueInfoProto::getName).toList();
        for (NodeProto np : g.getNodeList()) {
            Map<String, AttributeProto> attrs = new LinkedHashMap<>();
            for (AttributeProto a : np.getAttributeList())
                attrs.put(a.getName(), a);
            String domain = Ops.canonical(np.getDomain());
            Node n = new Node(np.getName().isEmpty() ? np.getOpType() + "_" + nodes.size() : np.getName(), np.getDomain(), np.getOpType(),
                    List.copyOf(np.getInputList()), List.copyOf(np.getOutputList()), attrs, opsets.getOrDefault(domain, domain.isEmpty() ? defaultOpset : 1));
            Op op = Ops.find(np.getDomain(), np.getOpType());
            if (op == null)
                throw n.error("the ONNX interpreter has no op " + (np.getDomain().isEmpty() ? "" : np.getDomain() + ".") + np.getOpType()
                        + " (it runs " + Ops.names() + ")");
            nodes.add(n);
            ops.add(op);
        }
    }

    static Program load(Path file) {
        if (!Files.isRegularFile(file))
            throw new NotFoundException("model file not found: " + file);
        try {
            if (Files.size(file) > MAX_FILE_BYTES)
                throw new UnsupportedModelException(file.getFileName() + " is larger than " + (MAX_FILE_BYTES >> 20) + " MB");
            ModelProto model;
            try (InputStream s = Files.newInputStream(file)) {
                CodedInputStream c = CodedInputStream.newInstance(s);
                c.setSizeLimit(Integer.MAX_VALUE);
                model = ModelProto.parseFrom(c);
            }
            try {
                return new Program(model);
            } catch (EbnnException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ModelFormatException(file.getFileName() + " is not a well-formed ONNX graph: "
                        + (e.getMessage() == null ? "malformed" : e.getMessage()));
            }
        } catch (NoSuchFileException e) {
            throw new NotFoundException("model file not found: " + file);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new ModelFormatException(file.getFileName() + " is not an ONNX model: " + e.getMessage());
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Every value of one run, by name: the graph outputs and all intermediate values (for tests and diagnostics). */
    Map<String, Tensor> runAll(Tensor input) {
        if (!Arrays.equals(input.shape, inputShape))
            throw new IllegalArgumentException("input of shape " + Arrays.toString(input.shape) + " for " + Arrays.toString(inputShape));
        Map<String, Tensor> values = new HashMap<>(constants);
        values.put(inputName, input);
        boolean first = plan == null;
        List<Integer> order = first ? allNodes() : plan;
        List<Integer> dependentNodes = first ? new ArrayList<>() : null;
        if (first)
            dependent.add(inputName);
        for (int k : order) {
            Node n = nodes.get(k);
            Tensor[] in = new Tensor[n.inputs().size()];
            boolean dep = false;
            for (int i = 0; i < in.length; i++) {
                String name = n.inputs().get(i);
                if (name.isEmpty())
                    continue;
                in[i] = values.get(name);
                if (in[i] == null)
                    throw n.error("input '" + name + "' is not computed before the node (the graph is not in topological order)");
                dep |= dependent.contains(name);
            }
            Tensor[] out;
            try {
                out = ops.get(k).run(n, in);
            } catch (ArrayIndexOutOfBoundsException | NullPointerException e) {
                throw n.error("missing or malformed inputs or attributes");
            } catch (EbnnException e) {
                throw e;
            } catch (RuntimeException e) {
                // a malformed file the op's checks did not name (shapes that do not fit, absurd values)
                throw n.error("cannot run on these inputs (" + (e.getMessage() == null ? "malformed" : e.getMessage()) + ")");
            }
            // the shape of a value never depends on the input's values here (the input shape is fixed)
            if (n.op().equals("Shape") || n.op().equals("Size"))
                dep = false;
            for (int o = 0; o < n.outputs().size() && o < out.length; o++) {
                String name = n.outputs().get(o);
                if (name.isEmpty())
                    continue;
                values.put(name, out[o]);
                if (first && dep)
                    dependent.add(name);
                else if (first)
                    constants.put(name, out[o]);
            }
            if (first && dep)
                dependentNodes.add(k);
        }
        if (first)
            plan = dependentNodes;
        return values;
    }

    /** The graph's first output for one sample. */
    Tensor run(Tensor input) {
        Tensor t = runAll(input).get(outputs.get(0));
        if (t == null)
            throw new UnsupportedModelException("graph output '" + outputs.get(0) + "' is not computed by any node");
        return t;
    }

    private List<Integer> allNodes() {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++)
            l.add(i);
        return l;
    }

    List<Node> nodes() {
        return nodes;
    }

    /** The initializer or Constant-node value of {@code name}, or null when it is computed from the input. */
    Tensor constantValue(String name) {
        Tensor t = constants.get(name);
        if (t != null)
            return t;
        for (Node n : nodes)
            if (n.op().equals("Constant") && n.outputs().contains(name))
                return ShapeOps.constant(n);
        return null;
    }
}
