package ebnn.api.command;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class ProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void barOnATerminalIsRedrawnInPlaceAndClearedByALine() {
        Progress p = new Progress(err, Progress.Mode.BAR, 0);
        p.update("tfc", "epoch", 2, 10, 2_500, 10_000, 5.0, 0.4321);
        p.line("tfc epoch 2/10 done");
        String t = text();
        assertEquals("\r\033[Ktfc epoch 2/10 [======                  ] 2,500/10,000  500 samples/s  ETA 2 min 55 s  loss 0.4321"
                + "\r\033[Ktfc epoch 2/10 done\n", t.replace(System.lineSeparator(), "\n"));
    }

    @Test
    public void plainLinesWhenNotATerminalAtMostOncePerInterval() {
        Progress p = new Progress(err, Progress.Mode.LINES, 3_600_000_000_000L);
        p.update("tfc", "epoch", 1, 1, 100, 1_000, 1.0, 1.0); // within the interval of the start: not shown
        p.update("tfc", "epoch", 1, 1, 1_000, 1_000, 2.0, 0.5); // the end of the step always is
        String t = text();
        assertEquals("tfc epoch 1/1: 1,000 of 1,000 samples, 500 samples/s, ETA 0 s, loss 0.5000\n", t.replace(System.lineSeparator(), "\n"));
        assertTrue(!t.contains("\r"));
    }

    @Test
    public void silentWithJson() {
        Progress p = new Progress(err, Progress.Mode.OFF, 0);
        p.update("tfc", "epoch", 1, 1, 1_000, 1_000, 2.0, 0.5);
        p.done();
        assertEquals("", text());
    }
}
