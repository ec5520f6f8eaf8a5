package ebnn.api.command;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.junit.Test;

public class JsonTest {
    @Test
    public void writesNestedValues() {
        String s = Json.write(Json.obj("a", 1, "b", "x\"y\n", "c", List.of(1, 2), "d", null, "e", new int[] { 3 }, "f", Double.NaN));
        assertEquals("{\n  \"a\": 1,\n  \"b\": \"x\\\"y\\n\",\n  \"c\": [1, 2],\n  \"d\": null,\n  \"e\": [3],\n  \"f\": null\n}", s);
        assertEquals("[]", Json.write(List.of()));
        assertEquals("[\n  {\n    \"k\": true\n  }\n]", Json.write(List.of(Json.obj("k", true))));
    }
}
