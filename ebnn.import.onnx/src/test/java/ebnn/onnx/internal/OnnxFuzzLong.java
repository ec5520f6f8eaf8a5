package ebnn.onnx.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The long fuzzing run of the ONNX importer (docs/RELIABILITY.md): the property of
 * {@link OnnxFuzzTest}, up to 1.2 M executions or 110 minutes. Not part of the normal run (the
 * name does not end in Test); run it by name with JAZZER_FUZZ=1:
 * <pre>
 * JAZZER_FUZZ=1 nice mvn -B -o test -pl ebnn.import.onnx -Dtest=OnnxFuzzLong -Debnn.fuzz.skip=true -DargLine=-Xmx1g \
 *     -Djazzer.internal.basedir=$PWD/ebnn.import.onnx/target/fuzz-long -Djazzer.internal.arg.0=-timeout=5 -Djazzer.internal.arg.1=-max_len=16384
 * </pre>
 * (-max_len 16 KB: the small complete graphs of {@link OnnxFuzzTest#smallSeeds} and hls4ml's file whole, the larger real
 * models truncated; a mutation of a 250 KB file costs a hundred times one of a 1 KB file.)
 * A finding is written under the basedir (crash-*); move it into OnnxFuzzTestInputs/fuzz so that
 * every normal run replays it.
 */
public class OnnxFuzzLong {
    private static final AtomicLong EXECUTIONS = new AtomicLong(), MODELS = new AtomicLong();
    private static final long STARTED = System.nanoTime();

    @BeforeAll
    static void seed() throws IOException {
        String base = System.getProperty("jazzer.internal.basedir", System.getProperty("user.dir"));
        Path corpus = Files.createDirectories(Path.of(base, ".cifuzz-corpus", OnnxFuzzLong.class.getName(), "fuzz"));
        for (Path p : OnnxFuzzTest.realModels())
            Files.copy(p, corpus.resolve("seed-" + p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        List<byte[]> small = OnnxFuzzTest.smallSeeds();
        for (int i = 0; i < small.size(); i++)
            Files.write(corpus.resolve("seed-small-" + i + ".onnx"), small.get(i));
    }

    @FuzzTest(maxDuration = "110m", maxExecutions = 1_200_000)
    void fuzz(byte[] data) {
        long n = EXECUTIONS.incrementAndGet();
        if (OnnxFuzzTest.check(data) >= 0)
            MODELS.incrementAndGet();
        if (n % 100_000 == 0)
            report();
    }

    @AfterAll
    static void report() {
        System.out.printf("OnnxFuzzLong: %d executions (%d ended in a model, the rest in typed errors) in %.0f s%n", EXECUTIONS.get(),
                MODELS.get(), (System.nanoTime() - STARTED) / 1e9);
    }
}
