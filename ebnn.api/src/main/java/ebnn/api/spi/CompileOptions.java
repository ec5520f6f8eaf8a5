package ebnn.api.spi;

import java.util.Map;

/**
 * Options of a compile.
 *
 * @param symbol   C identifier prefix for generated symbols (null: derived from the model name)
 * @param arduino  lay the output out as an Arduino library
 * @param force    overwrite existing files in the output folder
 * @param extra    back-end specific options (e.g. "popcount" = "table")
 */
public record CompileOptions(String symbol, boolean arduino, boolean force, Map<String, String> extra) {
    public CompileOptions {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public static CompileOptions defaults() {
        return new CompileOptions(null, false, false, Map.of());
    }
}
