package ebnn.api.spi;

import java.nio.file.Path;
import java.util.Optional;

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
     * graph input takes: where the file declares its range ({@link #declaredInputRange}), the runtime
     * uses the file's own range; elsewhere it maps byte b to
     * {@code assumed.low() + b * (assumed.high() - assumed.low()) / 255}, the range the caller's
     * import assumed. A runtime that maps inputs by other means ignores {@code assumed}.
     */
    default int[] classify(Path modelFile, byte[] chwSamples, int count, float[] scores, InputRange assumed) {
        return classify(modelFile, chwSamples, count, scores);
    }

    /**
     * The values the file's graph input takes for input bytes 0 and 255 where the file itself says so
     * (for ONNX: a leading Div by 255, a UINT8 input or data-type annotation); empty where it does not,
     * and then the reference cannot check the range an import assumed.
     */
    default Optional<InputRange> declaredInputRange(Path modelFile) {
        return Optional.empty();
    }

    /** The values a graph input takes for input byte 0 ({@code low}) and byte 255 ({@code high}). */
    record InputRange(double low, double high) {
        public InputRange {
            if (!Double.isFinite(low) || !Double.isFinite(high) || !(high > low))
                throw new IllegalArgumentException("input range must be finite with high > low: " + low + ".." + high);
        }

        /** Raw bytes: 0..255. */
        public static final InputRange BYTES = new InputRange(0, 255);

        /** The value of an unsigned input byte. */
        public double valueOf(int unsignedByte) {
            return low + unsignedByte * (high - low) / 255.0;
        }
    }
}
