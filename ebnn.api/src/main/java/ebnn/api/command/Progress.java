package ebnn.api.command;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of long work within a step (an epoch of training), on standard error: a bar redrawn in
 * place on a terminal (done, rate, ETA, running loss), a plain line every {@code ebnn.progress.seconds}
 * (default 10) otherwise, nothing at all with {@code --json} (whose events are the progress then).
 * Lines printed through {@link #line} first clear the bar, so they never mix with it.
 */
public final class Progress {
    enum Mode {
        BAR, LINES, OFF
    }

    private final PrintStream err;
    private final Mode mode;
    private final long intervalNanos;
    private long last = System.nanoTime();
    private boolean barShown;

    Progress(PrintStream err, Mode mode, long intervalNanos) {
        this.err = err;
        this.mode = mode;
        this.intervalNanos = intervalNanos;
    }

    /** The progress of the command running in this context. */
    public static Progress of(Ctx ctx) {
        boolean terminal = ctx.terminal();
        Mode mode = ctx.json() ? Mode.OFF : terminal ? Mode.BAR : Mode.LINES;
        double seconds = terminal ? 0.2 : Double.parseDouble(System.getProperty("ebnn.progress.seconds", "10"));
        return new Progress(ctx.err(), mode, (long) (seconds * 1e9));
    }

    /**
     * Work in progress: {@code done} of {@code total} samples of step {@code step} of {@code steps}
     * ("epoch"), {@code seconds} into the step, with the running loss.
     */
    public synchronized void update(String what, String stepName, int step, int steps, long done, long total, double seconds, double loss) {
        if (mode == Mode.OFF)
            return;
        long now = System.nanoTime();
        if (now - last < intervalNanos && done < total)
            return;
        last = now;
        double rate = done / Math.max(seconds, 1e-9);
        double stepLeft = (total - done) / Math.max(rate, 1e-9);
        double allLeft = stepLeft + (steps - step) * (total / Math.max(rate, 1e-9));
        String eta = "ETA " + duration(allLeft);
        if (mode == Mode.BAR) {
            int width = 24, filled = (int) (width * done / Math.max(1, total));
            err.print(String.format(Locale.ROOT, "\r\033[K%s %s %d/%d [%s%s] %,d/%,d  %,.0f samples/s  %s  loss %.4f", what, stepName, step, steps,
                    "=".repeat(filled), " ".repeat(width - filled), done, total, rate, eta, loss));
            barShown = true;
        } else {
            err.println(String.format(Locale.ROOT, "%s %s %d/%d: %,d of %,d samples, %,.0f samples/s, %s, loss %.4f", what, stepName, step, steps,
                    done, total, rate, eta, loss));
        }
        err.flush();
    }

    /** A line of its own (an epoch's summary, a message): replaces the bar, which the next update redraws. */
    public synchronized void line(String text) {
        if (barShown) {
            err.print("\r\033[K");
            barShown = false;
        }
        err.println(text);
        err.flush();
        last = System.nanoTime();
    }

    /** Clears the bar when the work ends. */
    public synchronized void done() {
        if (barShown) {
            err.print("\r\033[K");
            err.flush();
            barShown = false;
        }
    }

    static String duration(double s) {
        if (!Double.isFinite(s))
            return "?";
        long t = Math.round(s);
        if (t < 60)
            return t + " s";
        if (t < 3600)
            return t / 60 + " min " + t % 60 + " s";
        return t / 3600 + " h " + t % 3600 / 60 + " min";
    }
}
