package ebnn.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class ArgsTest {
    private final Args.Options memory = Args.options().positional("MODEL").option("device", "D").option("limit", "N").flag("json");

    @Test
    public void parsesPositionalsOptionsAndFlags() {
        Args a = memory.parse("m.ebnn", "--device", "atmega328p", "--json");
        assertEquals("m.ebnn", a.positional(0));
        assertEquals("atmega328p", a.required("device"));
        assertTrue(a.flag("json"));
        assertNull(a.value("limit"));
        assertEquals(7, a.positiveInt("limit", 7));
    }

    @Test
    public void acceptsEqualsForm() {
        Args a = memory.parse("--device=cortex-m4", "m.ebnn", "--limit=5");
        assertEquals("cortex-m4", a.value("device"));
        assertEquals(5, a.positiveInt("limit", 1));
        assertFalse(a.flag("json"));
    }

    @Test
    public void rejectsWhatItDoesNotKnow() {
        UsageException e = assertThrows(UsageException.class, () -> memory.parse("m", "--devise", "x"));
        assertTrue(e.getMessage(), e.getMessage().contains("--devise") && e.getMessage().contains("--device"));
        assertThrows(UsageException.class, () -> memory.parse("m", "--device"));
        assertThrows(UsageException.class, () -> memory.parse());
        assertThrows(UsageException.class, () -> memory.parse("a", "b"));
        assertThrows(UsageException.class, () -> memory.parse("m", "--json=yes"));
        assertThrows(UsageException.class, () -> memory.parse("m", "--limit", "x").positiveInt("limit", 1));
        assertThrows(UsageException.class, () -> memory.parse("m", "--limit", "0").positiveInt("limit", 1));
        assertThrows(UsageException.class, () -> memory.parse("m").required("device"));
    }

    @Test
    public void helpNeedsNoPositionals() {
        assertTrue(memory.parse("--help").flag("help"));
        assertTrue(memory.parse("-h").flag("help"));
    }

    @Test
    public void doubleDashEndsOptions() {
        assertEquals("--odd-name.ebnn", memory.parse("--", "--odd-name.ebnn").positional(0));
    }

    @Test
    public void everyModelCommandTakesAnInputRange() {
        Args.Options info = Args.options().model("MODEL").flag("json");
        ebnn.api.model.InputRange r = info.parse("m.onnx", "--input-range", "0,65025").inputRange();
        assertEquals(0, r.low(), 0);
        assertEquals(65025, r.high(), 0);
        assertEquals(-1, info.parse("m.onnx", "--input-range=-1,1").inputRange().low(), 0);
        assertNull(info.parse("m.onnx").inputRange());
        UsageException e = assertThrows(UsageException.class, () -> info.parse("m.onnx", "--input-range", "1,0").inputRange());
        assertTrue(e.getMessage(), e.getMessage().startsWith("--input-range: input range"));
        assertThrows(UsageException.class, () -> info.parse("m.onnx", "--input-range", "zero,one").inputRange());
    }
}
