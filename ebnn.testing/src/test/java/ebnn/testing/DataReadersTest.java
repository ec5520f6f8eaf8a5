package ebnn.testing;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.data.DataException;
import ebnn.api.data.DataOptions;
import ebnn.api.data.DataReaders;
import ebnn.api.data.Dataset;
import ebnn.api.data.Sample;
import ebnn.api.data.SampleReader;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layout;
import ebnn.api.model.Shape;

/**
 * The data layer on files written independently of it ({@link DataFiles}, from the formats' specs),
 * checked against the bytes of the real Fashion-MNIST IDX files: every format gives the same samples
 * and labels; bad data is one clear error naming file, sample and position.
 */
public class DataReadersTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    static final int N = 60;
    static final Shape MNIST = new Shape(1, 28, 28);
    static Dataset fashion;

    @BeforeClass
    public static void read() {
        fashion = DataReaders.readAll(TestData.fashionDir(), DataOptions.raw(), N, true);
    }

    static Path write(String name, byte[] content) throws IOException {
        Path p = TMP.getRoot().toPath().resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    static DataOptions forModel(Shape s, double low, double high) {
        return DataOptions.forInput(new InputSpec(s, Layout.NCHW, low, high));
    }

    static double[] labelValues() {
        return DataFiles.values(fashion.labels(), 0, N, 1, 0);
    }

    static void assertSame(Dataset expected, Dataset got) {
        assertEquals(got.name() + " count", expected.count(), got.count());
        assertEquals(got.name() + " shape", expected.shape(), got.shape());
        assertArrayEquals(got.name() + " samples", expected.samples(), got.samples());
        if (expected.labelled())
            assertArrayEquals(got.name() + " labels", expected.labels(), got.labels());
    }

    @Test
    public void fashionMnistIdxFolderBothSplitsGzip() {
        assertEquals(MNIST, fashion.shape());
        assertTrue(fashion.name(), fashion.name().contains("t10k"));
        Dataset train = DataReaders.readAll(TestData.fashionDir(), DataOptions.raw().withTraining(true), 5, true);
        assertFalse("the training split is another set of images", Arrays.equals(train.samples(), fashion.head(5).samples()));
        assertTrue(DataReaders.hasTestSplit(TestData.fashionDir()));
        // the first Fashion-MNIST test label is 9 (ankle boot), the second 2 (pullover): from the dataset's documentation
        assertEquals(9, fashion.label(0));
        assertEquals(2, fashion.label(1));
    }

    @Test
    public void npyEveryTypeBothOrdersAndEndiannesses() throws IOException {
        Path labels = write("fashion-y.npy", DataFiles.npy("<i8", false, new long[] { N }, labelValues()));
        double[] bytes = DataFiles.values(fashion.samples(), 0, N * 784, 1, 0);
        record Case(String descr, boolean fortran, long[] shape, double scale, double offset, double low, double high) {
        }
        List<Case> cases = List.of(
                new Case("|u1", false, new long[] { N, 28, 28 }, 1, 0, 0, 1), // uint8: the bytes, whatever the range
                new Case("|u1", true, new long[] { N, 1, 28, 28 }, 1, 0, 0, 255),
                new Case("|i1", false, new long[] { N, 28, 28, 1 }, 1, -128, -128, 127), // int8 through a -128..127 range
                new Case(">i2", true, new long[] { N, 784 }, 1, 0, 0, 255),
                new Case("<i4", false, new long[] { N, 28, 28 }, 4, -510, -510, 510),
                new Case("<f4", false, new long[] { N, 1, 28, 28 }, 1 / 255.0, 0, 0, 1), // float [0,1] for a 0..1 model
                new Case(">f4", true, new long[] { N, 28, 28 }, 1, 0, 0, 255), // float [0,255] for a raw model
                new Case("<f8", true, new long[] { N, 28, 28, 1 }, 2 / 255.0, -1, -1, 1));
        for (Case c : cases) {
            double[] v = bytes.clone();
            for (int i = 0; i < v.length; i++)
                v[i] = v[i] * c.scale + c.offset;
            Path f = write("x" + c.descr.replaceAll("[<>|]", "") + c.fortran + c.shape.length + ".npy", DataFiles.npy(c.descr, c.fortran, c.shape, v));
            Dataset d = DataReaders.readAll(f, forModel(MNIST, c.low, c.high).withLabels(labels), Long.MAX_VALUE, true);
            assertSame(fashion, new Dataset("", d.shape(), d.count(), d.samples(), d.labels()));
        }
    }

    @Test
    public void npyThreeChannelsNchwAndNhwcAgree() throws IOException {
        int n = 7, c = 3, h = 5, w = 6, size = c * h * w;
        byte[] chw = new byte[n * size];
        new Random(14).nextBytes(chw);
        byte[] hwc = DataFiles.toHwc(chw, n, c, h, w);
        Shape s = new Shape(c, h, w);
        Path nchw = write("rgb-nchw.npy", DataFiles.npy("|u1", false, new long[] { n, c, h, w }, DataFiles.values(chw, 0, chw.length, 1, 0)));
        Path nhwc = write("rgb-nhwc.npy", DataFiles.npy("<f4", true, new long[] { n, h, w, c }, DataFiles.values(hwc, 0, hwc.length, 1, 0)));
        for (Path f : List.of(nchw, nhwc)) {
            // the model's shape decides the layout ...
            assertArrayEquals(f.toString(), chw, DataReaders.readAll(f, forModel(s, 0, 255), 100, false).samples());
            // ... and so does the data alone (channels are the short axis) or --layout
            assertArrayEquals(f.toString(), chw, DataReaders.readAll(f, DataOptions.raw(), 100, false).samples());
            assertEquals(s, DataReaders.readAll(f, DataOptions.raw(), 100, false).shape());
        }
        assertArrayEquals(chw, DataReaders.readAll(nhwc, DataOptions.raw().withLayout(Layout.NHWC), 100, false).samples());
        // a flat model of the same size takes the CHW values in order (what its flatten implies)
        assertArrayEquals(chw, DataReaders.readAll(nhwc, forModel(Shape.vector(size), 0, 255), 100, false).samples());
        // the wrong layout for a 3x5x6 model: both shapes named
        DataException e = error(() -> DataReaders.readAll(nhwc, forModel(s, 0, 255).withLayout(Layout.NCHW), 100, false));
        assertTrue(e.getMessage(), e.getMessage().contains("[5x6x3]") && e.getMessage().contains("[3x5x6]"));
    }

    @Test
    public void npzStoredAndDeflatedWithDefaultAndNamedArrays() throws IOException {
        byte[] x = DataFiles.npy("|u1", false, new long[] { N, 28, 28 }, DataFiles.values(fashion.samples(), 0, N * 784, 1, 0));
        byte[] y = DataFiles.npy("<i4", false, new long[] { N }, labelValues());
        for (boolean deflate : new boolean[] { false, true }) {
            Path xy = write("xy" + deflate + ".npz", DataFiles.npz(Map.of("x", x, "y", y), deflate));
            assertSame(fashion, rename(DataReaders.readAll(xy, forModel(MNIST, 0, 1), Long.MAX_VALUE, true)));
            Map<String, byte[]> keras = new LinkedHashMap<>();
            keras.put("x_train", x);
            keras.put("y_train", y);
            keras.put("x_test", DataFiles.npy("|u1", false, new long[] { 2, 28, 28 }, new double[2 * 784]));
            keras.put("y_test", DataFiles.npy("|u1", false, new long[] { 2 }, new double[] { 3, 4 }));
            Path k = write("keras" + deflate + ".npz", DataFiles.npz(keras, deflate));
            assertTrue(DataReaders.hasTestSplit(k));
            assertSame(fashion, rename(DataReaders.readAll(k, DataOptions.raw().withTraining(true), Long.MAX_VALUE, true)));
            assertEquals(2, DataReaders.readAll(k, DataOptions.raw(), Long.MAX_VALUE, true).count());
            assertSame(fashion, rename(DataReaders.readAll(k, DataOptions.raw().withArrays("x_train", "y_train"), Long.MAX_VALUE, true)));
            DataException e = error(() -> DataReaders.readAll(k, DataOptions.raw().withArrays("images", null), 1, false));
            assertTrue(e.getMessage(), e.getMessage().contains("no array 'images'") && e.getMessage().contains("x_train"));
        }
    }

    static Dataset rename(Dataset d) {
        return new Dataset("", d.shape(), d.count(), d.samples(), d.labels());
    }

    @Test
    public void pngFolderGrayAndRgb() throws IOException {
        Path dir = TMP.newFolder("png").toPath();
        DataFiles.pngFolder(dir, fashion.samples(), fashion.labels(), N, 1, 28, 28);
        SampleReader r = DataReaders.open(dir, forModel(MNIST, 0, 1));
        assertEquals(N, r.count());
        assertTrue(r.labelled());
        r.close();
        // the folder is class-major; each image must be the IDX sample of the same number with its label
        try (SampleReader png = DataReaders.open(dir, forModel(MNIST, 0, 1))) {
            int seen = 0;
            for (Sample s; (s = png.next()) != null; seen++) {
                int i = Integer.parseInt(Path.of(s.origin()).getFileName().toString().replace(".png", ""));
                assertArrayEquals(s.origin(), fashion.sample(i), s.bytes());
                assertEquals(s.origin(), fashion.label(i), Integer.parseInt(png.classes().get(s.label()).substring(1)));
            }
            assertEquals(N, seen);
        }
        // gray images for a 3-channel model: the gray value in each channel
        Sample rgbOfGray = first(dir, forModel(new Shape(3, 28, 28), 0, 255));
        byte[] three = new byte[3 * 784];
        byte[] g = rgbOfGray.bytes();
        for (int k = 0; k < 3; k++)
            System.arraycopy(g, 0, three, k * 784, 784);
        assertArrayEquals(three, g);
        // colour images: RGB as stored; to one channel by luma (ITU-R 601 weights)
        byte[] rgb = new byte[3 * 4 * 5];
        new Random(3).nextBytes(rgb);
        Path cdir = TMP.newFolder("rgbpng").toPath();
        DataFiles.png(cdir.resolve("a/0.png"), rgb, 3, 4, 5);
        assertArrayEquals(rgb, first(cdir, forModel(new Shape(3, 4, 5), 0, 255)).bytes());
        byte[] luma = first(cdir, forModel(new Shape(1, 4, 5), 0, 255)).bytes();
        for (int p = 0; p < 20; p++) {
            int expect = (int) Math.round(0.299 * (rgb[p] & 0xff) + 0.587 * (rgb[20 + p] & 0xff) + 0.114 * (rgb[40 + p] & 0xff));
            assertTrue("pixel " + p, Math.abs(expect - (luma[p] & 0xff)) <= 1);
        }
        // a folder of images without class folders: unlabelled, by file name
        try (SampleReader flat = DataReaders.open(dir.resolve("c09"), forModel(MNIST, 0, 1))) {
            assertFalse(flat.labelled());
            assertArrayEquals(fashion.sample(0), flat.next().bytes());
        }
        // a flat 784 model takes 28x28 images row-major
        assertArrayEquals(fashion.sample(0), first(dir.resolve("c09/00000.png"), forModel(Shape.vector(784), 0, 255)).bytes());
    }

    @Test
    public void imageSizeIsNeverChangedSilently() throws IOException {
        Path dir = TMP.newFolder("sizes").toPath();
        DataFiles.png(dir.resolve("a/big.png"), new byte[32 * 30], 1, 30, 32);
        DataException e = error(() -> DataReaders.readAll(dir, forModel(MNIST, 0, 255), 10, true));
        assertTrue(e.getMessage(), e.getMessage().contains("big.png") && e.getMessage().contains("32x30") && e.getMessage().contains("28x28"));
        // asked: resized (a constant image stays constant)
        byte[] grey = new byte[32 * 30];
        Arrays.fill(grey, (byte) 77);
        DataFiles.png(dir.resolve("a/big.png"), grey, 1, 30, 32);
        byte[] expect = new byte[784];
        Arrays.fill(expect, (byte) 77);
        assertArrayEquals(expect, DataReaders.readAll(dir, forModel(MNIST, 0, 255).withResize(28, 28), 10, true).samples());
    }

    @Test
    public void csvWithAndWithoutLabels() throws IOException {
        Path labelled = TMP.getRoot().toPath().resolve("fashion.csv");
        DataFiles.csv(labelled, fashion.samples(), fashion.labels(), N, 784, 1 / 255.0);
        // a flat CSV row of 784 for a 1x28x28 model that takes 0..1
        assertSame(fashion, rename(DataReaders.readAll(labelled, forModel(MNIST, 0, 1), Long.MAX_VALUE, true)));
        Path bare = TMP.getRoot().toPath().resolve("bare.csv");
        DataFiles.csv(bare, fashion.samples(), null, 3, 784, 1);
        try (SampleReader r = DataReaders.open(bare, forModel(MNIST, 0, 255))) {
            assertFalse(r.labelled());
            assertArrayEquals(fashion.sample(2), Arrays.copyOf(skip(r, 2).bytes(), 784));
        }
        // another label column, named
        Files.writeString(labelled.resolveSibling("named.csv"), "a,b,class\n0.5,1,3\n");
        Dataset d = DataReaders.readAll(labelled.resolveSibling("named.csv"), forModel(Shape.vector(2), 0, 1).withLabelColumn("class"), 10, true);
        assertArrayEquals(new byte[] { (byte) 128, (byte) 255 }, d.samples());
        assertEquals(3, d.label(0));
    }

    static Sample skip(SampleReader r, int n) {
        for (int i = 0; i < n; i++)
            r.next();
        return r.next();
    }

    @Test
    public void idxOfOtherRanksAndTypes() throws IOException {
        // IDX4 N x H x W x C (channels last), float32, single file with --labels; and a raw idx3 with its labels beside it
        int n = 4, c = 3, h = 2, w = 5, size = c * h * w;
        byte[] chw = new byte[n * size];
        new Random(5).nextBytes(chw);
        byte[] hwc = DataFiles.toHwc(chw, n, c, h, w);
        Path f = write("rgb-images-idx4-ubyte", DataFiles.idx(0x0D, new int[] { n, h, w, c }, DataFiles.values(hwc, 0, hwc.length, 1, 0)));
        Path l = write("rgb-labels-idx1-ubyte", DataFiles.idx(0x08, new int[] { n }, new double[] { 1, 0, 2, 1 }));
        Dataset d = DataReaders.readAll(f, DataOptions.raw(), 10, true);
        assertEquals(new Shape(c, h, w), d.shape());
        assertArrayEquals(chw, d.samples());
        assertArrayEquals(new byte[] { 1, 0, 2, 1 }, d.labels());
        Path i16 = write("i16.idx", DataFiles.idx(0x0B, new int[] { 2, 3 }, new double[] { -1, 0, 1, 1, 0, -1 }));
        assertArrayEquals(new byte[] { 0, (byte) 128, (byte) 255, (byte) 255, (byte) 128, 0 },
                DataReaders.readAll(i16, forModel(Shape.vector(3), -1, 1), 10, false).samples());
        // gzip-compressed single file
        Path gz = TMP.getRoot().toPath().resolve("x-images-idx3-ubyte.gz");
        try (var o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(DataFiles.idx(0x08, new int[] { 2, 28, 28 }, DataFiles.values(fashion.samples(), 0, 2 * 784, 1, 0)));
        }
        assertArrayEquals(fashion.head(2).samples(), DataReaders.readAll(gz, forModel(MNIST, 0, 1), 10, false).samples());
    }

    @Test
    public void readersStream() throws IOException {
        // a gzip IDX cut inside sample 3: the first three samples come out before the reader meets the end,
        // so a reader does not load its file whole (the header's count is not even trusted)
        Path gz = TMP.getRoot().toPath().resolve("stream-images-idx3-ubyte.gz");
        try (var o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(Arrays.copyOf(DataFiles.idx(0x08, new int[] { 5, 28, 28 }, DataFiles.values(fashion.samples(), 0, 5 * 784, 1, 0)), 16 + 3 * 784 + 5));
        }
        try (SampleReader r = DataReaders.open(gz, forModel(MNIST, 0, 1))) {
            assertEquals(5, r.count());
            for (int i = 0; i < 3; i++)
                assertArrayEquals(fashion.sample(i), r.next().bytes());
            DataException e = error(r::next);
            assertTrue(e.getMessage(), e.getMessage().contains("truncated") && e.getMessage().contains("sample 3"));
        }
    }

    // ---------------------------------------------------------------- bad data

    interface Body {
        void run() throws Exception;
    }

    static DataException error(Body b) {
        try {
            b.run();
        } catch (DataException e) {
            assertFalse("one line: " + e.getMessage(), e.getMessage().contains("\n"));
            assertFalse("no class names: " + e.getMessage(), e.getMessage().matches(".*\\b(java|javax|ebnn)\\.[a-z]+\\..*"));
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a DataException, got " + e, e);
        }
        fail("expected a DataException");
        return null;
    }

    static Sample first(Path p, DataOptions o) {
        try (SampleReader r = DataReaders.open(p, o)) {
            return r.next();
        }
    }

    @Test
    public void badData() throws IOException {
        byte[] x = DataFiles.npy("<f4", false, new long[] { 3, 2 }, new double[] { 0, 0.5, 1, 0.25, Double.NaN, 0 });
        Path nan = write("nan.npy", x);
        DataException e = error(() -> DataReaders.readAll(nan, forModel(Shape.vector(2), 0, 1), 10, false));
        assertTrue(e.getMessage(), e.getMessage().contains("nan.npy") && e.getMessage().contains("sample 2, value 0") && e.getMessage().contains("NaN"));
        Path raw = write("raw.npy", DataFiles.npy("<f4", false, new long[] { 2, 2 }, new double[] { 0, 1, 255, 3 }));
        e = error(() -> DataReaders.readAll(raw, forModel(Shape.vector(2), 0, 1), 10, false));
        assertTrue(e.getMessage(), e.getMessage().contains("sample 1, value 0 is 255") && e.getMessage().contains("0..1"));
        Path inf = write("inf.npy", DataFiles.npy(">f8", true, new long[] { 1, 2 }, new double[] { Double.POSITIVE_INFINITY, 0 }));
        e = error(() -> DataReaders.readAll(inf, forModel(Shape.vector(2), 0, 1), 10, false));
        assertTrue(e.getMessage(), e.getMessage().contains("Infinity"));
        Path neg = write("neg.npy", DataFiles.npy("|i1", false, new long[] { 1, 2 }, new double[] { 3, -1 }));
        e = error(() -> DataReaders.readAll(neg, forModel(Shape.vector(2), 0, 255), 10, false));
        assertTrue(e.getMessage(), e.getMessage().contains("sample 0, value 1 is -1"));

        // truncated .npy: the header promises more than the file holds, found before reading
        byte[] full = DataFiles.npy("|u1", false, new long[] { 3, 28, 28 }, new double[3 * 784]);
        Path cut = write("cut.npy", Arrays.copyOf(full, full.length - 100));
        e = error(() -> DataReaders.open(cut, forModel(MNIST, 0, 1)));
        assertTrue(e.getMessage(), e.getMessage().contains("cut.npy") && e.getMessage().contains("truncated"));
        // a header that lies: 2^40 samples; refused from the sizes, nothing allocated
        byte[] liar = DataFiles.npyHeader("|u1", false, new long[] { 1L << 40, 28, 28 });
        Path lying = write("lying.npy", Arrays.copyOf(liar, liar.length + 784));
        e = error(() -> DataReaders.open(lying, forModel(MNIST, 0, 1)));
        assertTrue(e.getMessage(), e.getMessage().contains("header promises"));
        // a truncated gzip IDX: only the stream can tell, at the sample where it ends
        Path gz = TMP.getRoot().toPath().resolve("cut-images-idx3-ubyte.gz");
        try (var o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(Arrays.copyOf(DataFiles.idx(0x08, new int[] { 5, 28, 28 }, new double[5 * 784]), 16 + 3 * 784 + 5));
        }
        e = error(() -> DataReaders.readAll(gz, forModel(MNIST, 0, 1), 10, false));
        assertTrue(e.getMessage(), e.getMessage().contains("truncated") && e.getMessage().contains("sample 3"));
        Path idx = write("short-images-idx3-ubyte", Arrays.copyOf(DataFiles.idx(0x08, new int[] { 5, 28, 28 }, new double[5 * 784]), 1000));
        e = error(() -> DataReaders.open(idx, forModel(MNIST, 0, 1)));
        assertTrue(e.getMessage(), e.getMessage().contains("short-images-idx3-ubyte") && e.getMessage().contains("truncated"));

        // label count != sample count
        Path x3 = write("x3.npy", full);
        Path y2 = write("y2.npy", DataFiles.npy("|u1", false, new long[] { 2 }, new double[] { 1, 2 }));
        e = error(() -> DataReaders.readAll(x3, forModel(MNIST, 0, 1).withLabels(y2), 10, true));
        assertTrue(e.getMessage(), e.getMessage().contains("2 labels for 3 samples"));
        // wrong shape: both named
        e = error(() -> DataReaders.open(x3, forModel(new Shape(1, 32, 32), 0, 1)));
        assertTrue(e.getMessage(), e.getMessage().contains("[1x28x28]") && e.getMessage().contains("[1x32x32]"));
        // unreadable image: the file named
        Path imgs = TMP.newFolder("broken").toPath();
        Files.createDirectories(imgs.resolve("cat"));
        Files.write(imgs.resolve("cat/x.png"), new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H' });
        e = error(() -> DataReaders.readAll(imgs, forModel(MNIST, 0, 1), 10, true));
        assertTrue(e.getMessage(), e.getMessage().contains("x.png") && e.getMessage().contains("unreadable image"));
        // CSV: a short row, a non-number, no header
        Path csv = write("bad.csv", "label,a,b\n1,0,0\n2,0\n".getBytes());
        e = error(() -> DataReaders.readAll(csv, forModel(Shape.vector(2), 0, 1), 10, true));
        assertTrue(e.getMessage(), e.getMessage().contains("line 3"));
        Path nohead = write("nohead.csv", "1,2,3\n".getBytes());
        e = error(() -> DataReaders.open(nohead, forModel(Shape.vector(2), 0, 255)));
        assertTrue(e.getMessage(), e.getMessage().contains("header"));
        // not data at all
        Path junk = write("junk.bin", new byte[] { 1, 2, 3, (byte) 200 });
        e = error(() -> DataReaders.open(junk, DataOptions.raw()));
        assertTrue(e.getMessage(), e.getMessage().contains("junk.bin"));
        Path fake = write("fake.npy", "hello".getBytes());
        e = error(() -> DataReaders.open(fake, DataOptions.raw()));
        assertTrue(e.getMessage(), e.getMessage().contains("fake.npy"));
    }
}
