package ebnn.reference.onnx;

import java.util.Locale;
import java.util.Optional;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorAnnotation;
import ebnn.api.InvalidModelException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.model.InputRange;

/**
 * How input bytes become the graph input: the range the file declares for its input (if it does),
 * and the layout the input's shape shows (NCHW, NHWC, or flat).
 */
final class InputBinding {
    static final InputRange BYTES = new InputRange(0, 255);

    private InputBinding() {
    }

    /**
     * The values the graph input takes for bytes 0 and 255 where the file says: a UINT8 (INT8) input,
     * a FINN/QONNX data-type annotation on it (UINT8, INT4, BIPOLAR, ...), ebnn metadata {@code ebnn.input_range},
     * or every consumer of the input dividing it by 255 (multiplying by 1/255), which means the
     * graph takes raw pixels.
     */
    static Optional<InputRange> declared(Program p) {
        if (p.inputType == Tensor.UINT8)
            return Optional.of(BYTES);
        if (p.inputType == Tensor.INT8)
            return Optional.of(new InputRange(-128, 127));
        for (StringStringEntryProto e : p.model.getMetadataPropsList())
            if (e.getKey().equals("ebnn.input_range")) {
                try {
                    return Optional.of(InputRange.parse(e.getValue()));
                } catch (InvalidModelException bad) {
                    break; // a malformed value declares nothing
                }
            }
        for (TensorAnnotation a : p.model.getGraph().getQuantizationAnnotationList())
            if (a.getTensorName().equals(p.inputName))
                for (StringStringEntryProto e : a.getQuantParameterTensorNamesList())
                    if (e.getKey().equals("finn_datatype")) {
                        Optional<InputRange> r = finnDatatype(e.getValue().toUpperCase(Locale.ROOT));
                        if (r.isPresent())
                            return r;
                    }
        int consumers = 0, scaledBy255 = 0;
        for (Node n : p.nodes())
            for (int i = 0; i < n.inputs().size(); i++)
                if (n.inputs().get(i).equals(p.inputName)) {
                    consumers++;
                    if (i == 0 && n.inputs().size() == 2 && n.domain().isEmpty() && isAll(p.constantValue(n.inputs().get(1)),
                            n.op().equals("Div") ? 255.0 : n.op().equals("Mul") ? 1 / 255.0 : Double.NaN))
                        scaledBy255++;
                }
        return consumers > 0 && consumers == scaledBy255 ? Optional.of(BYTES) : Optional.empty();
    }

    /** The values of a FINN data type (UINT8, INT4, BIPOLAR, BINARY, ...) as the range of 256 byte values, if it is an integer type of at most 8 bits. */
    private static Optional<InputRange> finnDatatype(String dt) {
        if (dt.equals("BIPOLAR"))
            return Optional.of(new InputRange(-1, 1));
        if (dt.equals("BINARY"))
            return Optional.of(new InputRange(0, 1));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(U?)INT([1-8])").matcher(dt);
        if (!m.matches())
            return Optional.empty();
        int bits = Integer.parseInt(m.group(2));
        if (m.group(1).isEmpty() && bits == 1)
            return Optional.empty();
        return Optional.of(m.group(1).isEmpty() ? new InputRange(-(1 << (bits - 1)), (1 << (bits - 1)) - 1) : new InputRange(0, (1 << bits) - 1));
    }

    /**
     * The graph input's range for a model range, the values an imported model's first layer sees for
     * bytes 0 and 255: the inverse of the positive scalar scaling (Mul, Div, Add, Sub by one constant
     * value, through Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Identity) the file applies to
     * its input before anything else.
     */
    static InputRange graphRange(Program p, InputRange modelRange) {
        double scale = 1, shift = 0; // first layer value = scale * graph input value + shift
        String v = p.inputName;
        while (true) {
            Node only = null;
            int uses = 0;
            for (Node n : p.nodes())
                for (String in : n.inputs())
                    if (in.equals(v)) {
                        uses++;
                        only = n;
                    }
            if (uses != 1 || !only.domain().isEmpty())
                break;
            String op = only.op();
            boolean first = only.inputs().get(0).equals(v);
            if (first && (op.equals("Reshape") || op.equals("Flatten") || op.equals("Squeeze") || op.equals("Unsqueeze") || op.equals("Transpose")
                    || op.equals("Identity"))) {
                v = only.outputs().get(0);
                continue;
            }
            if (only.inputs().size() != 2)
                break;
            Double c = single(p.constantValue(only.inputs().get(first ? 1 : 0)));
            double s, t;
            if (c == null)
                break;
            else if (op.equals("Mul")) {
                s = c;
                t = 0;
            } else if (op.equals("Div") && first) {
                s = 1 / c;
                t = 0;
            } else if (op.equals("Add")) {
                s = 1;
                t = c;
            } else if (op.equals("Sub") && first) {
                s = 1;
                t = -c;
            } else
                break;
            if (!(s > 0) || !Double.isFinite(s) || !Double.isFinite(t))
                break;
            scale *= s;
            shift = shift * s + t;
            v = only.outputs().get(0);
        }
        return new InputRange((modelRange.low() - shift) / scale, (modelRange.high() - shift) / scale);
    }

    /** The one value all elements of {@code t} hold, or null. */
    private static Double single(Tensor t) {
        if (t == null || t.size() == 0)
            return null;
        for (double x : t.data)
            if (x != t.data[0])
                return null;
        return t.data[0];
    }

    /** The value of an unsigned input byte in {@code r}. */
    static double valueOf(InputRange r, int unsignedByte) {
        return r.low() + unsignedByte * (r.high() - r.low()) / 255.0;
    }

    /** Whether every element of {@code t} is {@code v} within float32 precision. */
    private static boolean isAll(Tensor t, double v) {
        if (t == null || t.size() == 0 || Double.isNaN(v))
            return false;
        for (double x : t.data)
            if (Math.abs(x - v) > Math.abs(v) * 1e-6)
                return false;
        return true;
    }

    /** Whether the rank-4 graph input is channels-last: [N, H, W, C] with C of 1 or 3 and a second dimension that is not. */
    static boolean channelsLast(int[] shape) {
        return shape.length == 4 && (shape[3] == 1 || shape[3] == 3) && shape[1] != 1 && shape[1] != 3;
    }

    /** Elements of one sample. */
    static int sampleSize(Program p) {
        if (p.batched && p.inputShape[0] != 1)
            throw new UnsupportedModelException("graph input '" + p.inputName + "' has a fixed batch of " + p.inputShape[0]
                    + "; the interpreter classifies one sample at a time");
        long n = 1;
        for (int d = p.batched ? 1 : 0; d < p.inputShape.length; d++)
            n *= p.inputShape[d];
        return (int) n;
    }

    /** Sample {@code index} of the CHW bytes as the graph's input tensor, in the file's layout and range. */
    static Tensor tensor(Program p, byte[] chw, int index, InputRange range) {
        int size = sampleSize(p);
        double[] v = new double[size];
        int off = index * size;
        int[] s = p.inputShape;
        if (channelsLast(s)) {
            int h = s[1], w = s[2], c = s[3];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int k = 0; k < c; k++)
                        v[(y * w + x) * c + k] = valueOf(range, chw[off + (k * h + y) * w + x] & 0xff);
        } else
            for (int i = 0; i < size; i++)
                v[i] = valueOf(range, chw[off + i] & 0xff);
        int type = p.inputType;
        if (!Tensor.isFloat(type) && type != Tensor.UINT8 && type != Tensor.INT8 && type != Tensor.INT32 && type != Tensor.INT64)
            throw new UnsupportedModelException("graph input '" + p.inputName + "' has element type " + type + ", not a number type");
        if (!Tensor.isFloat(type))
            for (int i = 0; i < size; i++)
                v[i] = Math.rint(v[i]);
        return Tensor.of(type == Tensor.FLOAT16 ? Tensor.FLOAT : type, s.clone(), v);
    }
}
