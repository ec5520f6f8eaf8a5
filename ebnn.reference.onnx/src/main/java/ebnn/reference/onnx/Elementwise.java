package ebnn.reference.onnx;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import ebnn.api.UnsupportedModelException;

/** Elementwise ops with ONNX (numpy) multidirectional broadcasting. */
final class Elementwise {
    private Elementwise() {
    }

    static void register() {
        unary("Identity", x -> x);
        unary("Neg", x -> -x);
        unary("Abs", Math::abs);
        unary("Sign", Math::signum);
        unary("Relu", x -> x > 0 ? x : 0);
        unary("Sqrt", Math::sqrt);
        unary("Exp", Math::exp);
        unary("Log", Math::log);
        unary("Reciprocal", x -> 1 / x);
        unary("Floor", Math::floor);
        unary("Ceil", Math::ceil);
        unary("Round", Math::rint); // ONNX Round: halves to even
        unary("Sigmoid", x -> 1 / (1 + Math.exp(-x)));
        unary("Tanh", Math::tanh);
        Ops.standard("Not", (n, in) -> new Tensor[] { map(in[0], Tensor.BOOL, x -> x != 0 ? 0 : 1) });
        Ops.standard("Dropout", (n, in) -> new Tensor[] { in[0] }); // inference: the identity (mask output not produced)
        Ops.standard("LeakyRelu", (n, in) -> {
            double alpha = n.f("alpha", 0.01);
            return new Tensor[] { map(in[0], in[0].type, x -> x >= 0 ? x : alpha * x) };
        });

        arithmetic("Add", Double::sum, Double::sum);
        arithmetic("Sub", (a, b) -> a - b, (a, b) -> a - b);
        arithmetic("Mul", (a, b) -> a * b, (a, b) -> a * b);
        arithmetic("Div", (a, b) -> a / b, Elementwise::integerDivide);
        arithmetic("Pow", Math::pow, Math::pow);
        arithmetic("Mod", Elementwise::floorMod, Elementwise::floorMod);
        compare("Greater", (a, b) -> a > b ? 1 : 0);
        compare("Less", (a, b) -> a < b ? 1 : 0);
        compare("GreaterOrEqual", (a, b) -> a >= b ? 1 : 0);
        compare("LessOrEqual", (a, b) -> a <= b ? 1 : 0);
        compare("Equal", (a, b) -> a == b ? 1 : 0);
        compare("And", (a, b) -> a != 0 && b != 0 ? 1 : 0);
        compare("Or", (a, b) -> a != 0 || b != 0 ? 1 : 0);
        compare("Xor", (a, b) -> (a != 0) != (b != 0) ? 1 : 0);
        variadic("Sum", Double::sum);
        variadic("Max", Math::max);
        variadic("Min", Math::min);
        Ops.standard("Mean", (n, in) -> {
            Tensor s = fold(n, in, Double::sum);
            return new Tensor[] { map(s, s.type, x -> x / in.length) };
        });
        Ops.standard("Where", (n, in) -> new Tensor[] { where(in[0], in[1], in[2]) });
        Ops.standard("Clip", Elementwise::clip);
    }

    private static void unary(String op, DoubleUnaryOperator f) {
        Ops.standard(op, (n, in) -> new Tensor[] { map(in[0], in[0].type, f) });
    }

    private static void arithmetic(String op, DoubleBinaryOperator real, DoubleBinaryOperator integer) {
        Ops.standard(op, (n, in) -> {
            Tensor a = in[0], b = in[1];
            return new Tensor[] { binary(a, b, a.type, Tensor.isFloat(a.type) ? real : integer) };
        });
    }

    private static void compare(String op, DoubleBinaryOperator f) {
        Ops.standard(op, (n, in) -> new Tensor[] { binary(in[0], in[1], Tensor.BOOL, f) });
    }

    private static void variadic(String op, DoubleBinaryOperator f) {
        Ops.standard(op, (n, in) -> new Tensor[] { fold(n, in, f) });
    }

    private static Tensor fold(Node n, Tensor[] in, DoubleBinaryOperator f) {
        if (in.length == 0)
            throw n.error("needs at least one input");
        Tensor acc = in[0];
        for (int k = 1; k < in.length; k++)
            acc = binary(acc, in[k], acc.type, f);
        return acc;
    }

    private static double integerDivide(double a, double b) {
        if (b == 0)
            throw new UnsupportedModelException("integer division by zero");
        return (double) ((long) a / (long) b); // C++ semantics: truncation towards zero
    }

    private static double floorMod(double a, double b) {
        return a - Math.floor(a / b) * b;
    }

    static Tensor map(Tensor a, int type, DoubleUnaryOperator f) {
        double[] o = new double[a.size()];
        for (int i = 0; i < o.length; i++)
            o[i] = f.applyAsDouble(a.data[i]);
        return Tensor.of(type, a.shape, o);
    }

    /** The broadcast shape of {@code a} and {@code b}, or an error naming both. */
    static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] o = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new UnsupportedModelException("shapes " + java.util.Arrays.toString(a) + " and " + java.util.Arrays.toString(b)
                        + " do not broadcast");
            o[i] = da == 1 ? db : da;
        }
        return o;
    }

    /** Strides of {@code shape} read as broadcast to {@code out}: 0 along broadcast dimensions. */
    static int[] broadcastStrides(int[] shape, int[] out) {
        int[] s = Tensor.strides(shape);
        int[] o = new int[out.length];
        for (int i = 0; i < out.length; i++) {
            int j = i - (out.length - shape.length);
            o[i] = j < 0 || shape[j] == 1 ? 0 : s[j];
        }
        return o;
    }

    static Tensor binary(Tensor a, Tensor b, int type, DoubleBinaryOperator f) {
        double[] x = a.data, y = b.data;
        boolean same = java.util.Arrays.equals(a.shape, b.shape);
        boolean oneB = b.size() == 1 && b.rank() <= a.rank(), oneA = a.size() == 1 && a.rank() <= b.rank();
        if (x.length > 0 && y.length > 0 && (same || oneB || oneA)) {
            // the common cases without index arithmetic: equal shapes, or one side a single value
            int[] shape = a.size() == 1 && b.size() != 1 ? b.shape : a.rank() >= b.rank() ? a.shape : b.shape;
            int n = Math.max(x.length, y.length);
            double[] o = new double[n];
            if (x.length == y.length)
                for (int i = 0; i < n; i++)
                    o[i] = f.applyAsDouble(x[i], y[i]);
            else if (y.length == 1)
                for (int i = 0; i < n; i++)
                    o[i] = f.applyAsDouble(x[i], y[0]);
            else
                for (int i = 0; i < n; i++)
                    o[i] = f.applyAsDouble(x[0], y[i]);
            return Tensor.of(type, shape, o);
        }
        int[] shape = broadcast(a.shape, b.shape);
        int[] sa = broadcastStrides(a.shape, shape), sb = broadcastStrides(b.shape, shape);
        double[] o = new double[(int) Tensor.count(shape)];
        int[] idx = new int[shape.length];
        int ia = 0, ib = 0;
        for (int i = 0; i < o.length; i++) {
            o[i] = f.applyAsDouble(x[ia], y[ib]);
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d]++;
                ia += sa[d];
                ib += sb[d];
                if (idx[d] < shape[d])
                    break;
                ia -= sa[d] * shape[d];
                ib -= sb[d] * shape[d];
                idx[d] = 0;
            }
        }
        return Tensor.of(type, shape, o);
    }

    static Tensor where(Tensor c, Tensor x, Tensor y) {
        int[] shape = broadcast(broadcast(c.shape, x.shape), y.shape);
        int[] sc = broadcastStrides(c.shape, shape), sx = broadcastStrides(x.shape, shape), sy = broadcastStrides(y.shape, shape);
        double[] o = new double[(int) Tensor.count(shape)];
        int[] idx = new int[shape.length];
        int ic = 0, ix = 0, iy = 0;
        for (int i = 0; i < o.length; i++) {
            o[i] = c.data[ic] != 0 ? x.data[ix] : y.data[iy];
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d]++;
                ic += sc[d];
                ix += sx[d];
                iy += sy[d];
                if (idx[d] < shape[d])
                    break;
                ic -= sc[d] * shape[d];
                ix -= sx[d] * shape[d];
                iy -= sy[d] * shape[d];
                idx[d] = 0;
            }
        }
        return Tensor.of(x.type, shape, o);
    }

    private static Tensor[] clip(Node n, Tensor[] in) {
        double lo, hi;
        if (n.opset() < 11) {
            lo = n.f("min", Double.NEGATIVE_INFINITY);
            hi = n.f("max", Double.POSITIVE_INFINITY);
        } else {
            lo = in.length > 1 && in[1] != null ? in[1].data[0] : Double.NEGATIVE_INFINITY;
            hi = in.length > 2 && in[2] != null ? in[2].data[0] : Double.POSITIVE_INFINITY;
        }
        return new Tensor[] { map(in[0], in[0].type, x -> Math.min(Math.max(x, lo), hi)) };
    }
}
