package ebnn.testing;

import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.EbnnException;
import ebnn.api.data.DataOptions;
import ebnn.api.data.DataReaders;
import ebnn.api.data.SampleReader;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layout;
import ebnn.api.model.Shape;

/**
 * The data readers on hostile files, in the style of the model readers' seed-mutation tests
 * (docs/RELIABILITY.md): every prefix and a seeded sample of single-byte changes of small valid
 * files of each format. Property: reading ends in samples or in a typed ebnn error with a one-line
 * message; any other exception, an OutOfMemoryError, or more than a second of CPU for one input is
 * a finding.
 */
public class DataReadersMutationTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    static Map<String, byte[]> seeds() throws Exception {
        Map<String, byte[]> s = new LinkedHashMap<>();
        double[] v = new double[3 * 2 * 4 * 3];
        for (int i = 0; i < v.length; i++)
            v[i] = i % 7;
        s.put("c.npy", DataFiles.npy("|u1", false, new long[] { 3, 2, 4, 3 }, v));
        s.put("f.npy", DataFiles.npy("<f4", true, new long[] { 3, 2, 4, 3 }, v));
        s.put("b.npy", DataFiles.npy(">i2", false, new long[] { 3, 24 }, v));
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put("x", DataFiles.npy("|u1", false, new long[] { 3, 24 }, v));
        arrays.put("y", DataFiles.npy("|u1", false, new long[] { 3 }, new double[] { 0, 1, 2 }));
        s.put("s.npz", DataFiles.npz(arrays, false));
        s.put("d.npz", DataFiles.npz(arrays, true));
        s.put("x-images-idx4-ubyte", DataFiles.idx(0x08, new int[] { 3, 2, 4, 3 }, v));
        s.put("x-images-idx3-ubyte.gz", gzip(DataFiles.idx(0x0D, new int[] { 3, 4, 6 }, v)));
        s.put("r.csv", "label,a,b,c\n1,0,1,2\n0,3,4,5\n".getBytes());
        Path png = TMP.getRoot().toPath().resolve("seed.png");
        byte[] rgb = new byte[3 * 4 * 6];
        new Random(1).nextBytes(rgb);
        DataFiles.png(png, rgb, 3, 4, 6);
        s.put("i.png", Files.readAllBytes(png));
        return s;
    }

    static byte[] gzip(byte[] b) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(o)) {
            z.write(b);
        }
        return o.toByteArray();
    }

    @Test
    public void prefixesAndByteChangesEndInSamplesOrATypedError() throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        List<String> findings = new ArrayList<>();
        Random r = new Random(20261204);
        int inputs = 0;
        for (var seed : seeds().entrySet()) {
            byte[] b = seed.getValue();
            List<byte[]> variants = new ArrayList<>();
            for (int n = 0; n < b.length; n += Math.max(1, b.length / 60))
                variants.add(java.util.Arrays.copyOf(b, n));
            for (int k = 0; k < 150; k++) {
                byte[] m = b.clone();
                int at = r.nextInt(m.length);
                m[at] = (byte) (k % 3 == 0 ? r.nextInt(256) : k % 3 == 1 ? m[at] ^ (1 << r.nextInt(8)) : 0xff);
                variants.add(m);
            }
            for (int i = 0; i < variants.size(); i++) {
                Path f = TMP.getRoot().toPath().resolve("m" + i + "-" + seed.getKey());
                Files.write(f, variants.get(i));
                for (DataOptions o : List.of(DataOptions.raw(),
                        DataOptions.forInput(new InputSpec(Shape.vector(24), Layout.NCHW, 0, 6)).withSingle(i % 2 == 0))) {
                    inputs++;
                    long t0 = cpu.getCurrentThreadCpuTime();
                    try (SampleReader rd = DataReaders.open(f, o)) {
                        while (rd.next() != null) {
                            // read to the end
                        }
                    } catch (EbnnException e) {
                        if (e.getMessage() == null || e.getMessage().isBlank() || e.getMessage().contains("\n"))
                            findings.add(f.getFileName() + ": message '" + e.getMessage() + "'");
                    } catch (Throwable e) {
                        findings.add(f.getFileName() + ": " + e);
                    }
                    long ms = (cpu.getCurrentThreadCpuTime() - t0) / 1_000_000;
                    if (ms > 1000)
                        findings.add(f.getFileName() + ": " + ms + " ms of CPU");
                }
                Files.delete(f);
            }
        }
        assertTrue(inputs + " inputs; findings:\n" + String.join("\n", findings), findings.isEmpty());
    }
}
