package ebnn.train.impl;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.data.DataException;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.testing.TestData;

/** IDX as the trainer loads it (through the data layer): raw and gzip, real MNIST, and malformed files. */
public class IdxDatasetTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] images(int magic, int n, int h, int w, int pixelBytes) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(bo);
        o.writeInt(magic);
        o.writeInt(n);
        o.writeInt(h);
        o.writeInt(w);
        for (int i = 0; i < pixelBytes; i++)
            o.writeByte(i * 7);
        return bo.toByteArray();
    }

    private static byte[] labels(int magic, int n, int present) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(bo);
        o.writeInt(magic);
        o.writeInt(n);
        for (int i = 0; i < present; i++)
            o.writeByte(i % 10);
        return bo.toByteArray();
    }

    private Path write(String name, byte[] data, boolean gzip) throws IOException {
        Path p = tmp.getRoot().toPath().resolve(name);
        try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(data);
        }
        return p;
    }

    @Test
    public void readsRawAndGzipIdentically() throws IOException {
        Path ri = write("a-images", images(0x803, 3, 2, 4, 24), false), rl = write("a-labels", labels(0x801, 3, 3), false);
        Path gi = write("b-images.gz", images(0x803, 3, 2, 4, 24), true), gl = write("b-labels.gz", labels(0x801, 3, 3), true);
        Dataset raw = Idx.read("raw", ri, rl), gz = Idx.read("gz", gi, gl);
        assertEquals(3, raw.count());
        assertEquals(8, raw.shape().size());
        assertEquals(2, raw.label(2));
        assertEquals((byte) (9 * 7), raw.samples()[9]);
        assertTrue(java.util.Arrays.equals(raw.samples(), gz.samples()));
        assertTrue(java.util.Arrays.equals(raw.labels(), gz.labels()));
    }

    @Test
    public void realMnistSplits() {
        Dataset train = Idx.load(TestData.data("mnist"), false), test = Idx.load(TestData.data("mnist"), true);
        assertEquals(10_000, train.count());
        assertEquals(10_000, test.count());
        assertEquals(784, test.shape().size());
        for (int i = 0; i < 100; i++)
            assertTrue(test.label(i) < 10);
    }

    @Test
    public void malformedFilesAreTypedErrors() throws IOException {
        Path goodLabels = write("l", labels(0x801, 3, 3), false);
        Path i1 = write("i1", images(0x0F03, 3, 2, 4, 24), false), i2 = write("i2", images(0x803, 3, 2, 4, 24), false),
                l2 = write("l2", labels(0x803, 3, 3), false), i3 = write("i3", images(0x803, 3, 2, 4, 20), true),
                i4 = write("i4", images(0x803, 3, 2, 4, 30), false), i5 = write("i5", images(0x803, 4, 2, 4, 32), false),
                i6 = write("i6", images(0x803, 2_000_000_000, 4096, 4096, 0), false);
        expect(() -> Idx.read("x", i1, goodLabels), "not a data file");
        expect(() -> Idx.read("x", i2, l2), "l2: truncated: the file ends inside the IDX header");
        expect(() -> Idx.read("x", i3, goodLabels), "truncated");
        expect(() -> Idx.read("x", i4, goodLabels), "but the file holds 30 data bytes");
        expect(() -> Idx.read("x", i5, goodLabels), "3 labels for 4 samples");
        expect(() -> Idx.read("x", i6, goodLabels), "header promises");
    }

    private static void expect(Runnable r, String text) {
        try {
            r.run();
            fail("expected an error containing '" + text + "'");
        } catch (DataException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(text));
        }
    }
}
