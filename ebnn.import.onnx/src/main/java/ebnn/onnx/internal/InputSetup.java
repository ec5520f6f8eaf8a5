package ebnn.onnx.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ebnn.api.InvalidModelException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.model.InputRange;
import ebnn.api.model.InputSpec;
import ebnn.api.model.InputSpec.RangeSource;
import ebnn.api.model.Layout;
import ebnn.api.model.Shape;

/**
 * The graph input: its shape and layout, and its input range as a fact with a source. The range is
 * what the graph input takes for byte 0 and byte 255: given ({@code --input-range}), declared by the
 * file (metadata {@code ebnn.input_range}, a FINN/QONNX data type annotation, a uint8 input, a
 * leading Div/Mul by 255), or assumed (raw bytes 0..255; ±1 data when a sign reads the input).
 * Input scaling the file applies before its first layer is then composed into it.
 */
final class InputSetup {
    private final ModelProto model;
    private final GraphProto graph;
    private final GraphWalker w;
    private final InputRange given;

    String name;
    long[] dims;
    int[] perm;
    Shape shape;
    Layout layout = Layout.NCHW;
    boolean dynamicBatch;
    final List<String> header = new ArrayList<>();

    /** The graph input's values for byte 0 and 255, and who said so. */
    private double rawLow = 0, rawHigh = 255;
    private RangeSource source = RangeSource.ASSUMED;
    private String why;
    /** The values the first layer sees: the raw range with the leading scaling composed. */
    private double low, high;
    private boolean scaled;
    private final List<String> scaling = new ArrayList<>();

    InputSetup(ModelProto model, GraphWalker w, InputRange given) {
        this.model = model;
        this.graph = model.getGraph();
        this.w = w;
        this.given = given;
    }

    void setUp() {
        List<ValueInfoProto> inputs = graph.getInputList().stream().filter(v -> !w.consts.containsKey(v.getName())).toList();
        if (inputs.size() != 1)
            throw new UnsupportedModelException("model has " + inputs.size() + " graph inputs that are not initializers ("
                    + String.join(", ", inputs.stream().map(ValueInfoProto::getName).toList()) + "); ebnn takes exactly one input tensor");
        ValueInfoProto in = inputs.get(0);
        name = in.getName();
        if (!in.getType().hasTensorType())
            throw new UnsupportedModelException("graph input '" + name + "' is not a tensor");
        int et = in.getType().getTensorType().getElemType();
        if (et != Tensors.FLOAT && et != Tensors.DOUBLE && et != Tensors.UINT8 && et != Tensors.FLOAT16)
            throw new UnsupportedModelException("graph input '" + name + "' has element type " + Tensors.typeName(et) + "; ebnn takes float or uint8 images");
        TensorShapeProto sp = in.getType().getTensorType().getShape();
        int r = sp.getDimCount();
        if (r < 2 || r > 4)
            throw new UnsupportedModelException("graph input '" + name + "' has rank " + r + "; ebnn takes [N,K], [N,H,W], [N,C,H,W] or [N,H,W,C]");
        dims = new long[r];
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
                throw new InvalidModelException("graph input '" + name + "' has dimension " + i + " = " + d.getDimValue());
            else
                throw new UnsupportedModelException("graph input '" + name + "' has a dynamic dimension " + i + " (" + d.getDimParam()
                        + "); only the batch dimension may be dynamic");
        }
        if (dims[0] != 1)
            throw new UnsupportedModelException("graph input '" + name + "' has a fixed batch of " + dims[0] + "; export the model with batch 1 or a dynamic batch");
        for (int i = 1; i < r; i++)
            if (dims[i] > Shape.MAX_ELEMENTS)
                throw new InvalidModelException("graph input '" + name + "' declares dimension " + i + " = " + dims[i]);
        long n = Const.count(dims, "graph input '" + name + "'");
        if (n > GraphWalker.MAX_ACTIVATION)
            throw new UnsupportedModelException("graph input '" + name + "' has " + n + " elements per sample, more than the "
                    + GraphWalker.MAX_ACTIVATION + " ebnn handles (microcontroller networks take far smaller inputs)");
        if (r == 4 && consumedThroughElementwiseByNhwcTranspose(name)) {
            layout = Layout.NHWC;
            shape = new Shape((int) dims[3], (int) dims[1], (int) dims[2]);
            perm = nhwcToChw((int) dims[1], (int) dims[2], (int) dims[3]);
        } else if (r == 4)
            shape = new Shape((int) dims[1], (int) dims[2], (int) dims[3]);
        else if (r == 3)
            shape = new Shape(1, (int) dims[1], (int) dims[2]);
        else
            shape = Shape.vector((int) dims[1]);
        header.add("input '" + name + "' " + Tensors.typeName(et) + declared + " (" + layout + ") -> CHW " + shape);
        declaredRange(et);
        low = rawLow;
        high = rawHigh;
    }

    /** What the file (or the user) says the graph input takes. */
    private void declaredRange(int elemType) {
        if (given != null) {
            set(given.low(), given.high(), RangeSource.GIVEN, "given with --input-range");
            return;
        }
        for (var p : model.getMetadataPropsList())
            if (p.getKey().equals("ebnn.input_range")) {
                InputRange r;
                try {
                    r = InputRange.parse(p.getValue());
                } catch (InvalidModelException e) {
                    throw new InvalidModelException("metadata ebnn.input_range must be 'low,high', is '" + p.getValue() + "'");
                }
                set(r.low(), r.high(), RangeSource.DECLARED, "from the file's metadata ebnn.input_range");
                return;
            }
        for (var q : graph.getQuantizationAnnotationList())
            if (q.getTensorName().equals(name))
                for (var e : q.getQuantParameterTensorNamesList())
                    if (e.getKey().equals("finn_datatype")) {
                        double[] r = finnRange(e.getValue());
                        if (r != null) {
                            set(r[0], r[1], RangeSource.DECLARED, "from the file's FINN/QONNX data type " + e.getValue() + " of the input");
                            return;
                        }
                    }
        if (elemType == Tensors.UINT8)
            set(0, 255, RangeSource.DECLARED, "the input is uint8");
    }

    /** The value range of a FINN data type name (UINT8, INT4, BIPOLAR, BINARY, ...) for 256 byte values, or null. */
    static double[] finnRange(String dt) {
        String t = dt.toUpperCase(Locale.ROOT);
        if (t.equals("BIPOLAR"))
            return new double[] { -1, 1 };
        if (t.equals("BINARY"))
            return new double[] { 0, 1 };
        if (t.matches("UINT[1-8]"))
            return new double[] { 0, Math.pow(2, Integer.parseInt(t.substring(4))) - 1 };
        if (t.matches("INT[2-8]")) {
            int b = Integer.parseInt(t.substring(3));
            return new double[] { -Math.pow(2, b - 1), Math.pow(2, b - 1) - 1 };
        }
        return null;
    }

    private void set(double lo, double hi, RangeSource s, String text) {
        rawLow = lo;
        rawHigh = hi;
        source = s;
        why = text;
    }

    /** A positive scalar x·s + t before the first layer: composed into the range the first layer sees. */
    void scale(Node n, double s, double t) {
        if (source == RangeSource.ASSUMED && !scaled && rawLow == 0 && rawHigh == 255 && isBy255(n, s, t))
            set(0, 255, RangeSource.DECLARED, "the file divides its input by 255 (" + n.describe() + "), so it takes raw bytes 0..255");
        low = low * s + t;
        high = high * s + t;
        scaled = true;
        scaling.add(n.op());
    }

    private static boolean isBy255(Node n, double s, double t) {
        return t == 0 && (n.op().equals("Div") || n.op().equals("Mul")) && Math.abs(s * 255 - 1) < 1e-6;
    }

    /** A sign straight on an input whose range nobody gave: the input is ±1 data (hls4ml/QONNX truth tables). */
    void signOnInput() {
        if (source == RangeSource.ASSUMED && !scaled) {
            set(-1, 1, RangeSource.ASSUMED, "the first layer binarizes the input, so it is taken as ±1 data (bytes < 128 give -1)");
            low = -1;
            high = 1;
        }
    }

    /** The IR input spec and its one report line. */
    InputSpec spec(List<String> report) {
        double l = low, h = high;
        if (scaled) {
            // float32 constants (2/255, 1/127.5) leave the folded range a few ulps off a simple value; the
            // lowering needs the exact rational map of bytes, so snap within float32 precision
            l = snap(low);
            h = snap(high);
            if (l != low || h != high)
                report.add("the range the first layer sees, " + low + ".." + high + ", is snapped to " + GraphWalker.fmt(l) + ".."
                        + GraphWalker.fmt(h) + " (float32 rounding of the scaling constants)");
        }
        String seen = scaled ? "; after " + String.join(", ", scaling) + " the first layer sees " + InputRange.text(l, h) : "";
        if (source == RangeSource.ASSUMED)
            report.add("input range " + InputRange.text(rawLow, rawHigh) + " ASSUMED: " + (why == null
                    ? "the file does not say what its input takes, so raw bytes 0..255 are assumed"
                    : why) + seen + "; if it takes other values give --input-range LOW,HIGH (e.g. 0,1 for inputs scaled to [0,1])");
        else
            report.add("input range " + InputRange.text(rawLow, rawHigh) + " (" + why + "): byte 0 = " + GraphWalker.fmt(rawLow)
                    + ", byte 255 = " + GraphWalker.fmt(rawHigh) + seen);
        return new InputSpec(shape, layout, l, h, source);
    }

    ebnn.onnx.OnnxInput onnxInput() {
        return new ebnn.onnx.OnnxInput(name, dims.clone(), dynamicBatch, layout, shape, rawLow, rawHigh);
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

    static int[] nhwcToChw(int h, int w, int c) {
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
        for (NodeProto n : graph.getNodeList())
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
                return Arrays.equals(new Node(-1, n).ints("perm", null), new long[] { 0, 3, 1, 2 });
            if (!Set.of("Div", "Mul", "Sub", "Add", "Cast", "Identity", "Quant").contains(op) || n.getOutputCount() < 1)
                return false;
            t = n.getOutput(0);
        }
        return false;
    }

    /** The value the layer after the input scaling sees for an input byte. */
    double valueSeen(int b) {
        return low + b * (high - low) / 255.0;
    }

    /** A vector input reshaped to an image before any layer: the model takes the image (same bytes, same order). */
    void reshapeTo(Shape s) {
        shape = s;
    }
}
