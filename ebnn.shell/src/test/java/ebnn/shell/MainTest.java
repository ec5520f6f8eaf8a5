package ebnn.shell;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.junit.Test;

public class MainTest {
    @Test
    public void quotesOnlyWhatGogoWouldInterpret() {
        assertEquals("model.ebnn", Main.quote("model.ebnn"));
        assertEquals("--device", Main.quote("--device"));
        assertEquals("/tmp/a-b_c/x.ebnn", Main.quote("/tmp/a-b_c/x.ebnn"));
        assertEquals("'my model.ebnn'", Main.quote("my model.ebnn"));
        assertEquals("'$HOME'", Main.quote("$HOME"));
        assertEquals("'it'\\''s'", Main.quote("it's"));
        assertEquals("''", Main.quote(""));
        assertEquals("ebnn:info 'a b' --json", Main.commandLine(List.of("ebnn:info", "a b", "--json")));
    }
}
