package ebnn.reference.onnx;

import java.util.Locale;

/**
 * The QONNX/FINN custom ops, with the semantics of their reference implementations (qonnx.custom_op.general):
 * BipolarQuant, Quant, MultiThreshold and XnorPopcountMatMul.
 */
final class QuantOps {
    private QuantOps() {
    }

    static void register() {
        // +scale where x >= 0, else -scale
        Ops.custom("BipolarQuant", (n, in) -> new Tensor[] { Elementwise.binary(in[0], in[1], Tensor.FLOAT, (x, s) -> (x >= 0 ? 1 : -1) * s) });
        Ops.custom("Quant", QuantOps::quant);
        Ops.custom("MultiThreshold", QuantOps::multiThreshold);
        Ops.custom("XnorPopcountMatMul", (n, in) -> {
            // on {0,1} operands: the number of positions where both agree, (dot of the bipolar forms + K) / 2
            Tensor a = Elementwise.map(in[0], Tensor.FLOAT, v -> 2 * v - 1), b = Elementwise.map(in[1], Tensor.FLOAT, v -> 2 * v - 1);
            int k = in[0].dim(-1);
            Tensor dot = NnOps.matmul(n, a, b);
            return new Tensor[] { Elementwise.map(dot, Tensor.FLOAT, v -> (v + k) / 2) };
        });
    }

    /**
     * Quant(x, scale, zero_point, bit_width): x / scale + zero_point clamped to the integer range of the
     * bit width (signed, narrow), rounded by rounding_mode, then mapped back; a signed 1-bit Quant is
     * bipolar (>= 0 to +1, else -1), as QONNX executes it.
     */
    private static Tensor[] quant(Node n, Tensor[] in) {
        Tensor x = in[0], scale = in[1], zero = in[2], bits = in[3];
        if (bits.size() != 1)
            throw n.error("bit_width must be a single value");
        double bw = bits.data[0];
        if (bw != Math.rint(bw) || bw < 1 || bw > 62)
            throw n.error("bit width " + bw);
        boolean signed = n.i("signed", 1) != 0, narrow = n.i("narrow", 0) != 0;
        String mode = n.s("rounding_mode", "ROUND").toUpperCase(Locale.ROOT);
        long b = (long) bw;
        double lo = signed ? -Math.pow(2, b - 1) + (narrow ? 1 : 0) : 0;
        double hi = signed ? Math.pow(2, b - 1) - 1 : Math.pow(2, b) - 1 - (narrow ? 1 : 0);
        java.util.function.DoubleUnaryOperator round = switch (mode) {
            case "ROUND" -> Math::rint; // numpy round: halves to even
            case "CEIL" -> Math::ceil;
            case "FLOOR" -> Math::floor;
            case "ROUND_TO_ZERO" -> v -> v < 0 ? Math.ceil(v) : Math.floor(v);
            default -> throw n.error("rounding_mode " + mode);
        };
        boolean bipolar = b == 1 && signed;
        Tensor q = Elementwise.binary(Elementwise.binary(x, scale, Tensor.FLOAT, (v, s) -> v / s), zero, Tensor.FLOAT, Double::sum);
        Tensor ints = Elementwise.map(q, Tensor.FLOAT, v -> bipolar ? (v >= 0 ? 1 : -1) : round.applyAsDouble(Math.min(Math.max(v, lo), hi)));
        Tensor back = Elementwise.binary(Elementwise.binary(ints, zero, Tensor.FLOAT, (v, z) -> v - z), scale, Tensor.FLOAT, (v, s) -> v * s);
        return new Tensor[] { back };
    }

    /**
     * MultiThreshold(x, T): out_scale * (the number of thresholds T[c, i] with x >= T[c, i]) + out_bias,
     * per channel c (axis 1 for NCHW, the last axis for NHWC and for inputs of rank other than 2 and 4);
     * T with one row applies to every channel.
     */
    private static Tensor[] multiThreshold(Node n, Tensor[] in) {
        Tensor x = in[0], t = in[1];
        if (t.rank() != 2)
            throw n.error("thresholds must be a matrix [channels, steps], not of shape " + java.util.Arrays.toString(t.shape));
        double scale = n.f("out_scale", 1), bias = n.f("out_bias", 0);
        boolean nhwc = n.s("data_layout", "NCHW").equals("NHWC");
        int r = x.rank();
        int axis = (r == 4 && !nhwc) || r == 2 ? 1 : r - 1;
        int c = r == 0 ? 1 : x.shape[axis];
        int rows = t.shape[0], steps = t.shape[1];
        if (rows != 1 && rows != c)
            throw n.error(rows + " threshold rows for " + c + " channels");
        long inner = 1;
        for (int d = axis + 1; d < r; d++)
            inner *= x.shape[d];
        double[] o = new double[x.size()];
        for (int i = 0; i < o.length; i++) {
            int ch = rows == 1 ? 0 : (int) ((i / inner) % c);
            double v = x.data[i];
            int count = 0;
            for (int s = 0; s < steps; s++)
                if (v >= t.data[ch * steps + s])
                    count++;
            o[i] = scale * count + bias;
        }
        return new Tensor[] { Tensor.of(Tensor.FLOAT, x.shape, o) };
    }
}
