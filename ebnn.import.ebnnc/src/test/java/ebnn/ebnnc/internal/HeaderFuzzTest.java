package ebnn.ebnnc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

import ebnn.api.EbnnException;
import ebnn.api.InvalidModelException;
import ebnn.api.ModelFormatException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.spi.ImportResult;

/**
 * Coverage-guided fuzzing of the eBNN header reader and walker with Jazzer, in the style of
 * ebnn.import.onnx's OnnxFuzzTest: every input ends in a model or in a ModelFormatException,
 * InvalidModelException or UnsupportedModelException with a message, never another exception
 * (the importer's catch-all is bypassed: reaching it is a finding), and within 1 s of CPU. The
 * normal run replays the inputs folder; the pom's fuzz execution fuzzes for 20 s from the example
 * headers and small generated ones.
 */
public class HeaderFuzzTest {
    static final long CPU_LIMIT_NS = 1_000_000_000L;
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    static List<byte[]> seeds() throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String m : Seeds.MODELS)
            out.add(Files.readAllBytes(Seeds.header(m)));
        out.add(HeaderErrorsTest.header().getBytes(StandardCharsets.US_ASCII));
        for (long s = 1; s <= 4; s++)
            out.add(RandomHeadersTest.header(s).getBytes(StandardCharsets.US_ASCII));
        return out;
    }

    @BeforeAll
    static void seedTheGeneratedCorpus() throws IOException {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz == null || fuzz.isEmpty())
            return;
        String base = System.getProperty("jazzer.internal.basedir", System.getProperty("user.dir"));
        Path corpus = Path.of(base, ".cifuzz-corpus", HeaderFuzzTest.class.getName(), "fuzz");
        Files.createDirectories(corpus);
        List<byte[]> s = seeds();
        for (int i = 0; i < s.size(); i++)
            Files.write(corpus.resolve("seed-" + i + ".h"), s.get(i));
    }

    @FuzzTest(maxDuration = "20s")
    void fuzz(byte[] data) {
        check(data);
    }

    /** The property; the model's layer count, or -1 for a typed error. */
    static int check(byte[] data) {
        long t0 = MX.getCurrentThreadCpuTime();
        int result;
        try {
            String text = new String(data, StandardCharsets.ISO_8859_1);
            ImportResult r = HeaderWalker.walk("fuzz.h", "fuzz", HeaderReader.read("fuzz.h", text));
            assertTrue(r.model().classes() > 0);
            result = r.model().layers().size();
        } catch (ModelFormatException | InvalidModelException | UnsupportedModelException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "typed error without a message");
            result = -1;
        } catch (EbnnException e) {
            throw new AssertionError("unexpected error type " + e.getClass().getName() + ": " + e.getMessage(), e);
        }
        long cpu = MX.getCurrentThreadCpuTime() - t0;
        if (cpu > CPU_LIMIT_NS)
            throw new AssertionError("input of " + data.length + " bytes took " + cpu / 1_000_000 + " ms of CPU (limit 1 s)");
        return result;
    }

    /** The seeds import, and every prefix of them at 16 cut points (truncated files) fails typed. */
    @Test
    void seedsAndTheirPrefixes() throws IOException {
        for (byte[] s : seeds()) {
            assertTrue(check(s) > 0, "a seed imports");
            for (int k = 1; k < 16; k++)
                assertEquals(-1, check(Arrays.copyOf(s, (int) ((long) s.length * k / 16))), "a truncated header is a typed error");
        }
    }

    @Test
    void inputsFolderIsReplayed() {
        assertEquals("file", HeaderFuzzTest.class.getResource("HeaderFuzzTestInputs/fuzz").getProtocol());
    }
}
