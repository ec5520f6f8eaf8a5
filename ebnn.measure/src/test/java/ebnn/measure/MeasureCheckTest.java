package ebnn.measure;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import ebnn.api.BackendException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.spi.CompiledModel;

/** The checks ebnn:measure makes before it reports: the JVM runtime's answers, the host's tools. */
public class MeasureCheckTest {
    /** A stand-in JVM runtime: class = first input byte of the sample, scores = (byte, -byte). */
    static final CompiledModel JVM = new CompiledModel() {
        @Override
        public BinaryModel model() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int classify(byte[] input, int offset, int[] scores) {
            scores[0] = input[offset];
            scores[1] = -input[offset];
            return input[offset];
        }
    };

    static final MeasureCommand.Inputs TWO = new MeasureCommand.Inputs(new byte[] { 0, 9, 1, 9 }, List.of("a", "b"));

    static Measured measured(int[] classes, int[] scores) {
        return new Measured(classes, scores, new long[] { 5, 5 }, null, 0, 0, 0);
    }

    @Test
    public void theSameAnswersPass() {
        MeasureCommand.checkSameAsJvm(JVM, 2, 2, TWO, measured(new int[] { 0, 1 }, new int[] { 0, 0, 1, -1 }), "dev");
    }

    @Test
    public void aDifferentClassOrScoreIsAnErrorNamingTheSample() {
        BackendException cls = assertThrows(BackendException.class,
                () -> MeasureCommand.checkSameAsJvm(JVM, 2, 2, TWO, measured(new int[] { 0, 0 }, new int[] { 0, 0, 1, -1 }), "dev"));
        assertEquals("the generated code on dev computed class 0, scores [1, -1] for sample 1 (b); the JVM runtime computes class 1, scores [1, -1]",
                cls.getMessage());
        BackendException score = assertThrows(BackendException.class,
                () -> MeasureCommand.checkSameAsJvm(JVM, 2, 2, TWO, measured(new int[] { 0, 1 }, new int[] { 0, 1, 1, -1 }), "dev"));
        assertTrue(score.getMessage(), score.getMessage().contains("scores [0, 1] for sample 0 (a); the JVM runtime computes class 0, scores [0, 0]"));
    }

    @Test
    public void missingToolsAreOneErrorNamingEveryPackageOfTheToolchain() {
        BackendException e = assertThrows(BackendException.class,
                () -> HostTools.require(List.of("gcc", "ebnn-no-such-tool", "/nonexistent/ebnn/header.h"), "measuring on x"));
        assertEquals("measuring on x needs ebnn-no-such-tool, /nonexistent/ebnn/header.h, not found on PATH: install the Debian packages gcc"
                + " ebnn-no-such-tool /nonexistent/ebnn/header.h (apt-get install gcc ebnn-no-such-tool /nonexistent/ebnn/header.h)", e.getMessage());
    }
}
