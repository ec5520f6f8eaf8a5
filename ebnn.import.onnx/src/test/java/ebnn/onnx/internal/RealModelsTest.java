package ebnn.onnx.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

import ebnn.api.UnsupportedModelException;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Layout;
import ebnn.api.model.Model;
import ebnn.api.spi.ImportResult;

/** The four real ONNX files of ../shared/models, evaluated as float IR against their published/expected outputs. */
public class RealModelsTest {
    static final OnnxImporter IMPORTER = new OnnxImporter();

    static ImportResult load(String name) {
        return IMPORTER.read(Models.file(name));
    }

    @Test
    public void finnTfcGivesTheFourSampleDigits() throws Exception {
        ImportResult r = load("finn_build_dataflow_tfc_w1a1.onnx");
        r.report().forEach(System.out::println);
        Model m = r.model();
        // Div 255, Mul 2, Sub 1 on raw pixels fold into the input range: byte b is b/255*2-1 as in FINN
        assertEquals(-1, m.input().low(), 1e-12);
        assertEquals(1, m.input().high(), 1e-12);
        assertEquals(784, m.input().shape().size());
        Npy in = Npy.read(Models.file("testdata/finn_build_dataflow_input.npy"));
        Npy want = Npy.read(Models.file("testdata/finn_build_dataflow_expected_output.npy"));
        FloatEvaluator ev = new FloatEvaluator(m);
        int[] got = new int[4];
        for (int s = 0; s < 4; s++) {
            byte[] px = new byte[784];
            for (int i = 0; i < 784; i++)
                px[i] = (byte) (int) in.data()[s * 784 + i];
            got[s] = ev.classify(px);
        }
        int[] expected = new int[4];
        for (int s = 0; s < 4; s++)
            expected[s] = (int) want.data()[s];
        assertArrayEquals(new int[] { 7, 2, 1, 0 }, expected);
        assertArrayEquals(expected, got);
        // every node accounted for: the report names all 30 nodes' ops in its group lines
        String all = String.join("\n", r.report());
        assertTrue(all, all.contains("TopK") && all.contains("dropped as argmax-preserving"));
        assertTrue(all, all.contains("MultiThreshold"));
    }

    @Test
    public void finnTfcAccuracyOnMnistIsThePublishedOne() {
        Model m = load("finn_build_dataflow_tfc_w1a1.onnx").model();
        Dataset d = Idx.load(Models.data().resolve("mnist"), true);
        FloatEvaluator ev = new FloatEvaluator(m);
        int correct = 0;
        for (int i = 0; i < d.count(); i++)
            if (ev.classify(d.sample(i)) == d.label(i))
                correct++;
        double acc = 100.0 * correct / d.count();
        System.out.printf("FINN TFC-w1a1 float IR accuracy on %d MNIST test digits: %.2f %%%n", d.count(), acc);
        assertEquals(10_000, d.count());
        assertEquals(93.17, acc, 0.5);
    }

    @Test
    public void hls4mlTruthTableIsReproduced() throws Exception {
        ImportResult r = load("hls4ml_bnn_model_fc_1layer.onnx");
        r.report().forEach(System.out::println);
        Model m = r.model();
        String json = Files.readString(Models.file("testdata/hls4ml_bnn_fc_1layer_truth_table_numpy.json"));
        Matcher row = Pattern.compile("\\[\\[([-\\d., ]+)\\], \\[([-\\d., ]+)\\]\\]").matcher(json);
        FloatEvaluator ev = new FloatEvaluator(m);
        int rows = 0;
        while (row.find()) {
            double[] x = parse(row.group(1)), y = parse(row.group(2));
            assertArrayEquals("input " + row.group(1), y, ev.scores(x), 1e-9);
            // the device path: -1 -> byte 0, +1 -> byte 255
            byte[] b = new byte[x.length];
            for (int i = 0; i < x.length; i++)
                b[i] = (byte) (x[i] > 0 ? 255 : 0);
            assertArrayEquals("bytes for " + row.group(1), y, ev.scores(b), 1e-9);
            rows++;
        }
        assertEquals(8, rows);
    }

    private static double[] parse(String s) {
        String[] p = s.split(",");
        double[] v = new double[p.length];
        for (int i = 0; i < p.length; i++)
            v[i] = Double.parseDouble(p[i].trim());
        return v;
    }

    @Test
    public void larqGtsrbGivesTheExpectedClasses() throws Exception {
        ImportResult r = load("larq_tf2onnx_gtsrb_bnn_48x48.onnx");
        r.report().forEach(System.out::println);
        Model m = r.model();
        assertEquals(Layout.NHWC, m.input().sourceLayout());
        assertEquals(0, m.input().low(), 0);
        assertEquals(255, m.input().high(), 0);
        assertEquals(43, m.classes());
        String json = Files.readString(Models.file("testdata/tsr_48_expected_classes.json"));
        Matcher e = Pattern.compile("\"input_npy\": \"([^\"]+)\",[^}]*\"expected_class\": (\\d+)").matcher(json);
        FloatEvaluator ev = new FloatEvaluator(m);
        int n = 0;
        while (e.find()) {
            Npy in = Npy.read(Models.file("testdata/" + e.group(1)));
            byte[] chw = nhwcToChwBytes(in.data(), 48, 48, 3);
            assertEquals(e.group(1), Integer.parseInt(e.group(2)), ev.classify(chw));
            n++;
        }
        assertEquals(3, n);
    }

    static byte[] nhwcToChwBytes(double[] nhwc, int h, int w, int c) {
        byte[] out = new byte[h * w * c];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int k = 0; k < c; k++) {
                    double v = nhwc[(y * w + x) * c + k];
                    if (v != Math.rint(v) || v < 0 || v > 255)
                        fail("pixel not a byte: " + v);
                    out[(k * h + y) * w + x] = (byte) (int) v;
                }
        return out;
    }

    @Test
    public void mnist8FloatNetworkIsRefusedNamingTheFirstLayer() {
        try {
            load("mnist-8.onnx");
            fail("a float CNN must be refused");
        } catch (UnsupportedModelException e) {
            System.out.println(e.getMessage());
            assertTrue(e.getMessage(), e.getMessage().contains("Conv") && e.getMessage().contains("not binarized"));
            assertTrue(e.getMessage(), e.getMessage().contains("Convolution28"));
        }
    }

    static List<String> unused() {
        return List.of();
    }
}
