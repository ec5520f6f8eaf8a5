package ebnn.api.data.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;

import ebnn.api.data.DataException;

/** The IDX header: two zero bytes, the element type, the rank, then one big-endian int32 per axis. */
final class IdxHeader {
    private IdxHeader() {
    }

    /** True for bytes that open an IDX file of a known type and rank 1 to 4. */
    static boolean is(byte[] head) {
        return head.length >= 4 && head[0] == 0 && head[1] == 0 && DType.ofIdx(head[2] & 0xff) != null && head[3] >= 1 && head[3] <= 4;
    }

    static ArrayReader.Header read(InputStream in, String name) throws IOException {
        byte[] m = in.readNBytes(4);
        if (!is(m))
            throw new DataException(name + ": not an IDX file (magic " + hex(m) + "; expected 00 00 TYPE RANK with TYPE 08, 09, 0B, 0C, 0D or 0E and RANK 1..4)");
        int rank = m[3];
        byte[] d = in.readNBytes(4 * rank);
        if (d.length < 4 * rank)
            throw new DataException(name + ": truncated: the file ends inside the IDX header");
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++)
            dims[i] = ((d[4 * i] & 0xffL) << 24) | ((d[4 * i + 1] & 0xff) << 16) | ((d[4 * i + 2] & 0xff) << 8) | (d[4 * i + 3] & 0xff);
        return new ArrayReader.Header(dims, DType.ofIdx(m[2] & 0xff), ByteOrder.BIG_ENDIAN, false);
    }

    static String hex(byte[] m) {
        StringBuilder sb = new StringBuilder();
        for (byte b : m)
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02x", b & 0xff));
        return sb.toString();
    }
}
