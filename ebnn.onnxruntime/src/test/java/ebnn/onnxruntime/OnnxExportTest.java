package ebnn.onnxruntime;

import ebnn.onnx.internal.Npy;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Model;
import ebnn.api.spi.ModelWriter;
import ebnn.onnx.OnnxImport;

/** ebnn:export FILE.onnx: the written standard-op file runs in ONNX Runtime with the same predictions. */
public class OnnxExportTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final OrtReference ort = new OrtReference();

    private ModelWriter writer() {
        return new ebnn.onnx.internal.OnnxWriter();
    }

    @Test
    public void finnTfcExportedRunsInOnnxRuntimeWithTheSamePredictionsOnMnist() throws Exception {
        Model m = OnnxImport.read(Fixtures.models().resolve("finn_build_dataflow_tfc_w1a1.onnx")).result().model();
        Path out = tmp.getRoot().toPath().resolve("tfc.onnx");
        writer().write(m, out);
        Dataset d = Idx.load(Fixtures.data().resolve("mnist"), true);
        int[] byOrt = ort.classify(out, d.samples(), d.count(), null);
        int[] byJvm = Fixtures.jvm(m).classifyBatch(d.samples(), d.count(), null);
        FloatEvaluator ev = new FloatEvaluator(m);
        int agreeJvm = 0, agreeFloat = 0, correct = 0;
        for (int i = 0; i < d.count(); i++) {
            agreeJvm += byOrt[i] == byJvm[i] ? 1 : 0;
            agreeFloat += byOrt[i] == ev.classify(d.sample(i)) ? 1 : 0;
            correct += byOrt[i] == d.label(i) ? 1 : 0;
        }
        System.out.printf("FINN TFC exported to ONNX, in ONNX Runtime: accuracy %.2f %%, agrees with JVM runtime on %d and float IR on %d of %d%n",
                100.0 * correct / d.count(), agreeJvm, agreeFloat, d.count());
        assertEquals(d.count(), agreeJvm);
        assertEquals(d.count(), agreeFloat);
        // and the exported file imports again to the same network once the standard clean-ups have run
        // (the writer spells a sign as Sign/Add/Sign, which the importer reads back as sign, affine, sign)
        var again = OnnxImport.read(out);
        assertEquals(ebnn.core.passes.Passes.apply(m).layers().stream().map(l -> l.kind()).toList(),
                ebnn.core.passes.Passes.apply(again.result().model()).layers().stream().map(l -> l.kind()).toList());
        assertEquals(m.input().low(), again.result().model().input().low(), 0);
        assertEquals(m.input().high(), again.result().model().input().high(), 0);
    }

    @Test
    public void larqExportedMatchesTheOriginalFileInOnnxRuntime() throws Exception {
        Path file = Fixtures.models().resolve("larq_tf2onnx_gtsrb_bnn_48x48.onnx");
        Model m = OnnxImport.read(file).result().model();
        Path out = tmp.getRoot().toPath().resolve("gtsrb.onnx");
        writer().write(m, out);
        int count = 200, size = m.input().shape().size();
        byte[] chw = Fixtures.random(count, size, 7);
        int[] original = ort.classify(file, chw, count, null);
        int[] exported = ort.classify(out, chw, count, null);
        assertArrayEquals(original, exported);
        String json = Files.readString(Fixtures.models().resolve("testdata/tsr_48_expected_classes.json"));
        Matcher e = Pattern.compile("\"input_npy\": \"([^\"]+)\",[^}]*\"expected_class\": (\\d+)").matcher(json);
        while (e.find()) {
            Npy in = Npy.read(Fixtures.models().resolve("testdata/" + e.group(1)));
            assertEquals(Integer.parseInt(e.group(2)), ort.classify(out, Fixtures.nhwcToChw(in.data(), 48, 48, 3), 1, null)[0]);
        }
    }

    @Test
    public void hls4mlExportedReproducesTheTruthTableInOnnxRuntime() throws Exception {
        Model m = OnnxImport.read(Fixtures.models().resolve("hls4ml_bnn_model_fc_1layer.onnx")).result().model();
        Path out = tmp.getRoot().toPath().resolve("fc1.onnx");
        writer().write(m, out);
        String json = Files.readString(Fixtures.models().resolve("testdata/hls4ml_bnn_fc_1layer_truth_table_numpy.json"));
        Matcher row = Pattern.compile("\\[\\[([-\\d., ]+)\\], \\[([-\\d., ]+)\\]\\]").matcher(json);
        int rows = 0;
        while (row.find()) {
            String[] x = row.group(1).split(","), y = row.group(2).split(",");
            byte[] b = new byte[x.length];
            for (int i = 0; i < x.length; i++)
                b[i] = (byte) (Double.parseDouble(x[i].trim()) > 0 ? 255 : 0);
            float[] scores = new float[y.length];
            ort.classify(out, b, 1, scores);
            for (int i = 0; i < y.length; i++)
                assertEquals("input " + row.group(1), Double.parseDouble(y[i].trim()), scores[i], 0);
            rows++;
        }
        assertEquals(8, rows);
        assertTrue(Files.size(out) > 0);
    }
}
