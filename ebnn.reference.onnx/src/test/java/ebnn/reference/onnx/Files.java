package ebnn.reference.onnx;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ebnn.testing.TestData;

/** Test inputs: the shared models, and a reader of the small float32/float64 .npy files of the test data. */
final class Files {
    private Files() {
    }

    static Path models() {
        return TestData.modelsDir();
    }

    static Path model(String name) {
        return TestData.model(name);
    }

    record Npy(int[] shape, double[] data) {
    }

    /** A little-endian, C-order float32/float64/int64 .npy array. */
    static Npy npy(Path file) throws IOException {
        byte[] b = java.nio.file.Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int major = b[6];
        int headerLen = major == 1 ? buf.getShort(8) & 0xffff : buf.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = Pattern.compile("'descr': '([<|])([fi])(\\d)'").matcher(header);
        Matcher s = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(header);
        assertTrue(header, d.find() && s.find() && !header.contains("'fortran_order': True"));
        String[] dims = s.group(1).split(",");
        int n = 0;
        int[] shape = new int[dims.length];
        for (String x : dims)
            if (!x.isBlank())
                shape[n++] = Integer.parseInt(x.trim());
        shape = java.util.Arrays.copyOf(shape, n);
        int count = 1;
        for (int x : shape)
            count *= x;
        double[] v = new double[count];
        buf.position(start + headerLen);
        int width = Integer.parseInt(d.group(3));
        for (int i = 0; i < count; i++)
            v[i] = d.group(2).equals("f") ? (width == 4 ? buf.getFloat() : buf.getDouble()) : (width == 8 ? buf.getLong() : buf.getInt());
        return new Npy(shape, v);
    }
}
