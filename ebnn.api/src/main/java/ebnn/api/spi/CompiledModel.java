package ebnn.api.spi;

import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.model.OutputKind;

/**
 * A model ready to run. Thread-safe: one instance may be used from many threads at once.
 * Inputs are unsigned bytes in HWC order, {@link BinaryModel#inputSize()} per sample.
 * <p>
 * What a sample gives depends on the model's {@link BinaryModel#outputKind()}: a class
 * ({@link #classify}) for {@link OutputKind#CLASSES}, a bit vector ({@link #outputBits}) for
 * {@link OutputKind#BITS}. Each call on the other kind throws {@link UnsupportedModelException}
 * saying which call the model answers: a bit vector has no argmax that would mean anything.
 */
public interface CompiledModel {
    BinaryModel model();

    /**
     * Runs one sample: fills {@code scores} (length {@link BinaryModel#classes()}, may be null) and
     * returns the class (argmax, ties to the lowest index).
     *
     * @throws UnsupportedModelException if the model outputs bits ({@link OutputKind#BITS})
     */
    int classify(byte[] input, int offset, int[] scores);

    /**
     * Runs one sample of a model whose output is a bit vector: {@code bits[i]} (length at least
     * {@link BinaryModel#classes()}) receives output bit i, true for 1 (+1).
     *
     * @throws UnsupportedModelException if the model outputs classes, or this engine gives no bit outputs
     */
    default void outputBits(byte[] input, int offset, boolean[] bits) {
        throw new UnsupportedModelException(model().outputKind() == OutputKind.CLASSES
                ? "model '" + model().name() + "' outputs classes, not a bit vector"
                : "this inference engine does not run models whose output is a bit vector");
    }

    /** {@link #outputBits(byte[], int, boolean[])} of the sample at offset 0, in a new array. */
    default boolean[] outputBits(byte[] input) {
        boolean[] bits = new boolean[model().classes()];
        outputBits(input, 0, bits);
        return bits;
    }

    default int classify(byte[] input) {
        return classify(input, 0, null);
    }

    /** Runs {@code count} samples stored back to back; returns their classes, scores row-major if non-null. */
    default int[] classifyBatch(byte[] inputs, int count, int[] scores) {
        int n = model().inputSize();
        int k = model().classes();
        int[] classes = new int[count];
        int[] one = scores == null ? null : new int[k];
        for (int i = 0; i < count; i++) {
            classes[i] = classify(inputs, i * n, one);
            if (one != null)
                System.arraycopy(one, 0, scores, i * k, k);
        }
        return classes;
    }
}
