package ebnn.ebnnc.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * The table of eBNN layer functions ebnn translates, keyed by eBNN's function name. The walker
 * dispatches on it; the "unknown layer function" error and the README's list come from it.
 */
final class LayerFunctions {
    private static final Map<String, LayerFunction> TABLE = new TreeMap<>();

    static {
        for (LayerFunction f : new LayerFunction[] { new ConvFunction(true), new ConvFunction(false), new LinearFunction(false),
                new LinearFunction(true) })
            TABLE.put(f.name(), f);
    }

    private LayerFunctions() {
    }

    static LayerFunction get(String name) {
        return TABLE.get(name);
    }

    /** The known names, sorted, for messages. */
    static String names() {
        return String.join(", ", TABLE.keySet());
    }

    static Map<String, LayerFunction> all() {
        return java.util.Collections.unmodifiableMap(TABLE);
    }
}
