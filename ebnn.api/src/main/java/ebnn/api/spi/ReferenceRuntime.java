package ebnn.api.spi;

import java.nio.file.Path;

/**
 * An independent third-party runtime (e.g. ONNX Runtime) that runs an original model file, to check
 * ebnn's import and back ends against. Register as a service with property {@value #ID_PROPERTY}.
 */
public interface ReferenceRuntime {
    String ID_PROPERTY = "ebnn.reference.id";

    /** Short identifier, e.g. "onnxruntime". */
    String id();

    /** Name and version for reports, e.g. "ONNX Runtime 1.29.0". */
    String description();

    /** Whether this runtime can run {@code modelFile} as it is (judged from its name and content). */
    boolean accepts(Path modelFile);

    /**
     * Runs {@code count} samples through the original file. Samples are unsigned bytes in CHW order,
     * as {@link ebnn.api.model.FloatEvaluator} takes them for the imported model; the runtime maps
     * them to the file's own input values and layout. Returns the predicted classes (argmax, ties to
     * the lowest index); fills {@code scores} row-major when it is non-null.
     */
    int[] classify(Path modelFile, byte[] chwSamples, int count, float[] scores);

    /**
     * As {@link #classify(Path, byte[], int, float[])}, the file's input taking {@code range} for byte
     * 0 and 255 ({@code null}: what the file says). Default: refuses a range it cannot apply.
     *
     * @since 1.2
     */
    default int[] classify(Path modelFile, ebnn.api.model.InputRange range, byte[] chwSamples, int count, float[] scores) {
        if (range != null)
            throw new ebnn.api.UnsupportedModelException("reference runtime '" + id() + "' cannot take an --input-range");
        return classify(modelFile, chwSamples, count, scores);
    }
}
