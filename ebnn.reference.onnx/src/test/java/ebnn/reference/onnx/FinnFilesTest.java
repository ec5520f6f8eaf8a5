package ebnn.reference.onnx;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

import ebnn.api.data.Dataset;
import ebnn.api.model.InputRange;
import ebnn.testing.TestData;

/**
 * The interpreter on the FINN and QONNX files that ONNX Runtime cannot load, against their published
 * test data, and the four published forms of TFC-w1a1 on the full MNIST test set.
 */
public class FinnFilesTest {
    private final OnnxInterpreter interpreter = new OnnxInterpreter();

    @Test
    public void finnBuildDataflowGivesItsTestdataClasses() throws Exception {
        Path file = Files.model("finn_build_dataflow_tfc_w1a1.onnx");
        Files.Npy in = Files.npy(Files.models().resolve("testdata/finn_build_dataflow_input.npy"));
        Files.Npy want = Files.npy(Files.models().resolve("testdata/finn_build_dataflow_expected_output.npy"));
        assertArrayEquals(new int[] { 4, 1, 28, 28 }, in.shape());
        byte[] chw = new byte[in.data().length];
        for (int i = 0; i < chw.length; i++) {
            double v = in.data()[i];
            assertTrue("pixel values are bytes", v >= 0 && v <= 255 && v == Math.rint(v));
            chw[i] = (byte) (int) v;
        }
        int[] classes = interpreter.classify(file, chw, 4, null);
        assertArrayEquals(new int[] { 7, 2, 1, 0 }, classes);
        for (int i = 0; i < 4; i++)
            assertEquals(want.data()[i], classes[i], 0);
    }

    /** The hls4ml BipolarQuant + Quant(4-bit bias) + Gemm model: every one of its 8 inputs in {-1,+1}^3 gives the published output. */
    @Test
    public void hls4mlTruthTable() throws Exception {
        Program p = Program.load(Files.model("hls4ml_bnn_model_fc_1layer.onnx"));
        String json = java.nio.file.Files.readString(Files.models().resolve("testdata/hls4ml_bnn_fc_1layer_truth_table_numpy.json"));
        Matcher rows = Pattern.compile("\\[\\s*\\[([^\\[\\]]*)\\]\\s*,\\s*\\[([^\\[\\]]*)\\]\\s*\\]").matcher(json);
        int n = 0;
        while (rows.find()) {
            double[] x = numbers(rows.group(1)), y = numbers(rows.group(2));
            if (x.length != 3)
                continue;
            Tensor out = p.run(Tensor.of(Tensor.FLOAT, new int[] { 1, 3 }, x));
            assertArrayEquals("input " + java.util.Arrays.toString(x), y, out.data, 1e-6);
            n++;
        }
        assertEquals("rows of the truth table in " + json.substring(0, Math.min(200, json.length())), 8, n);
    }

    private static double[] numbers(String s) {
        return java.util.Arrays.stream(s.split(",")).map(String::trim).filter(t -> !t.isEmpty()).mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    public void inputRangesTheFilesDeclare() {
        InputRange bytes = InputBinding.BYTES;
        assertEquals(Optional.of(bytes), interpreter.declaredInputRange(Files.model("finn_fork_tfc_w1a1_pre_post.onnx")));
        assertEquals(Optional.of(bytes), interpreter.declaredInputRange(Files.model("finn_build_dataflow_tfc_w1a1.onnx")));
        assertEquals(Optional.of(bytes), interpreter.declaredInputRange(Files.model("finn_fork_tfc_w1a1_with_preproc.onnx")));
        assertEquals(Optional.of(bytes), interpreter.declaredInputRange(Files.model("finn_fork_tfc_w1a1_pre_post.onnx")));
        // the tidy form takes pixel/255 without saying so; the others take what their trainers fed them
        for (String f : new String[] { "finn_fork_tfc_w1a1_tidy.onnx", "hls4ml_bnn_model_fc_1layer.onnx", "larq_tf2onnx_gtsrb_bnn_48x48.onnx",
                "pytorch_fashion_bnn_pad.onnx", "mnist-8.onnx" })
            assertEquals(f, Optional.empty(), interpreter.declaredInputRange(Files.model(f)));
    }

    /** A model range maps back through the scaling the file applies to its input before anything else. */
    @Test
    public void graphRangeOfAModelRange() {
        Program tidy = Program.load(Files.model("finn_fork_tfc_w1a1_tidy.onnx")); // Reshape, Mul 2, Sub 1, MultiThreshold
        assertEquals(new InputRange(0, 255), InputBinding.graphRange(tidy, new InputRange(-1, 509)));
        assertEquals(new InputRange(0, 1), InputBinding.graphRange(tidy, new InputRange(-1, 1)));
        Program pre = Program.load(Files.model("finn_fork_tfc_w1a1_with_preproc.onnx")); // Div 255 first
        InputRange r = InputBinding.graphRange(pre, new InputRange(-1, 1));
        assertEquals(0, r.low(), 1e-9);
        assertEquals(255, r.high(), 1e-4);
        // the input goes straight into a custom op, or into a Conv after a Reshape: no scaling
        for (String f : new String[] { "hls4ml_bnn_model_fc_1layer.onnx", "pytorch_fashion_bnn_pad.onnx" })
            assertEquals(f, new InputRange(-3, 5), InputBinding.graphRange(Program.load(Files.model(f)), new InputRange(-3, 5)));
    }

    @Test
    public void fourFormsOfTfcGiveTheSameMnistPredictions() {
        Dataset d = TestData.mnistTest();
        assertEquals(10_000, d.count());
        String[] forms = { "finn_build_dataflow_tfc_w1a1.onnx", "finn_fork_tfc_w1a1_tidy.onnx", "finn_fork_tfc_w1a1_with_preproc.onnx",
                "finn_fork_tfc_w1a1_pre_post.onnx" };
        int[] first = null;
        for (String f : forms) {
            // the tidy form takes pixels / 255, which its Mul 2, Sub 1 make -1..1 for the first layer; the others take raw
            // pixels, which they declare (the model range is then unused)
            long t0 = System.nanoTime();
            int[] got = interpreter.classify(Files.model(f), d.samples(), d.count(), null, new InputRange(-1, 1));
            double secs = (System.nanoTime() - t0) / 1e9;
            int correct = 0;
            for (int i = 0; i < d.count(); i++)
                correct += got[i] == d.label(i) ? 1 : 0;
            System.out.printf(java.util.Locale.ROOT, "%s: %.2f %% on MNIST, %.0f samples/s%n", f, correct / 100.0, d.count() / secs);
            assertEquals(f + " accuracy", 9296, correct);
            if (first == null)
                first = got;
            else
                assertArrayEquals(f + " predictions", first, got);
        }
    }
}
