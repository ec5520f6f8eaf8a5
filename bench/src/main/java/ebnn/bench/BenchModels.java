package ebnn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.model.Model;
import ebnn.api.model.Shape;
import ebnn.core.lower.Lowering;
import ebnn.onnx.OnnxImport;
import ebnn.onnx.OnnxInput;
import ebnn.onnx.internal.OnnxWriter;

/**
 * The three benchmark models, each as the float IR, its lowered integer model (what the jvm back
 * end runs) and an ONNX file that ONNX Runtime runs, plus inputs in both layouts.
 * <ul>
 * <li>tfc: FINN's TFC-w1a1 imported from its ONNX file (custom ops ORT cannot run), written back as
 * standard-op ONNX by ebnn's ModelWriter so ORT runs the same network; MNIST test digits;</li>
 * <li>gtsrb: the Larq 48x48 GTSRB BNN; ORT runs the original tf2onnx file; random images;</li>
 * <li>conv-1, convpool-1: the paper-row models trained by ebnn:train (examples/models/*.ebnn), exported
 * the same way; MNIST.</li>
 * </ul>
 */
public final class BenchModels {
    public static final List<String> NAMES = List.of("tfc", "gtsrb", "conv-1", "convpool-1");

    /** One model ready for both engines. {@code hwc} feeds the jvm back end, {@code ortInput} ORT (same samples). */
    public record Bench(String name, Model model, BinaryModel binary, Path onnx, OnnxInput input, int count, byte[] hwc, byte[] chw) {
        public int sampleBytes() {
            return model.input().shape().size();
        }

        /** Samples [from, from+n) as ORT's float input (the file's value range and layout). */
        public float[] ortInput(int from, int n) {
            int size = sampleBytes();
            float[] f = new float[n * size];
            for (int i = 0; i < n; i++)
                input.toInput(chw, ((from + i) % count) * size, f, i * size);
            return f;
        }
    }

    private BenchModels() {
    }

    public static Path models() {
        return Path.of(System.getProperty("ebnn.models", "../shared/models"));
    }

    public static Path data() {
        return Path.of(System.getProperty("ebnn.data", "../shared/data"));
    }

    /** The trained models committed with the repository. */
    public static Path examples() {
        return Path.of(System.getProperty("ebnn.examples", "examples/models"));
    }

    static Path workDir() throws java.io.IOException {
        Path d = Path.of(System.getProperty("ebnn.bench.work", "bench/target/work"));
        Files.createDirectories(d);
        return d;
    }

    public static Bench load(String name, int samples) throws Exception {
        switch (name) {
            case "tfc": {
                Model m = OnnxImport.read(models().resolve("finn_build_dataflow_tfc_w1a1.onnx")).result().model();
                Path f = workDir().resolve("tfc_std.onnx");
                new OnnxWriter().write(m, f);
                return of(name, m, f, mnist(samples));
            }
            case "gtsrb": {
                Path f = models().resolve("larq_tf2onnx_gtsrb_bnn_48x48.onnx");
                Model m = OnnxImport.read(f).result().model();
                byte[] chw = new byte[samples * m.input().shape().size()];
                new Random(20261130).nextBytes(chw);
                return of(name, m, f, chw);
            }
            case "conv-1", "convpool-1": {
                Model m = ebnn.core.format.EbnnFormat.read(examples().resolve(name + ".ebnn"));
                Path f = workDir().resolve(name + ".onnx");
                new OnnxWriter().write(m, f);
                return of(name, m, f, mnist(samples));
            }
            default:
                throw new IllegalArgumentException("unknown benchmark model " + name + "; known: " + NAMES);
        }
    }

    private static byte[] mnist(int samples) {
        Dataset d = Idx.load(data().resolve("mnist"), true);
        byte[] b = new byte[samples * d.shape().size()];
        System.arraycopy(d.samples(), 0, b, 0, b.length);
        return b;
    }

    private static Bench of(String name, Model m, Path onnx, byte[] chw) {
        BinaryModel b = Lowering.lower(m);
        OnnxInput in = OnnxImport.read(onnx).input();
        Shape s = m.input().shape();
        int count = chw.length / s.size();
        return new Bench(name, m, b, onnx, in, count, ebnn.api.data.Samples.chwToHwc(chw, count, s), chw);
    }

}
