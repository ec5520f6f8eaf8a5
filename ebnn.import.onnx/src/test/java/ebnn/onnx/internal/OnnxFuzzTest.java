package ebnn.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterAll;

import com.code_intelligence.jazzer.junit.FuzzTest;

import ai.onnx.proto.OnnxMl.ModelProto;
import ebnn.api.EbnnException;
import ebnn.api.InvalidModelException;
import ebnn.api.ModelFormatException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.spi.ImportResult;

/**
 * Coverage-guided fuzzing of the ONNX importer with Jazzer (issue 8). The property, for every input:
 * the bytes end in a model, or in a {@link ModelFormatException}, {@link InvalidModelException} or
 * {@link UnsupportedModelException} with a message; no other exception (Jazzer reports it with the
 * input), no error that is only the importer's catch-all around an unexpected RuntimeException or
 * OutOfMemoryError, and at most 1 s of CPU per input (checked here, immune to the load of a shared
 * machine); libFuzzer's wall-clock {@code -timeout} (set by the pom's fuzz execution) catches a real hang.
 * <p>
 * In the normal run ({@code mvn verify}) the fuzz test replays its inputs folder (seeds and every
 * finding, src/test/resources/.../OnnxFuzzTestInputs/fuzz); the pom's {@code fuzz} execution then
 * fuzzes for 30 s with JAZZER_FUZZ=1, the real models of ../shared/models as seed corpus.
 */
public class OnnxFuzzTest {
    /** CPU a single input may take. */
    static final long CPU_LIMIT_NS = 1_000_000_000L;

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** The real ONNX files: the seeds. */
    static List<Path> realModels() throws IOException {
        try (Stream<Path> s = Files.list(Models.dir())) {
            List<Path> l = new ArrayList<>(s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList());
            assertFalse(l.isEmpty(), "no .onnx files in " + Models.dir().toAbsolutePath());
            return l;
        }
    }

    /**
     * Small complete graphs covering the translator's paths (Sign + MatMul; FINN MultiThreshold and
     * XnorPopcountMatMul; what ebnn's own ONNX writer emits for conv + max-pool + batch norm + sign +
     * dense and for an input affine + dense model), so that the fuzzer mutates files of a few hundred
     * bytes that reach deep, beside the real models.
     */
    static List<byte[]> smallSeeds() {
        java.util.Random r = new java.util.Random(1);
        List<byte[]> out = new ArrayList<>();
        out.add(HostileInputTest.small().bytes());
        double[] t0 = new double[16], w1 = new double[128], t1 = new double[8], w2 = new double[32];
        for (int i = 0; i < 16; i++)
            t0[i] = r.nextInt(256) + 0.5;
        for (int i = 0; i < 128; i++)
            w1[i] = r.nextBoolean() ? 1 : -1;
        for (int i = 0; i < 8; i++)
            t1[i] = r.nextInt(9) - 4 + 0.5;
        for (int i = 0; i < 32; i++)
            w2[i] = r.nextInt(2);
        out.add(FinnStyleTest.streamlined(t0, w1, t1, w2).bytes());
        ebnn.api.model.Shape in = new ebnn.api.model.Shape(1, 6, 6);
        List<ebnn.api.model.Layer> conv = List.of(
                new ebnn.api.model.Conv2d("conv", 1, 2, 3, 3, 1, 1, ebnn.api.model.Padding.same(1), pm(r, 18), ebnn.api.model.Params.empty()),
                new ebnn.api.model.MaxPool2d("pool", 2, 2, 2, 2, ebnn.api.model.Padding.NONE), bn(r, "bn1", 2),
                new ebnn.api.model.Sign("sign"), new ebnn.api.model.Flatten("flat"),
                new ebnn.api.model.Dense("fc", 18, 3, pm(r, 54), ebnn.api.model.Params.empty()), bn(r, "bn2", 3));
        out.add(OnnxWriter.toModelProto(new ebnn.api.model.Model("conv", new ebnn.api.model.InputSpec(in, ebnn.api.model.Layout.NCHW, 0, 1),
                conv)).toByteArray());
        List<ebnn.api.model.Layer> mlp = List.of(
                new ebnn.api.model.Affine("scale", 1, ebnn.api.model.Params.of(2), ebnn.api.model.Params.of(-1)),
                new ebnn.api.model.Sign("s0"), new ebnn.api.model.Flatten("flat"),
                new ebnn.api.model.Dense("fc1", 36, 8, pm(r, 288), ebnn.api.model.Params.empty()), bn(r, "bn1", 8),
                new ebnn.api.model.Sign("s1"), new ebnn.api.model.Dense("fc2", 8, 4, pm(r, 32), ebnn.api.model.Params.empty()));
        out.add(OnnxWriter.toModelProto(new ebnn.api.model.Model("mlp", new ebnn.api.model.InputSpec(in, ebnn.api.model.Layout.NHWC, 0, 255),
                mlp)).toByteArray());
        return out;
    }

    private static ebnn.api.model.Params pm(java.util.Random r, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++)
            w[i] = r.nextBoolean() ? 1 : -1;
        return ebnn.api.model.Params.of(w);
    }

    private static ebnn.api.model.BatchNorm bn(java.util.Random r, String name, int n) {
        double[] g = new double[n], b = new double[n], m = new double[n], v = new double[n];
        for (int c = 0; c < n; c++) {
            g[c] = (r.nextInt(4) == 0 ? -1 : 1) * (0.5 + r.nextDouble());
            b[c] = r.nextGaussian();
            m[c] = r.nextGaussian();
            v[c] = 0.5 + r.nextDouble();
        }
        return new ebnn.api.model.BatchNorm(name, n, ebnn.api.model.Params.of(g), ebnn.api.model.Params.of(b), ebnn.api.model.Params.of(m),
                ebnn.api.model.Params.of(v), 1e-5);
    }

    /** Every small seed is a complete model the importer takes. */
    @Test
    void smallSeedsImport() {
        for (byte[] s : smallSeeds())
            assertTrue(check(s) > 0, "a small seed imports");
    }

    /**
     * When fuzzing, the real models join Jazzer's generated corpus (which libFuzzer reads as seeds
     * and grows); in regression mode this does nothing.
     */
    @BeforeAll
    static void seedTheGeneratedCorpus() throws IOException {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz == null || fuzz.isEmpty())
            return;
        String base = System.getProperty("jazzer.internal.basedir", System.getProperty("user.dir"));
        Path corpus = Path.of(base, ".cifuzz-corpus", OnnxFuzzTest.class.getName(), "fuzz");
        Files.createDirectories(corpus);
        for (Path p : realModels())
            Files.copy(p, corpus.resolve("seed-" + p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<byte[]> small = smallSeeds();
        for (int i = 0; i < small.size(); i++)
            Files.write(corpus.resolve("seed-small-" + i + ".onnx"), small.get(i));
        for (Path p : longRunCorpus())
            Files.copy(p, corpus.resolve("long-" + p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static final AtomicLong EXECUTIONS = new AtomicLong(), MODELS = new AtomicLong();
    private static final long STARTED = System.nanoTime();

    @FuzzTest(maxDuration = "30s")
    void fuzz(byte[] data) {
        EXECUTIONS.incrementAndGet();
        if (check(data) >= 0)
            MODELS.incrementAndGet();
    }

    /** Executions of the fuzz test in this JVM, for the record (docs/RELIABILITY.md). */
    @AfterAll
    static void report() {
        System.out.printf("OnnxFuzzTest: %d executions (%d ended in a model, the rest in typed errors) in %.0f s%n", EXECUTIONS.get(),
                MODELS.get(), (System.nanoTime() - STARTED) / 1e9);
    }

    /** The property; returns the model's layer count, or -1 for a typed error. */
    static int check(byte[] data) {
        long t0 = MX.getCurrentThreadCpuTime();
        int result;
        try {
            ModelProto m = OnnxFiles.parse(data, "fuzz input");
            // the graph walker and op translators themselves, without the importer's last line of defence (OnnxImporter.inspect turns an
            // unexpected RuntimeException or OutOfMemoryError into a typed error): reaching that is a bug the fuzzer
            // reports, so that the error a user sees always says what is wrong
            ImportResult r = new GraphWalker(m, "fuzz", null).translate();
            assertTrue(r.model().classes() > 0);
            result = r.model().layers().size();
        } catch (ModelFormatException | InvalidModelException | UnsupportedModelException e) {
            String msg = e.getMessage();
            assertTrue(msg != null && !msg.isBlank(), "typed error without a message: " + e.getClass().getName());
            result = -1;
        } catch (EbnnException e) {
            throw new AssertionError("unexpected error type " + e.getClass().getName() + ": " + e.getMessage(), e);
        }
        long cpu = MX.getCurrentThreadCpuTime() - t0;
        if (cpu > CPU_LIMIT_NS)
            throw new AssertionError("input of " + data.length + " bytes took " + cpu / 1_000_000 + " ms of CPU (limit 1 s)");
        return result;
    }

    /**
     * The seeds themselves: every real file imports or fails typed, and so does every prefix of it
     * at 8 cut points (truncated downloads). Timed after one warm-up pass.
     */
    @Test
    void realFilesAndTheirPrefixes() throws IOException {
        int models = 0, typed = 0;
        for (int pass = 0; pass < 2; pass++)
            for (Path p : realModels()) {
                byte[] all = Files.readAllBytes(p);
                for (int k = 1; k <= 8; k++) {
                    int cut = k == 8 ? all.length : (int) ((long) all.length * k / 8);
                    if (check(Arrays.copyOf(all, cut)) >= 0)
                        models++;
                    else
                        typed++;
                }
            }
        assertTrue(models >= 2 * 3, "the whole real models (FINN, hls4ml, Larq) import: " + models);
        System.out.println("seed prefixes: " + models + " models, " + typed + " typed errors");
    }

    /** The committed inputs (seeds and findings) are there: the folder Jazzer replays in regression mode. */
    @Test
    void inputsFolderIsReplayed() {
        assertEquals("file", OnnxFuzzTest.class.getResource("OnnxFuzzTestInputs/fuzz").getProtocol());
    }

    /**
     * The corpus of the long fuzzing runs (docs/RELIABILITY.md), inputs of at most a few KB that
     * together cover what those runs reached: replayed by every normal run, and the start of the
     * fuzzing execution's corpus.
     */
    static List<Path> longRunCorpus() throws IOException {
        java.net.URL u = OnnxFuzzTest.class.getResource("OnnxFuzzTestCorpus");
        assertTrue(u != null && "file".equals(u.getProtocol()), "corpus folder OnnxFuzzTestCorpus on the test class path");
        try (java.util.stream.Stream<Path> s = Files.list(Path.of(java.net.URI.create(u.toString())))) {
            return s.sorted().toList();
        }
    }

    @Test
    void longRunCorpusReplays() throws IOException {
        int models = 0;
        List<Path> corpus = longRunCorpus();
        assertTrue(corpus.size() > 100, "corpus of the long runs: " + corpus.size() + " inputs");
        for (Path f : corpus)
            if (check(Files.readAllBytes(f)) >= 0)
                models++;
        System.out.println("long-run corpus: " + corpus.size() + " inputs, " + models + " models");
    }
}
