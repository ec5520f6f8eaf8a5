package ebnn.api.spi;

import ebnn.api.binary.BinaryModel;

/**
 * A model ready to run. Thread-safe: one instance may be used from many threads at once.
 * Inputs are unsigned bytes in HWC order, {@link BinaryModel#inputSize()} per sample.
 */
public interface CompiledModel {
    BinaryModel model();

    /**
     * Runs one sample: fills {@code scores} (length {@link BinaryModel#classes()}, may be null) and
     * returns the class (argmax, ties to the lowest index).
     */
    int classify(byte[] input, int offset, int[] scores);

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
