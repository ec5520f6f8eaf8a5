package ebnn.api.command;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** A minimal JSON writer for the {@code --json} output: maps, collections, arrays of ints, strings, numbers, booleans. */
public final class Json {
    private Json() {
    }

    /** An insertion-ordered map for building objects: {@code Json.obj("a", 1, "b", "x")}. */
    public static Map<String, Object> obj(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2)
            m.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        return m;
    }

    /** A value on one line: one event of a stream of JSON events (train's epochs). */
    public static String line(Object value) {
        return write(value).replaceAll("\\n\\s*", " ");
    }

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Double d) {
            sb.append(Double.isFinite(d) ? Double.toString(d) : "null");
        } else if (v instanceof Float f) {
            sb.append(Float.isFinite(f) ? Float.toString(f) : "null");
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "\n" : ",\n");
                first = false;
                pad(sb, indent + 1);
                quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), indent + 1);
            }
            sb.append("\n");
            pad(sb, indent);
            sb.append("}");
        } else if (v instanceof Collection<?> c) {
            if (c.isEmpty()) {
                sb.append("[]");
                return;
            }
            boolean scalars = c.stream().allMatch(x -> !(x instanceof Map || x instanceof Collection));
            sb.append("[");
            boolean first = true;
            for (Object x : c) {
                if (scalars) {
                    sb.append(first ? "" : ", ");
                } else {
                    sb.append(first ? "\n" : ",\n");
                    pad(sb, indent + 1);
                }
                first = false;
                write(sb, x, indent + 1);
            }
            if (!scalars) {
                sb.append("\n");
                pad(sb, indent);
            }
            sb.append("]");
        } else if (v instanceof int[] a) {
            sb.append("[");
            for (int i = 0; i < a.length; i++)
                sb.append(i == 0 ? "" : ", ").append(a[i]);
            sb.append("]");
        } else if (v instanceof Enum<?> e) {
            quote(sb, e.name().toLowerCase(java.util.Locale.ROOT));
        } else {
            quote(sb, v.toString());
        }
    }

    private static void pad(StringBuilder sb, int indent) {
        for (int i = 0; i < indent; i++)
            sb.append("  ");
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            default -> {
                if (c < 0x20)
                    sb.append(String.format("\\u%04x", (int) c));
                else
                    sb.append(c);
            }
            }
        }
        sb.append('"');
    }
}
