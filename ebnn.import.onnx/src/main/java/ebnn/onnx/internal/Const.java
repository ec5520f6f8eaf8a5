package ebnn.onnx.internal;

import java.util.Arrays;

import ebnn.api.InvalidModelException;

/**
 * A constant tensor known at import time (initializer, Constant node or folded shape arithmetic).
 * Values are held as doubles: every ONNX number type an importer meets in weights and shape
 * computations fits exactly (int64 shape values are far below 2^53).
 */
record Const(long[] dims, double[] values, boolean integer) {

    /** Constant tensors folded at import time stay small; real weights come from the file and are bounded by it. */
    static final long MAX_ELEMENTS = 1L << 26;

    Const {
        long n = count(dims, "constant");
        if (n != values.length)
            throw new IllegalStateException("constant of " + Arrays.toString(dims) + " has " + values.length + " values");
    }

    static Const scalar(double v, boolean integer) {
        return new Const(new long[0], new double[] { v }, integer);
    }

    static Const vector(long[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++)
            d[i] = v[i];
        return new Const(new long[] { v.length }, d, true);
    }

    int rank() {
        return dims.length;
    }

    int size() {
        return values.length;
    }

    double get(int i) {
        return values[i];
    }

    long[] longs() {
        long[] out = new long[values.length];
        for (int i = 0; i < out.length; i++)
            out[i] = (long) values[i];
        return out;
    }

    /**
     * Most values a folded constant may have when it is larger than what it is computed from
     * (broadcasting [n,1] with [1,n], ConstantOfShape): weight and shape arithmetic never grows a
     * tensor, so this stops a few-kilobyte file from asking for gigabytes.
     */
    static final long MAX_GROWN = 1L << 20;

    /** Refuses, before anything is allocated, a computed constant of {@code n} values grown from operands of at most {@code from}. */
    static void checkGrowth(long n, long from, String where, String what) {
        if (n > from && n > MAX_GROWN)
            throw new InvalidModelException(where + ": " + what + " gives " + n + " values from operands of at most " + from
                    + "; ebnn folds constants that grow to at most " + MAX_GROWN + " values (refused before allocating)");
    }

    /** Element count of a shape; negative dims or products over {@link #MAX_ELEMENTS} are refused before anything is allocated. */
    static long count(long[] dims, String what) {
        long n = 1;
        for (long d : dims) {
            if (d < 0)
                throw new InvalidModelException(what + " has a negative dimension in " + Arrays.toString(dims));
            if (d != 0 && n > MAX_ELEMENTS / d)
                throw new InvalidModelException(what + " has dimensions " + Arrays.toString(dims) + " (more than " + MAX_ELEMENTS
                        + " elements)");
            n *= d;
        }
        return n;
    }

    static long[] strides(long[] dims) {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return "const" + Arrays.toString(dims) + (values.length <= 8 ? "=" + Arrays.toString(values) : "");
    }
}
