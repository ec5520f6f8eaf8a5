package ebnn.onnxruntime;

import ebnn.onnx.internal.G;
import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ai.onnx.proto.OnnxMl.TensorProto;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Model;
import ebnn.onnx.OnnxImport;

/**
 * Other exports than the four real files: synthetic standard-op BNNs written the ways PyTorch,
 * tf2onnx and Brevitas-to-standard-ONNX write them (NCHW with pads and a dynamic-batch flatten
 * computed by Shape/Gather/Unsqueeze/Concat, NHWC with Transpose pairs and per-channel Mul/Add,
 * Pad nodes, a float64 scalar, Gemm transB, ArgMax/Softmax heads, negative γ). Each is run in ONNX
 * Runtime and compared with the imported model (float IR and lowered in the JVM runtime).
 */
public class GeneralityTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final OrtReference ort = new OrtReference();

    private static double[] pm(Random r, int n, double alpha) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++)
            v[i] = r.nextBoolean() ? alpha : -alpha;
        return v;
    }

    private static double[] uniform(Random r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++)
            v[i] = lo + (hi - lo) * r.nextDouble();
        return v;
    }

    private static void bn(G g, Random r, String p, int c, double meanSpread) {
        double[] gamma = uniform(r, c, 0.5, 2);
        for (int i = 0; i < c; i += 3)
            gamma[i] = -gamma[i]; // negative γ flips the comparison in the thresholds
        g.init(p + "g", new long[] { c }, gamma).init(p + "b", new long[] { c }, uniform(r, c, -0.5, 0.5))
                .init(p + "m", new long[] { c }, uniform(r, c, -meanSpread, meanSpread)).init(p + "v", new long[] { c }, uniform(r, c, 0.5, 2));
    }

    /** PyTorch-style: NCHW, dynamic batch, Div 255, padded conv, BN, plain Sign, MaxPool, dynamic flatten, Gemm transB, Mul + Softmax tail. */
    static G pytorchStyle(long seed) {
        Random r = new Random(seed);
        G g = new G();
        g.input("x", "batch", 1, 12, 12).output("prob", "batch", 10);
        g.init("c255", new long[0], 255).init("W1", new long[] { 8, 1, 3, 3 }, pm(r, 72, 1));
        bn(g, r, "bn1", 8, 1);
        g.init("W2", new long[] { 16, 8, 3, 3 }, pm(r, 16 * 72, 0.5)).init("B2", new long[] { 16 }, uniform(r, 16, -1, 1));
        bn(g, r, "bn2", 16, 3);
        g.init("W3", new long[] { 10, 256 }, pm(r, 2560, 0.25)).init("C3", new long[] { 10 }, uniform(r, 10, -1, 1));
        g.init("three", new long[0], 3).initLongs("zero", 0).initLongs("minus1", -1);
        g.add(g.node("Div", "scale", new String[] { "x", "c255" }, "x1"));
        g.add(g.node("Conv", "conv1", new String[] { "x1", "W1" }, "c1").addAttribute(G.ints("pads", 1, 1, 1, 1))
                .addAttribute(G.ints("kernel_shape", 3, 3)));
        g.add(g.node("BatchNormalization", "bn1", new String[] { "c1", "bn1g", "bn1b", "bn1m", "bn1v" }, "n1"));
        g.add(g.node("Sign", "sign1", new String[] { "n1" }, "s1"));
        g.add(g.node("MaxPool", "pool1", new String[] { "s1" }, "p1").addAttribute(G.ints("kernel_shape", 2, 2)).addAttribute(G.ints("strides", 2, 2)));
        g.add(g.node("Conv", "conv2", new String[] { "p1", "W2", "B2" }, "c2"));
        g.add(g.node("BatchNormalization", "bn2", new String[] { "c2", "bn2g", "bn2b", "bn2m", "bn2v" }, "n2"));
        g.add(g.node("Sign", "sign2", new String[] { "n2" }, "s2"));
        g.add(g.node("Shape", "shape", new String[] { "s2" }, "sh"));
        g.add(g.node("Gather", "gather", new String[] { "sh", "zero" }, "bsz"));
        g.add(g.node("Concat", "concat", new String[] { "bsz", "minus1" }, "newshape").addAttribute(G.i("axis", 0)));
        g.add(g.node("Reshape", "flatten", new String[] { "s2", "newshape" }, "f"));
        g.add(g.node("Gemm", "fc", new String[] { "f", "W3", "C3" }, "y").addAttribute(G.i("transB", 1)));
        g.add(g.node("Mul", "temperature", new String[] { "y", "three" }, "y3"));
        g.add(g.node("Softmax", "softmax", new String[] { "y3" }, "prob").addAttribute(G.i("axis", 1)));
        return g;
    }

    /** tf2onnx-style: NHWC input, Transpose pairs around conv and pool, BN as per-channel Mul/Add on NHWC, Larq sign, NHWC flatten, ArgMax. */
    static G tfStyle(long seed) {
        Random r = new Random(seed);
        G g = new G();
        g.input("img", "n", 10, 10, 3);
        g.g.addOutput(G.value("cls", 7, "n"));
        g.init("W", new long[] { 6, 3, 3, 3 }, pm(r, 162, 1));
        double[] scale = uniform(r, 6, 0.002, 0.02);
        scale[1] = -scale[1];
        scale[4] = -scale[4];
        g.init("scale", new long[] { 6 }, scale).init("shift", new long[] { 6 }, uniform(r, 6, -3, 3)).init("tie", new long[0], 0.1);
        g.init("Wd", new long[] { 96, 5 }, pm(r, 480, 1)).initLongs("flat", -1, 96);
        g.add(g.node("Transpose", "to_nchw", new String[] { "img" }, "t0").addAttribute(G.ints("perm", 0, 3, 1, 2)));
        g.add(g.node("Conv", "conv", new String[] { "t0", "W" }, "c").addAttribute(G.ints("strides", 1, 1)));
        g.add(g.node("Transpose", "to_nhwc", new String[] { "c" }, "t1").addAttribute(G.ints("perm", 0, 2, 3, 1)));
        g.add(g.node("Mul", "bn_mul", new String[] { "t1", "scale" }, "m"));
        g.add(g.node("Add", "bn_add", new String[] { "m", "shift" }, "a"));
        g.add(g.node("Sign", "ste_sign", new String[] { "a" }, "s"));
        g.add(g.node("Add", "ste_add", new String[] { "s", "tie" }, "s01"));
        g.add(g.node("Sign", "ste_sign_1", new String[] { "s01" }, "s1"));
        g.add(g.node("Transpose", "to_nchw2", new String[] { "s1" }, "t2").addAttribute(G.ints("perm", 0, 3, 1, 2)));
        g.add(g.node("MaxPool", "pool", new String[] { "t2" }, "p").addAttribute(G.ints("kernel_shape", 2, 2)).addAttribute(G.ints("strides", 2, 2)));
        g.add(g.node("Transpose", "to_nhwc2", new String[] { "p" }, "t3").addAttribute(G.ints("perm", 0, 2, 3, 1)));
        g.add(g.node("Reshape", "flatten", new String[] { "t3", "flat" }, "f"));
        g.add(g.node("MatMul", "dense", new String[] { "f", "Wd" }, "logits"));
        g.add(g.node("ArgMax", "argmax", new String[] { "logits" }, "cls").addAttribute(G.i("axis", 1)).addAttribute(G.i("keepdims", 0)));
        return g;
    }

    /** Input mapped to -1..1 by a float64 scalar (Cast to float), an explicit Pad before the conv, Flatten, MatMul + Add. */
    static G paddedStyle(long seed) {
        Random r = new Random(seed);
        G g = new G();
        g.input("x", 1, 2, 8, 8).output("y", 1, 3);
        g.initDouble("s64", 1 / 127.5).init("one", new long[0], 1).initLongs("pads", 0, 0, 1, 1, 0, 0, 1, 1);
        g.init("W", new long[] { 4, 2, 3, 3 }, pm(r, 72, 0.7));
        bn(g, r, "bn", 4, 2);
        g.init("Wd", new long[] { 256, 3 }, pm(r, 768, 1)).init("bd", new long[] { 3 }, uniform(r, 3, -2, 2));
        g.add(g.node("Cast", "cast", new String[] { "s64" }, "s32").addAttribute(G.i("to", 1)));
        g.add(g.node("Mul", "mul", new String[] { "x", "s32" }, "x1"));
        g.add(g.node("Sub", "sub", new String[] { "x1", "one" }, "x2"));
        g.add(g.node("Pad", "pad", new String[] { "x2", "pads" }, "xp"));
        g.add(g.node("Conv", "conv", new String[] { "xp", "W" }, "c"));
        g.add(g.node("BatchNormalization", "bn", new String[] { "c", "bng", "bnb", "bnm", "bnv" }, "n").addAttribute(G.f("epsilon", 1e-3f)));
        g.add(g.node("Sign", "sign", new String[] { "n" }, "s"));
        g.add(g.node("Flatten", "flat", new String[] { "s" }, "f"));
        g.add(g.node("MatMul", "fc", new String[] { "f", "Wd" }, "z"));
        g.add(g.node("Add", "bias", new String[] { "z", "bd" }, "y"));
        return g;
    }

    /** Brevitas-style MLP in standard ops: Div 255, Mul 2 / Sub 1 input mapping, ±α weights, BN, a TensorNorm per-channel affine tail. */
    static G brevitasStyle(long seed) {
        Random r = new Random(seed);
        G g = new G();
        g.input("inp", "N", 1, 8, 8).output("out", "N", 10);
        g.init("d255", new long[0], 255).init("two", new long[0], 2).init("one", new long[0], 1).initLongs("flat", 0, -1);
        g.init("W1", new long[] { 64, 32 }, pm(r, 64 * 32, 0.125));
        bn(g, r, "bn", 32, 2);
        g.init("W2", new long[] { 32, 10 }, pm(r, 320, 1)).init("tn_w", new long[] { 10 }, uniform(r, 10, 0.2, 3))
                .init("tn_b", new long[] { 10 }, uniform(r, 10, -4, 4));
        g.add(g.node("Div", "div", new String[] { "inp", "d255" }, "a"));
        g.add(g.node("Mul", "mul2", new String[] { "a", "two" }, "b"));
        g.add(g.node("Sub", "sub1", new String[] { "b", "one" }, "c"));
        g.add(g.node("Reshape", "flat", new String[] { "c", "flat" }, "f"));
        g.add(g.node("Sign", "qin", new String[] { "f" }, "s0"));
        g.add(g.node("MatMul", "fc1", new String[] { "s0", "W1" }, "h"));
        g.add(g.node("BatchNormalization", "bn", new String[] { "h", "bng", "bnb", "bnm", "bnv" }, "hn"));
        g.add(g.node("Sign", "q1", new String[] { "hn" }, "s1"));
        g.add(g.node("MatMul", "fc2", new String[] { "s1", "W2" }, "z"));
        g.add(g.node("Mul", "tensornorm_mul", new String[] { "z", "tn_w" }, "zm"));
        g.add(g.node("Add", "tensornorm_add", new String[] { "zm", "tn_b" }, "out"));
        return g;
    }

    @Test
    public void brevitasStyleMlpWithTensorNormTail() throws Exception {
        for (long seed = 1; seed <= 3; seed++)
            check("brevitas" + seed, brevitasStyle(seed), 300);
    }

    private void check(String what, G g, int samples) throws Exception {
        Path file = tmp.getRoot().toPath().resolve(what + ".onnx");
        Files.write(file, g.bytes());
        OnnxImport imp = OnnxImport.read(file);
        imp.result().report().forEach(l -> System.out.println(what + ": " + l));
        Model m = imp.result().model();
        int size = m.input().shape().size();
        byte[] chw = Fixtures.random(samples, size, what.hashCode());
        int[] byOrt = ort.classify(file, chw, samples, null);
        int[] byJvm = Fixtures.jvm(m).classifyBatch(Fixtures.hwc(chw, samples, m.input().shape()), samples, null);
        FloatEvaluator ev = new FloatEvaluator(m);
        int agreeJvm = 0, agreeFloat = 0;
        for (int i = 0; i < samples; i++) {
            byte[] one = java.util.Arrays.copyOfRange(chw, i * size, (i + 1) * size);
            agreeFloat += byOrt[i] == ev.classify(one) ? 1 : 0;
            agreeJvm += byOrt[i] == byJvm[i] ? 1 : 0;
        }
        System.out.printf("%s: ONNX Runtime agrees with the float IR on %d and the JVM runtime on %d of %d%n", what, agreeFloat, agreeJvm, samples);
        assertEquals(what + " float IR vs ONNX Runtime", samples, agreeFloat);
        assertEquals(what + " JVM runtime vs ONNX Runtime", samples, agreeJvm);
    }

    @Test
    public void pytorchStyleNchwWithDynamicFlatten() throws Exception {
        for (long seed = 1; seed <= 3; seed++)
            check("pytorch" + seed, pytorchStyle(seed), 300);
    }

    @Test
    public void tfStyleNhwcWithTransposePairs() throws Exception {
        for (long seed = 1; seed <= 3; seed++)
            check("tf" + seed, tfStyle(seed), 300);
    }

    @Test
    public void paddedWithFloat64ScalarAndFlatten() throws Exception {
        for (long seed = 1; seed <= 3; seed++)
            check("padded" + seed, paddedStyle(seed), 300);
    }

    static TensorProto unused() {
        return null;
    }
}
