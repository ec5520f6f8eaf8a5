package ebnn.onnx.internal;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;

/**
 * The README's list of supported ops and exporters is the op table's: this fails when one changes
 * without the other. Regenerate with {@code -Debnn.readme.write=true}.
 */
public class ReadmeOpsTest {
    static final String BEGIN = "<!-- onnx-ops: generated from ebnn.onnx.internal.OpTable by ReadmeOpsTest -->\n", END = "<!-- /onnx-ops -->";

    @Test
    public void readmeListsTheOpTable() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        int b = text.indexOf(BEGIN), e = text.indexOf(END);
        String want = OpTable.markdown();
        if (Boolean.getBoolean("ebnn.readme.write") && b >= 0 && e > b) {
            Files.writeString(readme, text.substring(0, b + BEGIN.length()) + want + text.substring(e));
            return;
        }
        if (b < 0 || e < b)
            throw new AssertionError("README.md has no generated op list (" + BEGIN.trim() + " ... " + END + ")");
        assertEquals("README.md's op list differs from the op table; run this test with -Debnn.readme.write=true", want,
                text.substring(b + BEGIN.length(), e));
    }
}
