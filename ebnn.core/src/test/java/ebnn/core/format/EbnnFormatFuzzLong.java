package ebnn.core.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The long fuzzing run of the .ebnn reader (docs/RELIABILITY.md): the property of
 * {@link EbnnFormatFuzzTest}, up to 2 M executions or 100 minutes. Not part of the normal run (the
 * name does not end in Test); run it by name with JAZZER_FUZZ=1:
 * <pre>
 * JAZZER_FUZZ=1 nice mvn -B -o test -pl ebnn.core -Dtest=EbnnFormatFuzzLong -Debnn.fuzz.skip=true -DargLine=-Xmx1g \
 *     -Djazzer.internal.basedir=$PWD/ebnn.core/target/fuzz-long -Djazzer.internal.arg.0=-timeout=5 -Djazzer.internal.arg.1=-max_len=65536
 * </pre>
 * A finding is written under the basedir (crash-*); move it into EbnnFormatFuzzTestInputs/fuzz so
 * that every normal run replays it.
 */
public class EbnnFormatFuzzLong {
    private static final AtomicLong EXECUTIONS = new AtomicLong(), MODELS = new AtomicLong();
    private static final long STARTED = System.nanoTime();

    @BeforeAll
    static void seed() throws IOException {
        String base = System.getProperty("jazzer.internal.basedir", System.getProperty("user.dir"));
        Path corpus = Files.createDirectories(Path.of(base, ".cifuzz-corpus", EbnnFormatFuzzLong.class.getName(), "fuzz"));
        List<byte[]> seeds = EbnnFormatFuzzTest.seeds();
        for (int i = 0; i < seeds.size(); i++)
            if (seeds.get(i).length <= 65_536) // the sample models of every layer kind; the paper models' 0.5 MB only slow it down
                Files.write(corpus.resolve("seed-" + i), seeds.get(i));
    }

    @FuzzTest(maxDuration = "100m", maxExecutions = 2_000_000)
    void fuzz(byte[] data) {
        long n = EXECUTIONS.incrementAndGet();
        if (EbnnFormatFuzzTest.check(data))
            MODELS.incrementAndGet();
        if (n % 100_000 == 0)
            report();
    }

    @AfterAll
    static void report() {
        System.out.printf("EbnnFormatFuzzLong: %d executions (%d ended in a model, the rest in typed errors) in %.0f s%n",
                EXECUTIONS.get(), MODELS.get(), (System.nanoTime() - STARTED) / 1e9);
    }
}
