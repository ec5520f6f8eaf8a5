package ebnn.codegen.cortexm;

import ebnn.api.binary.BinaryModel;
import ebnn.codegen.c.Reference;

/**
 * The paper-shaped models, MNIST and the JVM runtime's answers are ebnn.codegen.c's test
 * {@link Reference} (same seeds, so both back ends are measured on the same models); this adds the
 * Cortex-M tests' view of them.
 */
final class Models {
    private Models() {
    }

    static final String[] PAPER = { "mlp-128", "bmlp-128", "convpool-16", "tfc" };

    /** Asserts that a firmware run gave the JVM runtime's classes and scores, naming the first sample that differs. */
    static void assertSame(String what, BinaryModel m, Reference.Answers expected, Firmware.Outputs actual) {
        Reference.assertSame(what, m, expected, actual.classes(), actual.scores());
    }
}
