package ebnn.codegen.c.gen;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import ebnn.api.InvalidModelException;

/**
 * Turns model, block and label names (which come from model files, i.e. from anyone) into text
 * that cannot change the meaning of the generated C: identifiers of [a-z0-9_] only, comment text
 * without any character that could end a comment, start a preprocessor line, splice lines or form
 * a trigraph, and string literals with every unusual byte as an octal escape.
 */
public final class Names {
    private Names() {
    }

    private static final int MAX_SYMBOL = 40;

    private static final Set<String> C_KEYWORDS = Set.of("auto", "break", "case", "char", "const", "continue", "default", "do",
            "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict",
            "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
            "volatile", "while");

    /** A C identifier fragment derived from any name: lower-case letters, digits and single underscores. */
    public static String symbol(String name) {
        String s = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (s.length() > MAX_SYMBOL)
            s = s.substring(0, MAX_SYMBOL).replaceAll("_+$", "");
        if (s.isEmpty())
            s = "model";
        if (Character.isDigit(s.charAt(0)))
            s = "m" + s;
        if (s.equals(RUNTIME_SYMBOL)) // a model named "rt" would write ebnn_rt.h over the runtime header
            s = s + "_model";
        return s;
    }

    /** The runtime header is ebnn_rt.h: no model symbol may be "rt" in any case (case-insensitive file systems). */
    private static final String RUNTIME_SYMBOL = "rt";

    /** A symbol the user asked for: must already be a plain identifier fragment (no silent renaming of an explicit choice). */
    public static String explicitSymbol(String symbol) {
        if (!symbol.matches("[A-Za-z][A-Za-z0-9_]{0,39}") || C_KEYWORDS.contains(symbol) || symbol.equalsIgnoreCase(RUNTIME_SYMBOL))
            throw new InvalidModelException("symbol '" + comment(symbol)
                    + "' is not usable as a C identifier prefix: use 1 to 40 letters, digits or '_', starting with a letter");
        return symbol;
    }

    /**
     * Text safe inside a C block comment: printable ASCII letters, digits and a few punctuation
     * characters stay; everything else (including '*', '/', '\\', '?', '#', quotes, newlines and
     * non-ASCII) becomes %XX of its UTF-8 bytes, so "*&#47;", line splices and "??/" cannot occur.
     */
    public static String comment(String text) {
        if (text == null)
            return "";
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 128 || " _.,:;()[]+-=<>'".indexOf(c) >= 0)
                sb.append((char) c);
            else
                sb.append('%').append(String.format("%02X", c));
            if (sb.length() > 200) {
                sb.append("...");
                break;
            }
        }
        return sb.toString();
    }

    /** A C string literal (with quotes) whose bytes are the UTF-8 of {@code text}. */
    public static String stringLiteral(String text) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 128 || " _.,:;()[]+-=<>".indexOf(c) >= 0)
                sb.append((char) c);
            else
                sb.append(String.format("\\%03o", c));
        }
        return sb.append('"').toString();
    }

    /** A single-line value for a properties file (Arduino library.properties): no line breaks, no control characters. */
    public static String propertyValue(String text) {
        String s = text == null ? "" : text.replaceAll("[\\p{Cntrl}\\\\]", " ").strip();
        return s.length() > 120 ? s.substring(0, 120) : s;
    }
}
