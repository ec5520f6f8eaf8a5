package ebnn.api.data.internal;

import java.nio.ByteBuffer;

/** Element types of IDX and NumPy arrays. */
enum DType {
    U8(1, "uint8"), I8(1, "int8"), U16(2, "uint16"), I16(2, "int16"), U32(4, "uint32"), I32(4, "int32"), I64(8, "int64"),
    F32(4, "float32"), F64(8, "float64");

    final int bytes;
    final String label;

    DType(int bytes, String label) {
        this.bytes = bytes;
        this.label = label;
    }

    boolean isFloat() {
        return this == F32 || this == F64;
    }

    /** Element {@code i} of {@code b} (already in the right byte order). */
    double get(ByteBuffer b, int i) {
        int at = i * bytes;
        return switch (this) {
            case U8 -> b.get(at) & 0xff;
            case I8 -> b.get(at);
            case U16 -> b.getShort(at) & 0xffff;
            case I16 -> b.getShort(at);
            case U32 -> b.getInt(at) & 0xffffffffL;
            case I32 -> b.getInt(at);
            case I64 -> b.getLong(at);
            case F32 -> b.getFloat(at);
            case F64 -> b.getDouble(at);
        };
    }

    /** IDX type byte (0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double), or null. */
    static DType ofIdx(int code) {
        return switch (code) {
            case 0x08 -> U8;
            case 0x09 -> I8;
            case 0x0B -> I16;
            case 0x0C -> I32;
            case 0x0D -> F32;
            case 0x0E -> F64;
            default -> null;
        };
    }

    /** NumPy descr kind and size ({@code u1}, {@code <f4}, ...), or null. */
    static DType ofNumpy(char kind, int size) {
        return switch (kind + "" + size) {
            case "u1", "b1" -> U8;
            case "i1" -> I8;
            case "u2" -> U16;
            case "i2" -> I16;
            case "u4" -> U32;
            case "i4" -> I32;
            case "i8" -> I64;
            case "f4" -> F32;
            case "f8" -> F64;
            default -> null;
        };
    }
}
