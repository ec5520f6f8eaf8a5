package ebnn.reference.onnx;

import java.util.Arrays;

import ebnn.api.UnsupportedModelException;

/**
 * A value of the interpreted graph: an ONNX element type, a shape and the elements row-major as
 * doubles. Float tensors hold float32-rounded values, so elementwise ops give float32 results;
 * integer tensors hold exact integers (|v| < 2^53), booleans 0 or 1.
 */
final class Tensor {
    static final int FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7, BOOL = 9, FLOAT16 = 10,
            DOUBLE = 11, UINT32 = 12, UINT64 = 13;

    /** Largest element count of one tensor (128 MB of doubles): keeps a hostile shape from exhausting the heap. */
    static final long MAX_ELEMENTS = 1L << 24;

    final int type;
    final int[] shape;
    final double[] data;

    Tensor(int type, int[] shape, double[] data) {
        this.type = type;
        this.shape = shape;
        this.data = data;
        if (count(shape) != data.length)
            throw new IllegalStateException("shape " + Arrays.toString(shape) + " for " + data.length + " values");
    }

    static Tensor of(int type, int[] shape, double[] data) {
        if (isFloat(type) && type != DOUBLE)
            for (int i = 0; i < data.length; i++)
                data[i] = (float) data[i];
        return new Tensor(type, shape, data);
    }

    static Tensor scalar(int type, double v) {
        return of(type, new int[0], new double[] { v });
    }

    static Tensor longs(long... v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++)
            d[i] = v[i];
        return new Tensor(INT64, new int[] { v.length }, d);
    }

    static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0)
                throw new UnsupportedModelException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
            if (n > MAX_ELEMENTS)
                throw new UnsupportedModelException("tensor of shape " + Arrays.toString(shape) + " is larger than the interpreter's limit of "
                        + MAX_ELEMENTS + " elements");
        }
        return n;
    }

    static boolean isFloat(int type) {
        return type == FLOAT || type == DOUBLE || type == FLOAT16 || type == 16;
    }

    int rank() {
        return shape.length;
    }

    int size() {
        return data.length;
    }

    /** The dimension at {@code axis}, negative axes counting from the end. */
    int dim(int axis) {
        return shape[axis(axis, shape.length)];
    }

    Tensor reshape(int[] newShape) {
        return new Tensor(type, newShape, data);
    }

    /** The elements as longs (indices, shapes, axes). */
    long[] longs() {
        long[] l = new long[data.length];
        for (int i = 0; i < l.length; i++)
            l[i] = (long) data[i];
        return l;
    }

    /** A non-negative axis for a tensor of {@code rank}. */
    static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1))
            throw new UnsupportedModelException("axis " + axis + " out of range for rank " + rank);
        return (int) a;
    }

    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return "tensor(type " + type + ", shape " + Arrays.toString(shape) + ")";
    }
}
