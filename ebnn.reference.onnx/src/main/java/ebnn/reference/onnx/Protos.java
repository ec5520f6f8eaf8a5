package ebnn.reference.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import ai.onnx.proto.OnnxMl.TensorProto;
import ebnn.api.UnsupportedModelException;

/** ONNX TensorProto to {@link Tensor}: raw little-endian data or the typed repeated fields. */
final class Protos {
    private Protos() {
    }

    static Tensor tensor(TensorProto t) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL)
            throw new UnsupportedModelException("tensor '" + t.getName() + "' keeps its data in an external file, which the interpreter does not read");
        int[] shape = new int[t.getDimsCount()];
        for (int i = 0; i < shape.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE)
                throw new UnsupportedModelException("tensor '" + t.getName() + "' has dimension " + d);
            shape[i] = (int) d;
        }
        int n = (int) Tensor.count(shape);
        int type = t.getDataType();
        double[] v = new double[n];
        if (!t.getRawData().isEmpty()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            int width = width(type, t.getName());
            if (b.remaining() != (long) n * width)
                throw new UnsupportedModelException("tensor '" + t.getName() + "' has " + b.remaining() + " bytes of data for " + n + " elements");
            for (int i = 0; i < n; i++)
                v[i] = switch (type) {
                    case Tensor.FLOAT -> b.getFloat();
                    case Tensor.DOUBLE -> b.getDouble();
                    case Tensor.INT64 -> b.getLong();
                    case Tensor.UINT64 -> unsigned64(b.getLong());
                    case Tensor.INT32 -> b.getInt();
                    case Tensor.UINT32 -> b.getInt() & 0xffffffffL;
                    case Tensor.INT16 -> b.getShort();
                    case Tensor.UINT16 -> b.getShort() & 0xffff;
                    case Tensor.FLOAT16 -> half(b.getShort());
                    case Tensor.INT8 -> b.get();
                    case Tensor.UINT8 -> b.get() & 0xff;
                    case Tensor.BOOL -> b.get() != 0 ? 1 : 0;
                    default -> throw unsupported(type, t.getName());
                };
        } else {
            int have = switch (type) {
                case Tensor.FLOAT -> t.getFloatDataCount();
                case Tensor.DOUBLE -> t.getDoubleDataCount();
                case Tensor.INT64 -> t.getInt64DataCount();
                case Tensor.UINT32, Tensor.UINT64 -> t.getUint64DataCount();
                case Tensor.INT32, Tensor.INT16, Tensor.UINT16, Tensor.INT8, Tensor.UINT8, Tensor.BOOL, Tensor.FLOAT16 -> t.getInt32DataCount();
                default -> throw unsupported(type, t.getName());
            };
            if (have != n)
                throw new UnsupportedModelException("tensor '" + t.getName() + "' has " + have + " values for " + n + " elements");
            for (int i = 0; i < n; i++)
                v[i] = switch (type) {
                    case Tensor.FLOAT -> t.getFloatData(i);
                    case Tensor.DOUBLE -> t.getDoubleData(i);
                    case Tensor.INT64 -> t.getInt64Data(i);
                    case Tensor.UINT32, Tensor.UINT64 -> unsigned64(t.getUint64Data(i));
                    case Tensor.FLOAT16 -> half((short) t.getInt32Data(i));
                    case Tensor.BOOL -> t.getInt32Data(i) != 0 ? 1 : 0;
                    default -> t.getInt32Data(i);
                };
        }
        // float16 and bfloat16 are computed as float32
        return Tensor.of(type == Tensor.FLOAT16 ? Tensor.FLOAT : type, shape, v);
    }

    private static int width(int type, String name) {
        return switch (type) {
            case Tensor.DOUBLE, Tensor.INT64, Tensor.UINT64 -> 8;
            case Tensor.FLOAT, Tensor.INT32, Tensor.UINT32 -> 4;
            case Tensor.INT16, Tensor.UINT16, Tensor.FLOAT16 -> 2;
            case Tensor.INT8, Tensor.UINT8, Tensor.BOOL -> 1;
            default -> throw unsupported(type, name);
        };
    }

    private static UnsupportedModelException unsupported(int type, String name) {
        return new UnsupportedModelException("tensor '" + name + "' has element type " + type + ", which the interpreter does not compute with");
    }

    private static double unsigned64(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2 + (v & 1);
    }

    /** IEEE 754 binary16 to its value. */
    static double half(short h) {
        int e = (h >> 10) & 0x1f, m = h & 0x3ff;
        double sign = (h & 0x8000) != 0 ? -1 : 1;
        if (e == 0x1f)
            return m == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        return e == 0 ? sign * m * 0x1p-24 : sign * (1024 + m) * Math.scalb(1.0, e - 25);
    }
}
