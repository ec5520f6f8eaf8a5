package ebnn.api.data.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ebnn.api.data.DataException;

/** The NumPy {@code .npy} header (format versions 1 to 3). */
final class Npy {
    static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    static boolean is(byte[] head) {
        if (head.length < MAGIC.length)
            return false;
        for (int i = 0; i < MAGIC.length; i++)
            if (head[i] != MAGIC[i])
                return false;
        return true;
    }

    /** Reads the header; {@code in} is left at the first data byte. Returns the header and its length in bytes. */
    static ArrayReader.Header read(InputStream in, String name, long[] headerBytes) throws IOException {
        byte[] pre = in.readNBytes(10);
        if (pre.length < 10 || !is(pre))
            throw new DataException(name + ": not a .npy file (no \\x93NUMPY magic)");
        int major = pre[6] & 0xff;
        long len;
        int fixed;
        if (major == 1) {
            len = (pre[8] & 0xff) | (pre[9] & 0xff) << 8;
            fixed = 10;
        } else if (major == 2 || major == 3) {
            byte[] more = in.readNBytes(2);
            if (more.length < 2)
                throw new DataException(name + ": truncated .npy header");
            len = (pre[8] & 0xffL) | (pre[9] & 0xffL) << 8 | (more[0] & 0xffL) << 16 | (more[1] & 0xffL) << 24;
            fixed = 12;
        } else {
            throw new DataException(name + ": .npy format version " + major + " is not supported (1 to 3 are)");
        }
        if (len > 1 << 20)
            throw new DataException(name + ": .npy header claims " + len + " bytes; not a plausible header");
        byte[] text = in.readNBytes((int) len);
        if (text.length < len)
            throw new DataException(name + ": truncated .npy header (" + text.length + " of " + len + " bytes)");
        headerBytes[0] = fixed + len;
        String h = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(h), f = FORTRAN.matcher(h), s = SHAPE.matcher(h);
        if (!d.find() || !f.find() || !s.find())
            throw new DataException(name + ": .npy header without descr, fortran_order and shape: " + h.trim());
        int size = Integer.parseInt(d.group(3).length() > 2 ? "0" : d.group(3));
        DType t = DType.ofNumpy(d.group(2).charAt(0), size);
        if (t == null)
            throw new DataException(name + ": .npy element type '" + d.group(1) + d.group(2) + d.group(3)
                    + "' is not supported (uint8, int8, int16, int32, int64, uint16, uint32, float32, float64 are)");
        ByteOrder order = ">".equals(d.group(1)) ? ByteOrder.BIG_ENDIAN
                : "=".equals(d.group(1)) ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
        String[] parts = s.group(1).split(",");
        long[] dims = new long[parts.length];
        int k = 0;
        for (String p : parts) {
            p = p.trim();
            if (p.isEmpty())
                continue;
            try {
                dims[k++] = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
            } catch (NumberFormatException e) {
                throw new DataException(name + ": .npy shape (" + s.group(1) + ") is not a list of integers");
            }
            if (dims[k - 1] < 0)
                throw new DataException(name + ": .npy shape (" + s.group(1) + ") has a negative axis");
        }
        return new ArrayReader.Header(java.util.Arrays.copyOf(dims, k), t, order, "True".equals(f.group(1)));
    }
}
