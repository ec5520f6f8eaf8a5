package ebnn.reference.onnx;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The op table, keyed by (domain, op type) as nodes name them. The QONNX/FINN custom ops live in
 * several domains, which files use without declaring them in opset_import: all of them map to one.
 */
final class Ops {
    /** The domains of the QONNX/FINN custom ops. */
    static final Set<String> CUSTOM_DOMAINS = Set.of("finn", "finn.custom_op.general", "qonnx.custom_op.general", "onnx.brevitas",
            "qonnx");
    private static final String CUSTOM = "qonnx";

    private static final Map<String, Op> TABLE = new TreeMap<>();

    static {
        Elementwise.register();
        ShapeOps.register();
        NnOps.register();
        QuantOps.register();
    }

    private Ops() {
    }

    static void standard(String op, Op impl) {
        put("", op, impl);
    }

    static void custom(String op, Op impl) {
        put(CUSTOM, op, impl);
    }

    private static void put(String domain, String op, Op impl) {
        if (TABLE.put(domain + "/" + op, impl) != null)
            throw new IllegalStateException("op registered twice: " + domain + "/" + op);
    }

    /** The op, or null when the interpreter does not know it. */
    static Op find(String domain, String op) {
        return TABLE.get(canonical(domain) + "/" + op);
    }

    static String canonical(String domain) {
        String d = domain == null ? "" : domain.toLowerCase(Locale.ROOT);
        if (d.equals("ai.onnx"))
            return "";
        return CUSTOM_DOMAINS.contains(d) ? CUSTOM : d;
    }

    /** "Abs, Add, ... ; custom: BipolarQuant, ..." for messages and docs. */
    static String names() {
        StringBuilder std = new StringBuilder(), cus = new StringBuilder();
        for (String k : TABLE.keySet()) {
            StringBuilder sb = k.startsWith("/") ? std : cus;
            sb.append(sb.length() == 0 ? "" : " ").append(k.substring(k.indexOf('/') + 1));
        }
        return std + "; QONNX/FINN: " + cus;
    }
}
