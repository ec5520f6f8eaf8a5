package ebnn.api.model;

import ebnn.api.InvalidModelException;

/**
 * What the model takes. A device always receives one unsigned byte (0..255) per input element;
 * the float model sees {@code low + byte * (high - low) / 255}, so an input range of 0..255 is raw
 * pixels and 0..1 is pixels divided by 255.
 *
 * @param shape        CHW shape of one sample
 * @param sourceLayout the layout the source framework used (informational: the IR is always CHW)
 * @param low          float value of byte 0
 * @param high         float value of byte 255
 * @param rangeSource  who said what the range is (since 1.1)
 */
public record InputSpec(Shape shape, Layout sourceLayout, double low, double high, RangeSource rangeSource) {

    /**
     * Where an input range comes from.
     *
     * @since 1.1
     */
    public enum RangeSource {
        /** The model says it: the trainer, the file's own scaling, data-type annotation or metadata. */
        DECLARED,
        /** Nothing said it; the importer assumed it (its report says what was assumed and how to change it). */
        ASSUMED,
        /** The user gave it ({@code --input-range}). */
        GIVEN
    }

    public InputSpec {
        if (shape == null || sourceLayout == null)
            throw new InvalidModelException("input spec needs a shape and a layout");
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(high > low))
            throw new InvalidModelException("input range must be finite with high > low: " + low + ".." + high);
        if (rangeSource == null)
            rangeSource = RangeSource.DECLARED;
    }

    /** A range the model declares. */
    public InputSpec(Shape shape, Layout sourceLayout, double low, double high) {
        this(shape, sourceLayout, low, high, RangeSource.DECLARED);
    }

    /** Raw bytes: the model sees 0..255. */
    public static InputSpec bytes(Shape shape) {
        return new InputSpec(shape, Layout.NCHW, 0, 255);
    }

    /**
     * The same input with another range.
     *
     * @since 1.1
     */
    public InputSpec withRange(double low, double high, RangeSource source) {
        return new InputSpec(shape, sourceLayout, low, high, source);
    }

    /** The float value the model sees for an input byte. */
    public double valueOf(int unsignedByte) {
        return low + unsignedByte * (high - low) / 255.0;
    }
}
