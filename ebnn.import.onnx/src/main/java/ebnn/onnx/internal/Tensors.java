package ebnn.onnx.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import ai.onnx.proto.OnnxMl.TensorProto;
import ebnn.api.InvalidModelException;
import ebnn.api.ModelFormatException;
import ebnn.api.UnsupportedModelException;

/** Decodes ONNX TensorProtos into {@link Const}s, checking declared sizes against the bytes present first. */
final class Tensors {
    private Tensors() {
    }

    static final int FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7, STRING = 8, BOOL = 9,
            FLOAT16 = 10, DOUBLE = 11, UINT32 = 12, UINT64 = 13, BFLOAT16 = 16;

    static String typeName(int t) {
        return switch (t) {
            case FLOAT -> "float32";
            case UINT8 -> "uint8";
            case INT8 -> "int8";
            case UINT16 -> "uint16";
            case INT16 -> "int16";
            case INT32 -> "int32";
            case INT64 -> "int64";
            case STRING -> "string";
            case BOOL -> "bool";
            case FLOAT16 -> "float16";
            case DOUBLE -> "float64";
            case UINT32 -> "uint32";
            case UINT64 -> "uint64";
            case BFLOAT16 -> "bfloat16";
            default -> "type " + t;
        };
    }

    private static int elementBytes(int t) {
        return switch (t) {
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16, FLOAT16, BFLOAT16 -> 2;
            case FLOAT, INT32, UINT32 -> 4;
            case INT64, UINT64, DOUBLE -> 8;
            default -> -1;
        };
    }

    static Const decode(TensorProto t, String what) {
        String label = what + " '" + t.getName() + "'";
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0)
            throw new UnsupportedModelException(label + " keeps its data in an external file; save the model with the weights inside");
        if (t.hasSegment())
            throw new UnsupportedModelException(label + " is segmented; segmented tensors are not supported");
        long[] dims = new long[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++)
            dims[i] = t.getDims(i);
        long n = Const.count(dims, label);
        int type = t.getDataType();
        int eb = elementBytes(type);
        if (eb < 0)
            throw new UnsupportedModelException(label + " has element type " + typeName(type) + ", not a number type ebnn reads");
        boolean integer = type != FLOAT && type != DOUBLE && type != FLOAT16 && type != BFLOAT16;
        double[] v;
        if (!t.getRawData().isEmpty()) {
            long need = n * eb;
            if (t.getRawData().size() != need)
                throw new ModelFormatException(label + ": dims " + java.util.Arrays.toString(dims) + " of " + typeName(type) + " need " + need
                        + " bytes of raw data, the file holds " + t.getRawData().size());
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            v = new double[(int) n];
            for (int i = 0; i < n; i++) {
                v[i] = switch (type) {
                    case FLOAT -> b.getFloat();
                    case DOUBLE -> b.getDouble();
                    case INT64, UINT64 -> (double) b.getLong();
                    case INT32 -> b.getInt();
                    case UINT32 -> b.getInt() & 0xffffffffL;
                    case INT16 -> b.getShort();
                    case UINT16 -> b.getShort() & 0xffff;
                    case INT8 -> b.get();
                    case UINT8, BOOL -> b.get() & 0xff;
                    case FLOAT16 -> halfToFloat(b.getShort() & 0xffff);
                    case BFLOAT16 -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                    default -> throw new IllegalStateException();
                };
            }
        } else {
            int present = switch (type) {
                case FLOAT -> t.getFloatDataCount();
                case DOUBLE -> t.getDoubleDataCount();
                case INT64 -> t.getInt64DataCount();
                case UINT32, UINT64 -> t.getUint64DataCount();
                default -> t.getInt32DataCount();
            };
            if (present != n)
                throw new ModelFormatException(label + ": dims " + java.util.Arrays.toString(dims) + " need " + n + " values, the file holds "
                        + present);
            v = new double[(int) n];
            for (int i = 0; i < n; i++) {
                v[i] = switch (type) {
                    case FLOAT -> t.getFloatData(i);
                    case DOUBLE -> t.getDoubleData(i);
                    case INT64 -> t.getInt64Data(i);
                    case UINT32, UINT64 -> t.getUint64Data(i);
                    case FLOAT16 -> halfToFloat(t.getInt32Data(i) & 0xffff);
                    case BFLOAT16 -> Float.intBitsToFloat((t.getInt32Data(i) & 0xffff) << 16);
                    default -> t.getInt32Data(i);
                };
            }
        }
        for (int i = 0; i < v.length; i++)
            if (!Double.isFinite(v[i]))
                throw new InvalidModelException(label + " holds a non-finite value (" + v[i] + ") at index " + i);
        return new Const(dims, v, integer);
    }

    static float halfToFloat(int h) {
        int s = (h >>> 15) & 1, e = (h >>> 10) & 0x1f, m = h & 0x3ff;
        float f;
        if (e == 0)
            f = m * (float) Math.pow(2, -24);
        else if (e == 31)
            f = m == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        else
            f = (float) ((1 + m / 1024.0) * Math.pow(2, e - 15));
        return s == 1 ? -f : f;
    }

    /** IEEE half precision bits of a float, rounded to nearest even. */
    static int floatToHalf(float f) {
        int b = Float.floatToIntBits(f), s = (b >>> 16) & 0x8000, e = ((b >>> 23) & 0xff) - 127 + 15, m = b & 0x7fffff;
        if (((b >>> 23) & 0xff) == 0xff)
            return s | 0x7c00 | (m != 0 ? 0x200 : 0);
        if (e >= 31)
            return s | 0x7c00;
        if (e <= 0) {
            if (e < -10)
                return s;
            m |= 0x800000;
            int shift = 14 - e;
            int h = m >> shift, rem = m & ((1 << shift) - 1), half = 1 << (shift - 1);
            if (rem > half || (rem == half && (h & 1) != 0))
                h++;
            return s | h;
        }
        int h = (e << 10) | (m >> 13), rem = m & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) != 0))
            h++;
        return s | h;
    }

    /** A float32 tensor (for the exporter). */
    static TensorProto floats(String name, long[] dims, double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : values)
            b.putFloat((float) d);
        b.flip();
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .setRawData(com.google.protobuf.ByteString.copyFrom(b));
        for (long d : dims)
            t.addDims(d);
        return t.build();
    }

    static TensorProto longs(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(INT64).addDims(values.length);
        for (long v : values)
            t.addInt64Data(v);
        return t.build();
    }
}
