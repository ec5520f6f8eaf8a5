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
            // the translator itself, without the importer's last line of defence (OnnxImporter.inspect turns an
            // unexpected RuntimeException or OutOfMemoryError into a typed error): reaching that is a bug the fuzzer
            // reports, so that the error a user sees always says what is wrong
            ImportResult r = new Translator(m, "fuzz").translate();
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
     * at 16 cut points (truncated downloads). Timed after one warm-up pass.
     */
    @Test
    void realFilesAndTheirPrefixes() throws IOException {
        int models = 0, typed = 0;
        for (int pass = 0; pass < 2; pass++)
            for (Path p : realModels()) {
                byte[] all = Files.readAllBytes(p);
                for (int k = 1; k <= 16; k++) {
                    int cut = k == 16 ? all.length : (int) ((long) all.length * k / 16);
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
}
