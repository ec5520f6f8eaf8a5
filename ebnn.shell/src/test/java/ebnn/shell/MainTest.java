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

    @Test
    public void closestNamesForATypo() {
        List<String> names = List.of("backends", "classify", "compile", "demo", "devices", "discover", "info", "memory", "train");
        assertEquals(List.of("info"), Main.closest("infoo", names));
        assertEquals(List.of("devices"), Main.closest("devcies", names));
        assertEquals(List.of("compile"), Main.closest("compiel", names));
        assertEquals(List.of("demo", "devices"), Main.closest("de", names));
        assertEquals(List.of(), Main.closest("frobnicate", names));
        assertEquals("error: unknown command 'ebnn:trian'; did you mean train? ('help' lists the ebnn commands)",
                Main.unknown("ebnn:trian", names));
    }
}
