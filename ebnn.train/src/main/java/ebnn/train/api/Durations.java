package ebnn.train.api;

import java.util.Locale;

/** The one reading of a duration option (`--time-budget`, a timeout) shared by the shell and the Spark entry point. */
public final class Durations {
    private Durations() {
    }

    /**
     * "90" (seconds), "90s", "500ms", "5m", "1h" to milliseconds (at least 1).
     *
     * @throws IllegalArgumentException naming the option, for anything else, zero, negative or absurdly long
     */
    public static long millis(String option, String text) {
        String v = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        long unit = 1000;
        int cut = 0;
        if (v.endsWith("ms")) {
            unit = 1;
            cut = 2;
        } else if (v.endsWith("s")) {
            cut = 1;
        } else if (v.endsWith("m")) {
            unit = 60_000;
            cut = 1;
        } else if (v.endsWith("h")) {
            unit = 3_600_000;
            cut = 1;
        }
        try {
            String number = v.substring(0, v.length() - cut);
            // plain decimals only: Double.parseDouble would also take "5d", "5f", "0x1p3" or "Infinity"
            if (!number.matches("[0-9]+(\\.[0-9]*)?|\\.[0-9]+"))
                throw new NumberFormatException();
            double d = Double.parseDouble(number);
            if (!(d > 0) || d * unit > 1e11)
                throw new NumberFormatException();
            return Math.max(1, (long) (d * unit));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + " must be a duration such as 90s, 5m or 1h, not '" + text + "'");
        }
    }
}
