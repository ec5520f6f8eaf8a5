package ebnn.onnx.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal .npy reader for the test fixtures (little-endian f4/f8/i4/i8, C order). */
public record Npy(long[] shape, double[] data) {
    public static Npy read(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        if (magic[0] != (byte) 0x93 || magic[1] != 'N')
            throw new IOException(p + ": not .npy");
        int major = b.get();
        b.get();
        int hlen = major == 1 ? b.getShort() & 0xffff : b.getInt();
        byte[] h = new byte[hlen];
        b.get(h);
        String header = new String(h, java.nio.charset.StandardCharsets.ISO_8859_1);
        Matcher d = Pattern.compile("'descr':\\s*'([<>|]?)(\\w\\d)'").matcher(header);
        Matcher s = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        if (!d.find() || !s.find() || header.contains("'fortran_order': True"))
            throw new IOException(p + ": unsupported header " + header);
        String[] parts = s.group(1).split(",");
        long n = 1;
        java.util.List<Long> dims = new java.util.ArrayList<>();
        for (String part : parts)
            if (!part.isBlank()) {
                dims.add(Long.parseLong(part.trim()));
                n *= dims.get(dims.size() - 1);
            }
        double[] v = new double[(int) n];
        String t = d.group(2);
        for (int i = 0; i < n; i++)
            v[i] = switch (t) {
                case "f4" -> b.getFloat();
                case "f8" -> b.getDouble();
                case "i4" -> b.getInt();
                case "i8" -> b.getLong();
                case "u1" -> b.get() & 0xff;
                default -> throw new IOException(p + ": dtype " + t);
            };
        return new Npy(dims.stream().mapToLong(Long::longValue).toArray(), v);
    }
}
