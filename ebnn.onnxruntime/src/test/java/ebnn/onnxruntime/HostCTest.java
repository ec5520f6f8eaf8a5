package ebnn.onnxruntime;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.model.InputRange;
import ebnn.api.model.Model;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.CompiledModel;
import ebnn.api.spi.GeneratedCode;
import ebnn.codegen.c.CBackend;
import ebnn.core.lower.Lowering;
import ebnn.core.plan.MemoryPlanner;
import ebnn.onnx.OnnxImport;
import ebnn.runtime.java.JvmEngine;

/**
 * The imported real models through the C back end, built with the host gcc and run on the same
 * inputs as the JVM runtime: classes and integer scores must be identical.
 */
public class HostCTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private record Run(int[] classes, int[] scores) {
    }

    private Run hostC(BinaryModel b, byte[] hwcSamples, int count) throws Exception {
        Path dir = tmp.newFolder().toPath();
        GeneratedCode code = new CBackend().generate(b, MemoryPlanner.plan(b, Device.named("host")), CompileOptions.defaults());
        for (var e : code.files().entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
        }
        String header = code.files().keySet().stream().filter(k -> k.matches("(src/)?ebnn_[a-z0-9_A-Z]+\\.h") && !k.endsWith("ebnn_rt.h"))
                .findFirst().orElseThrow();
        String prefix = header.replaceFirst("^src/", "").replaceFirst("\\.h$", "");
        Path src = Files.exists(dir.resolve("src")) ? dir.resolve("src") : dir;
        Path main = Path.of("..", "targets", "host", "infer_main.c").toAbsolutePath().normalize();
        Path exe = dir.resolve("infer");
        List<String> cmd = new ArrayList<>(List.of("gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2",
                "-DEBNN_INFER=" + prefix + "_infer", "-DEBNN_INPUT_SIZE=" + b.inputSize(), "-DEBNN_CLASSES=" + b.classes(), "-I" + src, "-o",
                exe.toString(), main.toString(), src.resolve(prefix + ".c").toString()));
        String out = run(dir, cmd, null);
        out = run(dir, List.of(exe.toString()), java.util.Arrays.copyOf(hwcSamples, count * b.inputSize()));
        String[] lines = out.split("\n");
        assertEquals(count, lines.length);
        int k = b.classes();
        int[] cls = new int[count], sc = new int[count * k];
        for (int i = 0; i < count; i++) {
            String[] p = lines[i].trim().split(" ");
            cls[i] = Integer.parseInt(p[0]);
            for (int c = 0; c < k; c++)
                sc[i * k + c] = Integer.parseInt(p[c + 1]);
        }
        return new Run(cls, sc);
    }

    private static String run(Path dir, List<String> cmd, byte[] stdin) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false).start();
        Thread feeder = new Thread(() -> {
            try (OutputStream o = p.getOutputStream()) {
                if (stdin != null)
                    o.write(stdin);
            } catch (IOException e) {
                // the process ended early: its exit code says why
            }
        });
        feeder.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> {
            try (InputStream e = p.getErrorStream()) {
                e.transferTo(err);
            } catch (IOException e) {
                // ignore
            }
        });
        errReader.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timeout: " + cmd);
        }
        feeder.join();
        errReader.join();
        if (p.exitValue() != 0)
            throw new AssertionError(cmd.get(0) + " exit " + p.exitValue() + ": " + err);
        return out;
    }

    /**
     * The four shared forms of FINN's TFC-w1a1 (build-dataflow, tidy taking [0,1], with pre-processing, with pre- and
     * post-processing) give the same 10,000 MNIST predictions, in the JVM runtime and in host C (classes and int32
     * scores equal), 92.96 %. The tidy form takes inputs in [0,1] and its file does not say so: --input-range 0,1.
     */
    @Test
    public void theFourTfcFormsGiveTheSamePredictionsInTheJvmRuntimeAndHostC() throws Exception {
        Dataset d = Idx.load(Fixtures.data().resolve("mnist"), true);
        int[] first = null;
        for (String f : List.of("finn_build_dataflow_tfc_w1a1.onnx", "finn_fork_tfc_w1a1_tidy.onnx", "finn_fork_tfc_w1a1_with_preproc.onnx",
                "finn_fork_tfc_w1a1_pre_post.onnx")) {
            InputRange range = f.contains("tidy") ? new InputRange(0, 1) : null;
            Model m = OnnxImport.read(Fixtures.models().resolve(f), range).result().model();
            BinaryModel b = Lowering.lower(m);
            CompiledModel jvm = new JvmEngine().load(b);
            int[] scores = new int[d.count() * b.classes()];
            int[] classes = jvm.classifyBatch(d.samples(), d.count(), scores);
            Run c = hostC(b, d.samples(), d.count());
            assertArrayEquals(f + ": classes", classes, c.classes());
            assertArrayEquals(f + ": scores", scores, c.scores());
            if (first == null)
                first = classes;
            assertArrayEquals(f + ": the same predictions as the build-dataflow form", first, classes);
            int correct = 0;
            for (int i = 0; i < d.count(); i++)
                correct += c.classes()[i] == d.label(i) ? 1 : 0;
            assertEquals(f, 9296, correct);
        }
    }

    @Test
    public void larqOnHostCEqualsJvmRuntime() throws Exception {
        Model m = OnnxImport.read(Fixtures.models().resolve("larq_tf2onnx_gtsrb_bnn_48x48.onnx")).result().model();
        BinaryModel b = Lowering.lower(m);
        int n = 100;
        byte[] hwc = Fixtures.hwc(Fixtures.random(n, b.inputSize(), 99), n, m.input().shape());
        int[] scores = new int[n * b.classes()];
        int[] classes = new JvmEngine().load(b).classifyBatch(hwc, n, scores);
        Run c = hostC(b, hwc, n);
        assertArrayEquals(classes, c.classes());
        assertArrayEquals(scores, c.scores());
    }
}
