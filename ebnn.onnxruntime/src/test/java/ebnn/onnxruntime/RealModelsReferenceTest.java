package ebnn.onnxruntime;

import ebnn.onnx.internal.Npy;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

import ebnn.api.UnsupportedModelException;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Model;
import ebnn.api.spi.CompiledModel;
import ebnn.onnx.OnnxImport;

/**
 * The acceptance on the real files: ONNX Runtime (the original file) against the imported model
 * lowered to integers and run by the JVM runtime, and the lowered model against the float IR.
 */
public class RealModelsReferenceTest {
    private final OrtReference ort = new OrtReference();

    @Test
    public void larqSampleImagesInOnnxRuntimeAndJvmRuntime() throws Exception {
        Path file = Fixtures.models().resolve("larq_tf2onnx_gtsrb_bnn_48x48.onnx");
        Model m = OnnxImport.read(file).result().model();
        String json = Files.readString(Fixtures.models().resolve("testdata/tsr_48_expected_classes.json"));
        Matcher e = Pattern.compile("\"input_npy\": \"([^\"]+)\",[^}]*\"expected_class\": (\\d+)").matcher(json);
        List<Integer> expected = new ArrayList<>();
        byte[] chw = new byte[3 * m.input().shape().size()];
        int n = 0;
        while (e.find()) {
            Npy in = Npy.read(Fixtures.models().resolve("testdata/" + e.group(1)));
            System.arraycopy(Fixtures.nhwcToChw(in.data(), 48, 48, 3), 0, chw, n * 6912, 6912);
            expected.add(Integer.parseInt(e.group(2)));
            n++;
        }
        assertEquals(3, n);
        int[] want = expected.stream().mapToInt(Integer::intValue).toArray();
        int[] byOrt = ort.classify(file, chw, 3, null);
        assertArrayEquals("ONNX Runtime on the original file", want, byOrt);
        CompiledModel cm = Fixtures.jvm(m);
        int[] byJvm = cm.classifyBatch(Fixtures.hwc(chw, 3, m.input().shape()), 3, null);
        assertArrayEquals("JVM runtime on the imported, lowered model", want, byJvm);
    }

    @Test
    public void larqOnnxRuntimeAndJvmRuntimeAgreeOnRandomInputs() {
        Path file = Fixtures.models().resolve("larq_tf2onnx_gtsrb_bnn_48x48.onnx");
        Model m = OnnxImport.read(file).result().model();
        int count = 1000, size = m.input().shape().size();
        byte[] chw = Fixtures.random(count, size, 20261122L);
        int[] byOrt = ort.classify(file, chw, count, null);
        int[] byJvm = Fixtures.jvm(m).classifyBatch(Fixtures.hwc(chw, count, m.input().shape()), count, null);
        int agree = 0;
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < count; i++)
            if (byOrt[i] == byJvm[i])
                agree++;
            else if (diffs.size() < 5)
                diffs.add("sample " + i + ": ORT " + byOrt[i] + ", JVM " + byJvm[i]);
        System.out.printf("Larq GTSRB: ONNX Runtime vs JVM runtime agree on %d of %d random inputs %s%n", agree, count, diffs);
        assertEquals("disagreements: " + diffs, count, agree);
    }

    @Test
    public void finnTfcLoweredOnFullMnist() {
        Model m = OnnxImport.read(Fixtures.models().resolve("finn_build_dataflow_tfc_w1a1.onnx")).result().model();
        Dataset d = Idx.load(Fixtures.data().resolve("mnist"), true);
        CompiledModel cm = Fixtures.jvm(m);
        int[] jvm = cm.classifyBatch(d.samples(), d.count(), null);
        FloatEvaluator ev = new FloatEvaluator(m);
        int correct = 0, agree = 0;
        for (int i = 0; i < d.count(); i++) {
            if (jvm[i] == d.label(i))
                correct++;
            if (jvm[i] == ev.classify(d.sample(i)))
                agree++;
        }
        double acc = 100.0 * correct / d.count();
        System.out.printf("FINN TFC-w1a1 lowered, JVM runtime: accuracy %.2f %% on %d digits; agrees with the float IR on %d%n", acc,
                d.count(), agree);
        assertEquals(10_000, d.count());
        assertEquals(93.17, acc, 0.5);
        assertEquals(d.count(), agree);
        // the 4 sample digits of the FINN test data
        assertArrayEquals(new int[] { 7, 2, 1, 0 }, java.util.Arrays.copyOf(jvm, 4));
    }

    @Test
    public void customOpFileIsRefusedByOnnxRuntimeWithAClearMessage() {
        try {
            ort.classify(Fixtures.models().resolve("finn_build_dataflow_tfc_w1a1.onnx"), new byte[784], 1, null);
            fail("ONNX Runtime cannot run FINN's MultiThreshold");
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("ONNX Runtime cannot load"));
        }
    }

    @Test
    public void mnist8InOnnxRuntimeGivesTheZooOutput() throws Exception {
        // the reference itself is checked: the model zoo's input and expected logits (argmax 2)
        var in = ai.onnx.proto.OnnxMl.TensorProto.parseFrom(Files.readAllBytes(Fixtures.models().resolve("testdata/mnist-8_input_0.pb")));
        java.nio.FloatBuffer fb = in.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        byte[] px = new byte[784];
        for (int i = 0; i < 784; i++)
            px[i] = (byte) Math.round(fb.get(i));
        float[] scores = new float[10];
        // mnist-8 is not importable (float CNN), so feed ORT directly through a raw session
        var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (var s = env.createSession(Fixtures.models().resolve("mnist-8.onnx").toString());
                var t = ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(toFloats(px)), new long[] { 1, 1, 28, 28 });
                var r = s.run(java.util.Map.of(s.getInputNames().iterator().next(), t))) {
            ((ai.onnxruntime.OnnxTensor) r.get(0)).getFloatBuffer().get(scores);
        }
        assertEquals(2, FloatEvaluator.argmax(toDoubles(scores)));
    }

    private static float[] toFloats(byte[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++)
            f[i] = b[i] & 0xff;
        return f;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++)
            d[i] = f[i];
        return d;
    }
}
