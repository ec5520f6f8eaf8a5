package ebnn.api.spi;

import java.nio.file.Path;
import java.util.Optional;

import ebnn.api.model.InputRange;

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
     * As {@link #classify(Path, byte[], int, float[])}, for a file that may not say what values its
     * graph input takes. Where the file declares its range ({@link #declaredInputRange}), the runtime
     * uses the file's own range; elsewhere it runs the file on the range the imported model uses,
     * {@code modelRange}: the values the model's first layer sees for byte 0 and 255
     * ({@link ebnn.api.model.InputSpec} low..high, after any input scaling the file applies before
     * its first layer). A runtime that maps inputs by other means ignores {@code modelRange}.
     *
     * @since 1.2
     */
    default int[] classify(Path modelFile, byte[] chwSamples, int count, float[] scores, InputRange modelRange) {
        return classify(modelFile, chwSamples, count, scores);
    }

    /**
     * The values the file's graph input takes for input bytes 0 and 255 where the file itself says so
     * (for ONNX: a leading Div by 255, a UINT8 input or data-type annotation); empty where it does not,
     * and then the reference cannot check the range an import assumed.
     *
     * @since 1.2
     */
    default Optional<InputRange> declaredInputRange(Path modelFile) {
        return Optional.empty();
    }
}
