package ebnn.api.spi;

/**
 * A target for integer eBNN models. Register as a DS component providing {@code Backend} (and its
 * sub-interface) with property {@value #ID_PROPERTY}; a back end is either a
 * {@link CodeGenerator} (writes sources for a device) or an {@link InferenceEngine} (runs the model
 * in this process).
 */
public interface Backend {
    String ID_PROPERTY = "ebnn.backend.id";

    /** Short identifier used on the command line, e.g. "c", "cortex-m", "jvm". */
    String id();

    /** One line for people. */
    String description();

    /** Whether this back end can target the device (e.g. a Cortex-M generator refuses AVR). */
    boolean supports(ebnn.api.Device device);
}
