package ebnn.ebnnc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;

/** The README's list of eBNN layer functions is the translator table's, line for line. */
public class LayerFunctionsDocTest {
    @Test
    public void readmeListsTheTable() throws Exception {
        Path readme = Path.of("../README.md");
        assertTrue(readme.toAbsolutePath().toString(), Files.isRegularFile(readme));
        List<String> listed = Files.readAllLines(readme).stream().filter(l -> l.matches("- [a-z_]+_layer: .*")).map(l -> l.substring(2)).toList();
        List<String> table = LayerFunctions.all().values().stream().map(LayerFunction::summary).toList();
        assertEquals(table, listed);
        for (String name : LayerFunctions.all().keySet())
            assertEquals(name, LayerFunctions.get(name).name());
    }
}
