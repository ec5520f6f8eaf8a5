package ebnn.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

import ebnn.api.ModelFormatException;
import ebnn.api.model.Model;
import ebnn.testing.PaperModels;

/**
 * Coverage-guided fuzzing of the .ebnn reader with Jazzer (issue 8). The property, for every input:
 * {@link EbnnFormat#fromBytes} returns a model, which writes and reads back equal, or throws a
 * {@link ModelFormatException} with a message (the reader's documented error); no other exception,
 * no OOM, at most 1 s of CPU.
 * <p>
 * A checksum guards every file, so flipped bytes alone would only ever exercise the header and
 * checksum checks. The first input byte therefore picks the mode: even, the rest is the file as it
 * is; odd, the rest is the protobuf message, framed with a valid header and checksum (of version 1
 * when bit 1 of that byte is set, else of version 2 when bit 2 is set, else of the current version 3),
 * so the fuzzer reaches the schema walk, the limits and the layer decoding of every version behind
 * the checksum.
 * <p>
 * In the normal run the fuzz test replays its inputs folder (seeds and findings,
 * src/test/resources/.../EbnnFormatFuzzTestInputs/fuzz); the pom's {@code fuzz} execution then
 * fuzzes for 30 s with JAZZER_FUZZ=1, seeded with files this test writes (random sample models of
 * every layer kind and the paper-shaped models).
 */
public class EbnnFormatFuzzTest {
    static final long CPU_LIMIT_NS = 1_000_000_000L;

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final AtomicLong EXECUTIONS = new AtomicLong(), MODELS = new AtomicLong();
    private static final long STARTED = System.nanoTime();

    /** .ebnn files written by ebnn itself: the seeds, as fuzz inputs (mode byte + bytes), both modes each. */
    static List<byte[]> seeds() {
        List<Model> models = new ArrayList<>();
        for (long s = 0; s < 12; s++) {
            models.add(SampleModels.random(s));
            models.add(SampleModels.binarized(s)); // binary_weights in version 2
        }
        // dyadic affine values (version 3): trained-looking models written as their integer thresholds
        for (long s = 0; s < 6; s++)
            models.add(ebnn.core.lower.ThresholdForm.of(ebnn.testing.RandomModels.model(s)));
        models.add(ebnn.core.lower.ThresholdForm.of(PaperModels.convPool16(5)));
        models.add(PaperModels.convPool16(2));
        models.add(PaperModels.tfc(3));
        List<byte[]> out = new ArrayList<>();
        for (Model m : models) {
            byte[] file = EbnnFormat.toBytes(m);
            out.add(withMode(0, file));
            out.add(withMode(1, Arrays.copyOfRange(file, EbnnFormat.HEADER_BYTES, file.length - EbnnFormat.TRAILER_BYTES)));
            byte[] v1 = EbnnFormat.toBytesV1(m); // the files ebnn wrote before version 2
            out.add(withMode(0, v1));
            out.add(withMode(3, Arrays.copyOfRange(v1, EbnnFormat.HEADER_BYTES, v1.length - EbnnFormat.TRAILER_BYTES)));
            byte[] v2 = EbnnFormat.toBytesV2(m); // the files ebnn wrote before version 3
            out.add(withMode(0, v2));
            out.add(withMode(5, Arrays.copyOfRange(v2, EbnnFormat.HEADER_BYTES, v2.length - EbnnFormat.TRAILER_BYTES)));
        }
        return out;
    }

    private static byte[] withMode(int mode, byte[] b) {
        byte[] x = new byte[b.length + 1];
        x[0] = (byte) mode;
        System.arraycopy(b, 0, x, 1, b.length);
        return x;
    }

    /** When fuzzing, the written files join Jazzer's generated corpus as seeds; in regression mode nothing happens. */
    @BeforeAll
    static void seedTheGeneratedCorpus() throws IOException {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz == null || fuzz.isEmpty())
            return;
        String base = System.getProperty("jazzer.internal.basedir", System.getProperty("user.dir"));
        Path corpus = Files.createDirectories(Path.of(base, ".cifuzz-corpus", EbnnFormatFuzzTest.class.getName(), "fuzz"));
        int i = 0;
        for (byte[] s : seeds()) {
            if (s.length > 65_536) // the paper models' 0.5 MB: beyond the fuzz execution's -max_len
                continue;
            Path tmp = Files.createTempFile(corpus, "seed", ".tmp");
            Files.write(tmp, s);
            Files.move(tmp, corpus.resolve("seed-" + i++), StandardCopyOption.REPLACE_EXISTING);
        }
        for (Path p : longRunCorpus())
            Files.copy(p, corpus.resolve("long-" + p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    @FuzzTest(maxDuration = "30s")
    void fuzz(byte[] data) {
        EXECUTIONS.incrementAndGet();
        if (check(data))
            MODELS.incrementAndGet();
    }

    @AfterAll
    static void report() {
        System.out.printf("EbnnFormatFuzzTest: %d executions (%d ended in a model, the rest in typed errors) in %.0f s%n",
                EXECUTIONS.get(), MODELS.get(), (System.nanoTime() - STARTED) / 1e9);
    }

    /** The property; true when the input was a model. */
    static boolean check(byte[] data) {
        byte[] bytes;
        if (data.length > 0 && (data[0] & 1) == 1)
            bytes = EbnnFormat.frame(Arrays.copyOfRange(data, 1, data.length), (data[0] & 2) != 0 ? 1 : (data[0] & 4) != 0 ? 2 : EbnnFormat.VERSION);
        else
            bytes = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        long t0 = MX.getCurrentThreadCpuTime();
        boolean model;
        try {
            Model m = EbnnFormat.fromBytes(bytes, "fuzz input");
            // what was read is a valid model: it writes, and reads back equal (the format is lossless)
            assertEquals(m, EbnnFormat.fromBytes(EbnnFormat.toBytes(m), "rewritten fuzz input"));
            model = true;
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage() != null && e.getMessage().startsWith("fuzz input"), "error names its source: " + e.getMessage());
            model = false;
        }
        long cpu = MX.getCurrentThreadCpuTime() - t0;
        if (cpu > CPU_LIMIT_NS)
            throw new AssertionError("input of " + data.length + " bytes took " + cpu / 1_000_000 + " ms of CPU (limit 1 s)");
        return model;
    }

    /** The seeds: every one is a model; each prefix and each single-byte change of a message reads or fails typed. */
    @Test
    void seedsAndTheirMutations() {
        int models = 0, typed = 0;
        java.util.Random r = new java.util.Random(8);
        for (byte[] s : seeds()) {
            assertTrue(check(s), "a seed written by ebnn reads back");
            for (int k = 0; k < (s.length > 65_536 ? 0 : 40); k++) { // the paper models' 0.5 MB: read whole only
                byte[] b = k < 20 ? Arrays.copyOf(s, (int) ((long) s.length * k / 20)) : s.clone();
                if (k >= 20)
                    b[1 + r.nextInt(b.length - 1)] ^= (byte) (1 + r.nextInt(255));
                if (check(b))
                    models++;
                else
                    typed++;
            }
        }
        System.out.println("seed mutations: " + models + " models, " + typed + " typed errors");
    }

    @Test
    void inputsFolderIsReplayed() {
        assertEquals("file", EbnnFormatFuzzTest.class.getResource("EbnnFormatFuzzTestInputs/fuzz").getProtocol());
    }

    /**
     * The corpus of the long fuzzing runs (docs/RELIABILITY.md), inputs of at most a few KB that
     * together cover what those runs reached: replayed by every normal run, and the start of the
     * fuzzing execution's corpus.
     */
    static List<Path> longRunCorpus() throws IOException {
        java.net.URL u = EbnnFormatFuzzTest.class.getResource("EbnnFormatFuzzTestCorpus");
        assertTrue(u != null && "file".equals(u.getProtocol()), "corpus folder EbnnFormatFuzzTestCorpus on the test class path");
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
            if (check(Files.readAllBytes(f)))
                models++;
        System.out.println("long-run corpus: " + corpus.size() + " inputs, " + models + " models");
    }
}
