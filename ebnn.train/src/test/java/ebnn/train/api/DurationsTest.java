package ebnn.train.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class DurationsTest {
    @Test
    public void unitsAndBareSeconds() {
        assertEquals(90_000, Durations.millis("t", "90"));
        assertEquals(90_000, Durations.millis("t", "90s"));
        assertEquals(500, Durations.millis("t", "500ms"));
        assertEquals(300_000, Durations.millis("t", " 5M "));
        assertEquals(5_400_000, Durations.millis("t", "1.5h"));
    }

    @Test
    public void nonsenseNamesTheOption() {
        for (String bad : new String[] { "", "0", "-3s", "fast", "5d", "NaNs", "1e12h", null }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.millis("time-budget", bad));
            assertTrue(e.getMessage(), e.getMessage().startsWith("--time-budget must be a duration"));
        }
    }
}
