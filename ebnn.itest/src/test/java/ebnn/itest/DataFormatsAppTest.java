package ebnn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.data.DataOptions;
import ebnn.api.data.DataReaders;
import ebnn.api.data.Dataset;
import ebnn.testing.DataFiles;
import ebnn.testing.TestData;

/**
 * Users' own data through the exported app ({@code java -jar ebnn.jar}), one shot per command, with
 * files the test writes with fixed seeds from real MNIST and Fashion-MNIST digits: .npy of three
 * element types in C and Fortran order, .npz, a PNG folder, CSV, IDX; through eval, classify
 * --input, verify, train and compile --sample (its example run in host C). Every format must give
 * exactly the answers the IDX original gives; bad data is one error line, exit 1, nothing written.
 * About 25 launches of the app (~1.5 s each on an idle core): each format once through a command a
 * user runs; the byte-level checks of every type, order and error live in ebnn.testing's
 * DataReadersTest, in-process.
 */
public class DataFormatsAppTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    static final int N = 200;
    static File jar;
    static Path dir, model, mnistIdx;
    static Dataset mnist;

    @BeforeClass
    public static void files() throws Exception {
        String p = System.getProperty("ebnn.app.jar");
        jar = p != null && !p.isEmpty() ? new File(p) : Path.of("../cnf/target/ebnn.jar").toAbsolutePath().normalize().toFile();
        assertTrue("exported app not found: " + jar, jar.isFile());
        model = Path.of("../examples/models/convpool-1.ebnn").toAbsolutePath().normalize();
        assertTrue(model.toString(), Files.isRegularFile(model));
        dir = TMP.getRoot().toPath();
        mnist = TestData.mnistTest().head(N);
        mnistIdx = Files.createDirectories(dir.resolve("idx"));
        Files.write(mnistIdx.resolve("t10k-images-idx3-ubyte"), DataFiles.idx(0x08, new int[] { N, 28, 28 }, DataFiles.values(mnist.samples(), 0, N * 784, 1, 0)));
        Files.write(mnistIdx.resolve("t10k-labels-idx1-ubyte"), DataFiles.idx(0x08, new int[] { N }, DataFiles.values(mnist.labels(), 0, N, 1, 0)));
        double[] pixels = DataFiles.values(mnist.samples(), 0, N * 784, 1, 0);
        double[] labels = DataFiles.values(mnist.labels(), 0, N, 1, 0);
        Files.write(dir.resolve("u8.npy"), DataFiles.npy("|u1", false, new long[] { N, 1, 28, 28 }, pixels));
        Files.write(dir.resolve("f32-fortran-nhwc.npy"), DataFiles.npy("<f4", true, new long[] { N, 28, 28, 1 }, pixels));
        Files.write(dir.resolve("i16-big.npy"), DataFiles.npy(">i2", false, new long[] { N, 28, 28 }, pixels));
        Files.write(dir.resolve("labels.npy"), DataFiles.npy("<i8", false, new long[] { N }, labels));
        Files.write(dir.resolve("mnist.npz"), DataFiles.npz(Map.of("x", DataFiles.npy("|u1", false, new long[] { N, 28, 28 }, pixels), "y",
                DataFiles.npy("|u1", false, new long[] { N }, labels)), true));
        DataFiles.pngFolder(dir.resolve("png"), mnist.samples(), mnist.labels(), N, 1, 28, 28);
        DataFiles.csv(dir.resolve("mnist.csv"), mnist.samples(), mnist.labels(), N, 784, 1);
    }

    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.getAbsolutePath()));
        cmd.addAll(List.of(args));
        File out = TMP.newFile(), err = TMP.newFile();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectOutput(out)
                .redirectError(err).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8), Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    static Result ok(Result r) {
        assertEquals("exit code; stderr: " + r.err() + "\nstdout: " + r.out(), 0, r.exit());
        return r;
    }

    static void fails(Result r, String... mustContain) {
        assertEquals("exit code; stdout: " + r.out() + " stderr: " + r.err(), 1, r.exit());
        assertEquals("one line: " + r.err(), 1, r.errLines().size());
        String e = r.errLines().get(0);
        assertTrue(e, e.startsWith("error: ") && !e.contains("Exception") && !e.contains("\tat "));
        for (String s : mustContain)
            assertTrue("'" + s + "' in: " + e, e.contains(s));
    }

    /** "(C of N)" of an eval line. */
    static int correct(String out) {
        Matcher m = Pattern.compile("\\(([0-9,]+) of ([0-9,]+)\\)").matcher(out);
        assertTrue(out, m.find());
        assertEquals(out, N, Integer.parseInt(m.group(2).replace(",", "")));
        return Integer.parseInt(m.group(1).replace(",", ""));
    }

    /** The "predicted" values of a classify --json, in order. */
    static List<Integer> predicted(String json) {
        List<Integer> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"predicted\"\\s*:\\s*(\\d+)").matcher(json);
        while (m.find())
            out.add(Integer.parseInt(m.group(1)));
        return out;
    }

    @Test
    public void evalGivesTheSameAnswersFromEveryFormat() throws Exception {
        int reference = correct(ok(run("ebnn:eval", model.toString(), "--data", mnistIdx.toString())).out());
        assertTrue("the trained ConvPool-1 on 200 real MNIST digits: " + reference, reference >= 190);
        Map<String, String[]> formats = new LinkedHashMap<>();
        formats.put("u8 npy", new String[] { "--data", "u8.npy", "--labels", "labels.npy" });
        formats.put("float32 Fortran NHWC npy", new String[] { "--data", "f32-fortran-nhwc.npy", "--labels", "labels.npy" });
        formats.put("int16 big-endian npy", new String[] { "--data", "i16-big.npy", "--labels", "labels.npy" });
        formats.put("npz", new String[] { "--data", "mnist.npz" });
        formats.put("png folder", new String[] { "--data", "png" });
        formats.put("csv", new String[] { "--data", "mnist.csv" });
        for (var f : formats.entrySet()) {
            List<String> args = new ArrayList<>(List.of("ebnn:eval", model.toString()));
            args.addAll(List.of(f.getValue()));
            assertEquals(f.getKey(), reference, correct(ok(run(args.toArray(String[]::new))).out()));
        }
        // Fashion-MNIST IDX (the Debian package's gzip files): read whole by eval, a 28x28 MNIST model does far worse on it
        Result fashion = ok(run("ebnn:eval", model.toString(), "--data", TestData.fashionDir().toString(), "--limit", "200"));
        assertTrue(fashion.out(), fashion.out().contains("fashion-mnist/t10k (IDX)") && correct(fashion.out()) < 100);
    }

    @Test
    public void classifySingleFilesAsTheDataSetDoes() throws Exception {
        List<Integer> fromIdx = predicted(ok(run("ebnn:classify", model.toString(), "--data", mnistIdx.toString(), "--count", "3", "--json")).out());
        assertEquals(3, fromIdx.size());
        // three single files: a PNG, a one-sample .npy of float64 (28x28, no sample axis) and a one-row CSV
        List<String> csv = Files.readAllLines(dir.resolve("mnist.csv"));
        Files.writeString(dir.resolve("row.csv"), csv.get(0) + "\n" + csv.get(2) + "\n"); // the header and sample 1
        Files.write(dir.resolve("one.npy"), DataFiles.npy("<f8", false, new long[] { 28, 28 }, DataFiles.values(mnist.samples(), 0, 784, 1, 0)));
        Path png = dir.resolve(String.format("png/c%02d/00002.png", mnist.label(2)));
        Result r = ok(run("ebnn:classify", model.toString(), "--input", "one.npy", "row.csv", png.toString(), "--json"));
        assertEquals(r.out(), List.of(fromIdx.get(0), fromIdx.get(1), fromIdx.get(2)), predicted(r.out()));
    }

    @Test
    public void verifyAgainstOnnxRuntimeFromAPngFolderAndAFloatNpy() throws Exception {
        // FINN's TFC takes 1x28x28 in -1..1: PNG bytes are the bytes, floats in [-1, 1] go through that range
        Path finn = Path.of(System.getProperty("ebnn.models", "../../shared/models"), "finn_build_dataflow_tfc_w1a1.onnx").toAbsolutePath();
        Result png = ok(run("ebnn:verify", finn.toString(), "--data", "png", "--limit", "100"));
        assertTrue(png.out(), png.out().contains("agree on 100 of 100"));
        Files.write(dir.resolve("pm1.npy"), DataFiles.npy("<f4", false, new long[] { 50, 784 }, DataFiles.values(mnist.samples(), 0, 50 * 784, 2 / 255.0, -1)));
        Result npy = ok(run("ebnn:verify", finn.toString(), "--data", "pm1.npy", "--labels", write50Labels()));
        assertTrue(npy.out(), npy.out().contains("agree on 50 of 50") && npy.out().contains("accuracy:"));
        // the same floats for a model that takes raw 0..255 would be wrong, and are refused (-1 is outside 0..255)
        fails(run("ebnn:eval", model.toString(), "--data", "pm1.npy", "--labels", write50Labels()), "pm1.npy", "sample 0, value 0", "outside", "0..255");
    }

    static String write50Labels() throws Exception {
        Path p = dir.resolve("labels50.npy");
        Files.write(p, DataFiles.npy("|u1", false, new long[] { 50 }, DataFiles.values(mnist.labels(), 0, 50, 1, 0)));
        return p.toString();
    }

    @Test
    public void threeChannelsFromPngAndNhwcNpyAgreeWithOnnxRuntime() throws Exception {
        // Larq's GTSRB BNN takes 48x48 RGB (NHWC in its source): random colour images with a fixed seed, as PNG and as .npy
        Path gtsrb = Path.of(System.getProperty("ebnn.models", "../../shared/models"), "larq_tf2onnx_gtsrb_bnn_48x48.onnx").toAbsolutePath();
        int n = 12, size = 3 * 48 * 48;
        byte[] chw = new byte[n * size];
        new Random(1414).nextBytes(chw);
        byte[] labels = new byte[n];
        DataFiles.pngFolder(dir.resolve("rgb"), chw, labels, n, 3, 48, 48);
        byte[] hwc = DataFiles.toHwc(chw, n, 3, 48, 48);
        Files.write(dir.resolve("rgb.npy"), DataFiles.npy("|u1", false, new long[] { n, 48, 48, 3 }, DataFiles.values(hwc, 0, hwc.length, 1, 0)));
        List<Integer> png = predicted(ok(run("ebnn:classify", gtsrb.toString(), "--data", "rgb", "--count", "12", "--json")).out());
        List<Integer> npy = predicted(ok(run("ebnn:classify", gtsrb.toString(), "--data", "rgb.npy", "--count", "12", "--json")).out());
        assertEquals(n, png.size());
        assertEquals("the same images from PNG and from NHWC .npy", png, npy);
        Result v = ok(run("ebnn:verify", gtsrb.toString(), "--data", "rgb.npy"));
        assertTrue(v.out(), v.out().contains("agree on 12 of 12"));
    }

    @Test
    public void trainOnAnNpzWithItsTestSplit() throws Exception {
        // 2,000 Fashion-MNIST training images and 500 test images in a Keras-style .npz
        Dataset train = DataReaders.readAll(TestData.fashionDir(), DataOptions.raw().withTraining(true), 2000, true);
        Dataset test = DataReaders.readAll(TestData.fashionDir(), DataOptions.raw(), 500, true);
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put("x_train", DataFiles.npy("|u1", false, new long[] { 2000, 28, 28 }, DataFiles.values(train.samples(), 0, 2000 * 784, 1, 0)));
        arrays.put("y_train", DataFiles.npy("|u1", false, new long[] { 2000 }, DataFiles.values(train.labels(), 0, 2000, 1, 0)));
        arrays.put("x_test", DataFiles.npy("|u1", false, new long[] { 500, 28, 28 }, DataFiles.values(test.samples(), 0, 500 * 784, 1, 0)));
        arrays.put("y_test", DataFiles.npy("|u1", false, new long[] { 500 }, DataFiles.values(test.labels(), 0, 500, 1, 0)));
        Files.write(dir.resolve("fashion.npz"), DataFiles.npz(arrays, false));
        Path out = dir.resolve("fashion-mlp.ebnn");
        Result r = ok(run("ebnn:train", "--arch", "mlp-1", "--data", "fashion.npz", "--epochs", "2", "--seed", "5", "--out", out.toString()));
        Matcher m = Pattern.compile("test accuracy ([0-9.]+) % on 500 samples").matcher(r.out());
        assertTrue(r.out(), m.find());
        assertTrue("two epochs on 2,000 Fashion-MNIST images learn well above chance: " + r.out(), Double.parseDouble(m.group(1)) > 50);
        assertTrue(Files.size(out) > 0);
        // bad training data: one line, exit 1, no model file
        Path none = dir.resolve("none.ebnn");
        fails(run("ebnn:train", "--arch", "mlp-1", "--data", "u8.npy", "--out", none.toString()), "u8.npy", "no labels");
        Files.write(dir.resolve("y3.npy"), DataFiles.npy("|u1", false, new long[] { 3 }, new double[] { 1, 2, 3 }));
        fails(run("ebnn:train", "--arch", "mlp-1", "--data", "u8.npy", "--labels", "y3.npy", "--out", none.toString()), "3 labels for 200 samples");
        assertFalse(Files.exists(none));
    }

    @Test
    public void compileEmbedsARealSampleThatTheHostExamplePrints() throws Exception {
        Path png = dir.resolve(String.format("png/c%02d/00000.png", mnist.label(0)));
        int jvm = predicted(ok(run("ebnn:classify", model.toString(), "--input", png.toString(), "--json")).out()).get(0);
        Path out = dir.resolve("c-out");
        ok(run("ebnn:compile", model.toString(), "--backend", "c", "--device", "host", "--out", out.toString(), "--sample", png.toString()));
        assertTrue(Files.readString(out.resolve("example.c")).contains("00000.png"));
        Process make = new ProcessBuilder("make", "-s", "example").directory(out.toFile()).redirectErrorStream(true).start();
        String log = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(log, 0, make.waitFor());
        Process ex = new ProcessBuilder(out.resolve("example").toString()).redirectErrorStream(true).start();
        String printed = new String(ex.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(printed, 0, ex.waitFor());
        assertEquals("host C prints the class the JVM gives the same file", "class " + jvm, printed.lines().findFirst().orElse(""));
        assertEquals("and it is the digit's label", mnist.label(0), jvm);
        // a sample of the wrong shape: refused before anything is written
        Files.write(dir.resolve("small.npy"), DataFiles.npy("|u1", false, new long[] { 1, 8, 8 }, new double[64]));
        Path never = dir.resolve("never");
        fails(run("ebnn:compile", model.toString(), "--backend", "c", "--device", "host", "--out", never.toString(), "--sample", "small.npy"), "small.npy",
                "[1x8x8]", "[1x28x28]");
        assertFalse(Files.exists(never));
    }

    @Test
    public void badDataIsOneLine() throws Exception {
        fails(run("ebnn:eval", model.toString(), "--data", "u8.npy", "--labels", write50Labels()), "50 labels for 200 samples");
        Files.write(dir.resolve("nan.npy"), DataFiles.npy("<f4", false, new long[] { 2, 784 }, nanAt(784 + 17)));
        fails(run("ebnn:classify", model.toString(), "--input", "nan.npy"), "nan.npy", "sample 1, value 17", "NaN");
        Files.createDirectories(dir.resolve("broken/seven"));
        Files.writeString(dir.resolve("broken/seven/a.png"), "not a png");
        fails(run("ebnn:eval", model.toString(), "--data", "broken"), "a.png");
        Files.write(dir.resolve("big.npy"), DataFiles.npy("|u1", false, new long[] { 2, 32, 32 }, new double[2 * 1024]));
        fails(run("ebnn:verify", model.toString(), "--reference", "imported-ir", "--data", "big.npy"), "[1x32x32]", "[1x28x28]");
    }

    static double[] nanAt(int at) {
        double[] v = new double[2 * 784];
        v[at] = Double.NaN;
        return v;
    }
}
