package ebnn.tinier.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

import ebnn.api.EbnnException;
import ebnn.api.InvalidModelException;
import ebnn.api.ModelFormatException;
import ebnn.api.UnsupportedModelException;

/**
 * Coverage-guided fuzzing of the model.def reader with Jazzer (as OnnxFuzzTest): every input ends
 * in a model that writes back to the same text, or in a typed error with a message, within 1 s of
 * CPU. The normal run replays the inputs folder; the pom's fuzz execution fuzzes for 20 s.
 */
public class ModelDefFuzzTest {
    static final long CPU_LIMIT_NS = 1_000_000_000L;
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    static List<String> seeds() {
        return List.of(ModelDefs.random(1, 32, 32), ModelDefs.random(2, 32, 64, 32), ModelDefs.random(3, 64, 32, 32, 32));
    }

    @BeforeAll
    static void seedTheGeneratedCorpus() throws IOException {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz == null || fuzz.isEmpty())
            return;
        String base = System.getProperty("jazzer.internal.basedir", System.getProperty("user.dir"));
        Path corpus = Path.of(base, ".cifuzz-corpus", ModelDefFuzzTest.class.getName(), "fuzz");
        Files.createDirectories(corpus);
        List<String> s = seeds();
        for (int i = 0; i < s.size(); i++)
            Files.writeString(corpus.resolve("seed-" + i + ".def"), s.get(i));
    }

    @FuzzTest(maxDuration = "20s")
    void fuzz(byte[] data) {
        check(data);
    }

    static int check(byte[] data) {
        long t0 = MX.getCurrentThreadCpuTime();
        int result;
        try {
            String text = new String(data, StandardCharsets.ISO_8859_1);
            ModelDef def = ModelDef.parse("fuzz.def", text);
            TinierImporter.toModel("fuzz", def);
            // what was read writes back to what tinier-nn reads the same way
            assertEquals(def.write(), ModelDef.parse("again", def.write()).write());
            result = def.layers().size();
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

    @Test
    void seedsAndTheirPrefixes() {
        for (String s : seeds()) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            assertTrue(check(b) > 0);
            for (int k = 1; k < 16; k++)
                assertEquals(-1, check(Arrays.copyOf(b, (int) ((long) b.length * k / 16))), "a truncated model.def is a typed error");
        }
    }

    @Test
    void inputsFolderIsReplayed() {
        assertEquals("file", ModelDefFuzzTest.class.getResource("ModelDefFuzzTestInputs/fuzz").getProtocol());
    }
}
