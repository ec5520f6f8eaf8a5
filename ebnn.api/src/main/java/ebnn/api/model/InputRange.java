package ebnn.api.model;

import java.util.Locale;

import ebnn.api.InvalidModelException;

/**
 * An input range a user gives for a model file ({@code --input-range LOW,HIGH}): the values the
 * file's input takes for byte 0 and byte 255 (0,1 for inputs scaled to [0,1], 0,255 for raw pixels,
 * -1,1, 0,65025 for pixel × 255). Any scaling the file itself applies after its input still applies.
 *
 * @since 1.1
 */
public record InputRange(double low, double high) {
    public InputRange {
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(high > low))
            throw new InvalidModelException("input range must be two finite numbers LOW,HIGH with HIGH > LOW, is " + low + "," + high);
    }

    /** Parses "LOW,HIGH". */
    public static InputRange parse(String text) {
        String[] p = text == null ? new String[0] : text.split(",", -1);
        if (p.length != 2)
            throw new InvalidModelException("input range must be LOW,HIGH (e.g. 0,1 or 0,255), is '" + text + "'");
        try {
            return new InputRange(Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()));
        } catch (NumberFormatException e) {
            throw new InvalidModelException("input range must be two numbers LOW,HIGH (e.g. 0,1 or 0,255), is '" + text + "'");
        }
    }

    /** The model's input spec with this range. */
    public InputSpec applyTo(InputSpec in) {
        return in.withRange(low, high, InputSpec.RangeSource.GIVEN);
    }

    /** "0..255" with short numbers. */
    public static String text(double low, double high) {
        return num(low) + ".." + num(high);
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
