package ebnn.codegen.c;

import static org.junit.Assert.assertEquals;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.core.lower.Lowering;
import ebnn.runtime.java.JvmEngine;
import ebnn.testing.PaperModels;
import ebnn.testing.TestData;

/** The JVM runtime's answers (the reference every back end must equal) and the test data, loaded once per JVM. */
final class Reference {
    private Reference() {
    }

    private static Dataset mnist;
    private static final Map<String, BinaryModel> PAPER = new ConcurrentHashMap<>();

    static synchronized Dataset mnist() {
        if (mnist == null)
            mnist = TestData.mnistTest();
        return mnist;
    }

    /** The paper-shaped models, lowered by ebnn.core: mlp-128, convpool-16, tfc (fixed seeds). */
    static BinaryModel paper(String name) {
        return PAPER.computeIfAbsent(name, n -> Lowering.lower(switch (n) {
        case "mlp-128" -> PaperModels.mlp128(1);
        case "convpool-16" -> PaperModels.convPool16(2);
        case "tfc" -> PaperModels.tfc(3);
        default -> throw new IllegalArgumentException(n);
        }));
    }

    record Answers(int[] classes, int[] scores) {
    }

    static Answers jvm(BinaryModel m, byte[] samples) {
        int n = samples.length / m.inputSize();
        int[] scores = new int[n * m.classes()];
        int[] classes = new JvmEngine().load(m).classifyBatch(samples, n, scores);
        return new Answers(classes, scores);
    }

    /** Asserts classes and scores equal, naming the first sample that differs. */
    static void assertSame(String what, BinaryModel m, Answers expected, Built.Outputs actual) {
        int k = m.classes();
        assertEquals(what + ": number of samples", expected.classes().length, actual.count());
        for (int i = 0; i < expected.classes().length; i++) {
            for (int c = 0; c < k; c++)
                assertEquals(what + ": sample " + i + " score " + c, expected.scores()[i * k + c], actual.scores()[i * k + c]);
            assertEquals(what + ": sample " + i + " class", expected.classes()[i], actual.classes()[i]);
        }
    }
}
