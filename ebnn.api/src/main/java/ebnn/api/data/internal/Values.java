package ebnn.api.data.internal;

import java.util.Locale;

import ebnn.api.data.DataException;

/**
 * Data values to the model's input bytes through its input range: byte 0 is {@code low}, 255 is
 * {@code high}; a value converts to the nearest byte. uint8 data are the bytes themselves. A value
 * outside the range (beyond half a step), NaN or infinite is an error, never clipped.
 */
final class Values {
    private final double low, high, scale;

    Values(double low, double high) {
        this.low = low;
        this.high = high;
        this.scale = 255.0 / (high - low);
    }

    byte toByte(double v, String source, long sample, long position) {
        return toByte(v, source, sample, position, null);
    }

    /** @param dims the sample's axes in file order, to name the position by its coordinates; or null */
    byte toByte(double v, String source, long sample, long position, long[] dims) {
        double b = (v - low) * scale;
        // half a step of slack: 1/255 written as float32 and the like still land on their byte
        if (!(b >= -0.5 && b < 255.5))
            throw new DataException(source + ": sample " + sample + ", value " + position + at(position, dims) + " is " + fmt(v) + ", outside the model's input range "
                    + fmt(low) + ".." + fmt(high) + (Double.isFinite(v) && v > high && v <= 255 && high < 255 ? " (raw 0..255 values for a model that takes " + fmt(low) + ".." + fmt(high) + "?)" : ""));
        return (byte) Math.round(b);
    }

    /** " (at [y, x])" for a position in a sample of more than one axis. */
    static String at(long position, long[] dims) {
        if (dims == null || dims.length < 2)
            return "";
        long[] c = new long[dims.length];
        for (int a = dims.length - 1; a >= 0; a--) {
            c[a] = position % dims[a];
            position /= dims[a];
        }
        return " (at " + java.util.Arrays.toString(c) + ")";
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15)
            return Long.toString((long) v);
        return String.format(Locale.ROOT, "%s", v);
    }
}
