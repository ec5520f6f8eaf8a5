package ebnn.reference.onnx;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

import ai.onnx.proto.OnnxMl.TensorProto;
import ebnn.api.data.Dataset;
import ebnn.api.model.InputRange;
import ebnn.testing.TestData;

/** The interpreter against ONNX Runtime on the shared standard-op files, on the same float inputs. */
public class RealFilesVsOrtTest {
    private final OnnxInterpreter interpreter = new OnnxInterpreter();

    /** CHW bytes to the float input ONNX Runtime takes: {@code scale * byte}, channels last when {@code nhwc}. */
    private static float[] floats(byte[] chw, int count, int c, int h, int w, boolean nhwc, float scale) {
        float[] f = new float[chw.length];
        int size = c * h * w;
        for (int s = 0; s < count; s++)
            for (int k = 0; k < c; k++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        f[s * size + (nhwc ? (y * w + x) * c + k : (k * h + y) * w + x)] = scale * (chw[s * size + (k * h + y) * w + x] & 0xff);
        return f;
    }

    private static int[] argmax(double[] scores, int count) {
        int per = scores.length / count;
        int[] out = new int[count];
        for (int i = 0; i < count; i++)
            for (int c = 1; c < per; c++)
                if (scores[i * per + c] > scores[i * per + out[i]])
                    out[i] = c;
        return out;
    }

    private static void assertClose(String what, double[] want, float[] got, double tol) {
        assertEquals(what + " length", want.length, got.length);
        for (int i = 0; i < want.length; i++)
            assertEquals(what + "[" + i + "]", want[i], got[i], tol * (1 + Math.abs(want[i])));
    }

    @Test
    public void larqGtsrbTestImagesAndRandomInputs() throws Exception {
        Path file = Files.model("larq_tf2onnx_gtsrb_bnn_48x48.onnx");
        byte[] model = java.nio.file.Files.readAllBytes(file);
        String json = java.nio.file.Files.readString(Files.models().resolve("testdata/tsr_48_expected_classes.json"));
        Matcher e = Pattern.compile("\"input_npy\": \"([^\"]+)\",[^}]*\"expected_class\": (\\d+)").matcher(json);
        List<Integer> expected = new ArrayList<>();
        byte[] chw = new byte[3 * 6912];
        int n = 0;
        while (e.find()) {
            Files.Npy in = Files.npy(Files.models().resolve("testdata/" + e.group(1)));
            for (int y = 0; y < 48; y++)
                for (int x = 0; x < 48; x++)
                    for (int k = 0; k < 3; k++)
                        chw[n * 6912 + (k * 48 + y) * 48 + x] = (byte) (int) in.data()[(y * 48 + x) * 3 + k];
            expected.add(Integer.parseInt(e.group(2)));
            n++;
        }
        assertEquals(3, n);
        float[] scores = new float[3 * 43];
        int[] got = interpreter.classify(file, chw, 3, scores, InputBinding.BYTES);
        assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), got);

        int count = 20;
        byte[] random = new byte[count * 6912];
        new Random(7).nextBytes(random);
        double[] want = Ort.run(model, Program.load(file).inputName, floats(random, count, 3, 48, 48, true, 1), new long[] { count, 48, 48, 3 }).values().iterator().next();
        float[] s = new float[count * 43];
        int[] classes = interpreter.classify(file, random, count, s, InputBinding.BYTES);
        assertArrayEquals("classes", argmax(want, count), classes);
        assertClose("Softmax scores", want, s, 1e-4);
    }

    @Test
    public void pytorchFashionModelsOnFashionMnist() throws Exception {
        Dataset d = TestData.fashionMnistTest().head(100);
        for (String f : new String[] { "pytorch_fashion_bnn_pad.onnx", "pytorch_fashion_bnn_valid.onnx" }) {
            Path file = Files.model(f);
            byte[] model = java.nio.file.Files.readAllBytes(file);
            // these were trained on pixel x 255
            double[] want = Ort.run(model, Program.load(file).inputName, floats(d.samples(), d.count(), 1, 28, 28, false, 255),
                    new long[] { d.count(), 784 }).values().iterator().next();
            float[] s = new float[want.length];
            int[] got = interpreter.classify(file, d.samples(), d.count(), s, new InputRange(0, 65025));
            assertArrayEquals(f + " classes", argmax(want, d.count()), got);
            assertClose(f + " LogSoftmax scores", want, s, 1e-4);
        }
    }

    @Test
    public void mnist8WithItsTestData() throws Exception {
        Program p = Program.load(Files.model("mnist-8.onnx"));
        Tensor in = Protos.tensor(TensorProto.parseFrom(java.nio.file.Files.readAllBytes(Files.models().resolve("testdata/mnist-8_input_0.pb"))));
        Tensor want = Protos.tensor(TensorProto.parseFrom(java.nio.file.Files.readAllBytes(Files.models().resolve("testdata/mnist-8_output_0.pb"))));
        Tensor got = p.run(in);
        assertArrayEquals(want.shape, got.shape);
        assertArrayEquals(want.data, got.data, 1e-3);
        byte[] chw = new byte[784];
        for (int i = 0; i < 784; i++)
            chw[i] = (byte) (int) in.data[i];
        assertEquals(2, interpreter.classify(Files.model("mnist-8.onnx"), chw, 1, null, InputBinding.BYTES)[0]);
    }
}
