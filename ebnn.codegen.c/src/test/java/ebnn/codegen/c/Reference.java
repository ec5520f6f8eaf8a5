package ebnn.codegen.c;

import static org.junit.Assert.assertEquals;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.core.lower.Lowering;
import ebnn.runtime.java.JvmEngine;
import ebnn.testing.PaperModels;
import ebnn.testing.TestData;

/**
 * The JVM runtime's answers (the reference every back end must equal) and the test data, loaded once
 * per JVM. Shared with ebnn.codegen.arm-cmsis's tests through this module's test jar.
 */
public final class Reference {
    private Reference() {
    }

    private static Dataset mnist;
    private static final Map<String, BinaryModel> PAPER = new ConcurrentHashMap<>();

    public static synchronized Dataset mnist() {
        if (mnist == null)
            mnist = TestData.mnistTest();
        return mnist;
    }

    /**
     * The paper-shaped models with random weights, lowered by ebnn.core: mlp-128, convpool-16, tfc
     * (fixed seeds), bmlp-128; and a trained one: finn-tfc, FINN's TFC-w1a1 (../shared/models).
     */
    public static BinaryModel paper(String name) {
        return PAPER.computeIfAbsent(name, n -> Lowering.lower(switch (n) {
        case "mlp-128" -> PaperModels.mlp128(1);
        case "convpool-16" -> PaperModels.convPool16(2);
        case "tfc" -> PaperModels.tfc(3);
        case "bmlp-128" -> binaryInputMlp128(4);
        case "finn-tfc" -> new ebnn.onnx.internal.OnnxImporter().read(TestData.model("finn_build_dataflow_tfc_w1a1.onnx")).model();
        default -> throw new IllegalArgumentException(n);
        }));
    }

    /**
     * The speed target shape: a 784-128-10 MLP whose input is binarized too (pixel >= 0.5,
     * as FINN's TFC does it), so every layer is XNOR-popcount: "bmlp-128".
     */
    public static ebnn.api.model.Model binaryInputMlp128(long seed) {
        java.util.Random r = new java.util.Random(seed);
        java.util.List<ebnn.api.model.Layer> l = new java.util.ArrayList<>();
        l.add(new ebnn.api.model.Affine("input_scale", 1, ebnn.api.model.Params.of(2), ebnn.api.model.Params.of(-1)));
        l.add(new ebnn.api.model.Sign("input_sign"));
        l.add(new ebnn.api.model.Flatten("flatten"));
        l.add(new ebnn.api.model.Dense("fc1", 784, 128, pm(r, 784 * 128), ebnn.api.model.Params.empty()));
        double[] g = new double[128], b = new double[128], m = new double[128], v = new double[128];
        for (int c = 0; c < 128; c++) {
            g[c] = (r.nextInt(5) == 0 ? -1 : 1) * (0.5 + r.nextDouble());
            b[c] = 0.1 * r.nextGaussian();
            m[c] = 14 * r.nextGaussian();
            v[c] = 784 * (0.5 + r.nextDouble());
        }
        l.add(new ebnn.api.model.BatchNorm("bn1", 128, ebnn.api.model.Params.of(g), ebnn.api.model.Params.of(b), ebnn.api.model.Params.of(m),
                ebnn.api.model.Params.of(v), 1e-5));
        l.add(new ebnn.api.model.Sign("sign1"));
        l.add(new ebnn.api.model.Dense("fc2", 128, 10, pm(r, 128 * 10), ebnn.api.model.Params.empty()));
        return new ebnn.api.model.Model("bmlp-128", new ebnn.api.model.InputSpec(PaperModels.MNIST, ebnn.api.model.Layout.NCHW, 0, 1), l,
                java.util.List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
    }

    private static ebnn.api.model.Params pm(java.util.Random r, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++)
            w[i] = r.nextBoolean() ? 1 : -1;
        return ebnn.api.model.Params.of(w);
    }

    /**
     * The paper-table models written by {@code ebnn:train}: examples/models, or the folder given by
     * -Debnn.docs.models (bench/run passes the models it has just trained), sorted by file name.
     */
    public static java.util.List<java.nio.file.Path> trainedModels() {
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("ebnn.docs.models", "../examples/models"));
        org.junit.Assert.assertTrue("the paper-table models (examples/models, written by ebnn:train): " + dir.toAbsolutePath(),
                java.nio.file.Files.isDirectory(dir));
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(dir)) {
            java.util.List<java.nio.file.Path> files = s.filter(f -> f.getFileName().toString().endsWith(".ebnn")).sorted().toList();
            org.junit.Assert.assertTrue("at least one model in " + dir, !files.isEmpty());
            return files;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A model file's name without ".ebnn" (the name the device tables give its rows). */
    public static String trainedName(java.nio.file.Path file) {
        return file.getFileName().toString().replaceFirst("\\.ebnn$", "");
    }

    private static final Map<java.nio.file.Path, BinaryModel> TRAINED = new ConcurrentHashMap<>();

    /** A trained model file, lowered by ebnn.core, read once per JVM. */
    public static BinaryModel trained(java.nio.file.Path file) {
        return TRAINED.computeIfAbsent(file.toAbsolutePath().normalize(), f -> Lowering.lower(ebnn.core.format.EbnnFormat.read(f)));
    }

    public record Answers(int[] classes, int[] scores) {
    }

    public static Answers jvm(BinaryModel m, byte[] samples) {
        int n = samples.length / m.inputSize();
        int[] scores = new int[n * m.classes()];
        int[] classes = new JvmEngine().load(m).classifyBatch(samples, n, scores);
        return new Answers(classes, scores);
    }

    static void assertSame(String what, BinaryModel m, Answers expected, Built.Outputs actual) {
        assertSame(what, m, expected, actual.classes(), actual.scores());
    }

    /** Asserts classes and scores equal, naming the first sample that differs. */
    public static void assertSame(String what, BinaryModel m, Answers expected, int[] classes, int[] scores) {
        int k = m.classes();
        assertEquals(what + ": number of samples", expected.classes().length, classes.length);
        for (int i = 0; i < expected.classes().length; i++) {
            for (int c = 0; c < k; c++)
                assertEquals(what + ": sample " + i + " score " + c, expected.scores()[i * k + c], scores[i * k + c]);
            assertEquals(what + ": sample " + i + " class", expected.classes()[i], classes[i]);
        }
    }
}
