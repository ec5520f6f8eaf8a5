package ebnn.reference.onnx;

import java.util.Locale;
import java.util.Optional;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorAnnotation;
import ebnn.api.UnsupportedModelException;
import ebnn.api.spi.ReferenceRuntime.InputRange;

/**
 * How input bytes become the graph input: the range the file declares for its input (if it does),
 * and the layout the input's shape shows (NCHW, NHWC, or flat).
 */
final class InputBinding {
    private InputBinding() {
    }

    /**
     * The values the graph input takes for bytes 0 and 255 where the file says: a UINT8 (INT8) input,
     * a FINN/QONNX data-type annotation UINT8 (INT8) on it, ebnn metadata {@code ebnn.input_range},
     * or every consumer of the input dividing it by 255 (multiplying by 1/255), which means the
     * graph takes raw pixels.
     */
    static Optional<InputRange> declared(Program p) {
        if (p.inputType == Tensor.UINT8)
            return Optional.of(InputRange.BYTES);
        if (p.inputType == Tensor.INT8)
            return Optional.of(new InputRange(-128, 127));
        for (StringStringEntryProto e : p.model.getMetadataPropsList())
            if (e.getKey().equals("ebnn.input_range")) {
                String[] v = e.getValue().split(",");
                try {
                    if (v.length == 2)
                        return Optional.of(new InputRange(Double.parseDouble(v[0].trim()), Double.parseDouble(v[1].trim())));
                } catch (IllegalArgumentException bad) {
                    // a malformed value declares nothing
                }
            }
        for (TensorAnnotation a : p.model.getGraph().getQuantizationAnnotationList())
            if (a.getTensorName().equals(p.inputName))
                for (StringStringEntryProto e : a.getQuantParameterTensorNamesList())
                    if (e.getKey().equals("finn_datatype")) {
                        String dt = e.getValue().toUpperCase(Locale.ROOT);
                        if (dt.equals("UINT8"))
                            return Optional.of(InputRange.BYTES);
                        if (dt.equals("INT8"))
                            return Optional.of(new InputRange(-128, 127));
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
        return consumers > 0 && consumers == scaledBy255 ? Optional.of(InputRange.BYTES) : Optional.empty();
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
                        v[(y * w + x) * c + k] = range.valueOf(chw[off + (k * h + y) * w + x] & 0xff);
        } else
            for (int i = 0; i < size; i++)
                v[i] = range.valueOf(chw[off + i] & 0xff);
        int type = p.inputType;
        if (!Tensor.isFloat(type) && type != Tensor.UINT8 && type != Tensor.INT8 && type != Tensor.INT32 && type != Tensor.INT64)
            throw new UnsupportedModelException("graph input '" + p.inputName + "' has element type " + type + ", not a number type");
        if (!Tensor.isFloat(type))
            for (int i = 0; i < size; i++)
                v[i] = Math.rint(v[i]);
        return Tensor.of(type == Tensor.FLOAT16 ? Tensor.FLOAT : type, s.clone(), v);
    }
}
