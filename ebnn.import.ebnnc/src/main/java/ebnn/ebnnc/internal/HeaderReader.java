package ebnn.ebnnc.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ebnn.api.ModelFormatException;

/**
 * A strict reader of exactly the grammar eBNN's generator writes (not a C parser):
 * <pre>
 *   header  := '#include "ebnn.h"' decl* temps compute
 *   decl    := array | layer
 *   array   := ('float' | 'uint8_t') NAME '[' INT ']' '=' '{' number (',' number)* '}' ';'
 *   layer   := 'void' NAME '(' ('float' | 'uint8_t') '*' 'input' ',' 'uint8_t' '*' 'output' ')' '{' call '}'
 *   call    := FUNCTION '(' arg (',' arg)* ')' ';'           -- arg: an identifier or an integer literal
 *   temps   := 'uint8_t' ('temp1' | 'temp2') '[' INT ']' '=' '{' '0' '}' ';'   (both, either order)
 *   compute := 'void' 'ebnn_compute' '(' T '*' 'input' ',' 'uint8_t' '*' 'output' ')' '{' (NAME '(' buf ',' buf ')' ';')+ '}'
 * </pre>
 * Whitespace is free; comments, preprocessor lines other than the include, and anything else are
 * errors naming the line. Every name is declared once, before it is used.
 */
final class HeaderReader {
    /** Values in one array, and literals in the whole file: bounds memory on hostile input. */
    static final int MAX_VALUES = 1 << 24;

    private final String where;
    private final List<Token> tokens;
    private int pos;

    private HeaderReader(String where, List<Token> tokens) {
        this.where = where;
        this.tokens = tokens;
    }

    static Header read(String where, String text) {
        return new HeaderReader(where, Lexer.tokens(where, text)).header();
    }

    /** Whether these first bytes begin an eBNN header (its include line, after optional blank space). */
    static boolean looksLikeHeader(byte[] head) {
        String s = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).stripLeading();
        return s.startsWith("#include \"ebnn.h\"") || s.startsWith("#include\"ebnn.h\"");
    }

    private Header header() {
        Token first = peek();
        if (!first.is("#"))
            throw error(first, "an eBNN header starts with #include \"ebnn.h\", found " + first.describe());
        next();
        expectWord("include");
        Token inc = next();
        if (inc.kind != Kind.STRING || !inc.text.equals("\"ebnn.h\""))
            throw error(inc, "an eBNN header includes \"ebnn.h\", found " + inc.describe());
        Map<String, Header.ArrayDecl> arrays = new LinkedHashMap<>();
        Map<String, Header.LayerDef> layers = new LinkedHashMap<>();
        Map<String, Integer> temps = new LinkedHashMap<>();
        long literals = 0;
        while (true) {
            Token t = peek();
            if (t.kind == Kind.EOF)
                throw error(t, "file ends before ebnn_compute (truncated header?)");
            if (t.isWord("void")) {
                Token name = tokens.get(pos + 1);
                if (name.isWord("ebnn_compute")) {
                    if (temps.size() != 2)
                        throw error(name, "ebnn_compute comes before temp1 and temp2 are both declared");
                    Header h = compute(arrays, layers, temps);
                    Token end = peek();
                    if (end.kind != Kind.EOF)
                        throw error(end, "nothing may follow ebnn_compute, found " + end.describe());
                    return h;
                }
                Header.LayerDef l = layer(arrays, layers);
                layers.put(l.name(), l);
            } else if (t.isWord("float") || t.isWord("uint8_t")) {
                Header.ArrayDecl a = array(arrays, layers, temps, MAX_VALUES - literals);
                if (a != null) {
                    arrays.put(a.name(), a);
                    literals += a.values().length;
                }
            } else {
                throw error(t, "expected an array, a layer function or ebnn_compute, found " + t.describe());
            }
        }
    }

    private Header.ArrayDecl array(Map<String, Header.ArrayDecl> arrays, Map<String, Header.LayerDef> layers, Map<String, Integer> temps,
            long budget) {
        Token type = next();
        Token name = ident();
        boolean temp = name.text.equals("temp1") || name.text.equals("temp2");
        if (arrays.containsKey(name.text) || layers.containsKey(name.text) || temps.containsKey(name.text))
            throw error(name, "'" + name.text + "' is declared twice");
        expect("[");
        Token sizeTok = next();
        long size = sizeTok.integer();
        if (sizeTok.kind != Kind.NUMBER || size <= 0 || size > MAX_VALUES)
            throw error(sizeTok, "array size of '" + name.text + "' must be an integer literal in 1.." + MAX_VALUES + ", found "
                    + sizeTok.describe());
        expect("]");
        expect("=");
        expect("{");
        if (temp) {
            if (!type.isWord("uint8_t"))
                throw error(type, name.text + " must be a uint8_t array");
            Token zero = next();
            if (!zero.text.equals("0"))
                throw error(zero, name.text + " is initialised with {0} in eBNN's headers, found " + zero.describe());
            expect("}");
            expect(";");
            temps.put(name.text, (int) size);
            return null;
        }
        boolean bytes = type.isWord("uint8_t");
        double[] values = new double[(int) Math.min(size, 1 << 16)];
        int n = 0;
        while (true) {
            Token v = next();
            if (v.kind != Kind.NUMBER)
                throw error(v, "array '" + name.text + "' holds numeric literals only, found " + v.describe());
            if (n >= size)
                throw error(v, "array '" + name.text + "' is declared with " + size + " values but has more");
            if (n >= budget)
                throw error(v, "the header holds more than " + MAX_VALUES + " values");
            if (n == values.length)
                values = java.util.Arrays.copyOf(values, (int) Math.min(size, 2L * values.length));
            values[n++] = bytes ? byteValue(v, name.text) : floatValue(v, name.text);
            Token sep = next();
            if (sep.is("}"))
                break;
            if (!sep.is(","))
                throw error(sep, "expected ',' or '}' in array '" + name.text + "', found " + sep.describe());
        }
        expect(";");
        if (n != size)
            throw error(name, "array '" + name.text + "' is declared with " + size + " values but has " + n);
        return new Header.ArrayDecl(type.text, name.text, (int) size, values.length == n ? values : java.util.Arrays.copyOf(values, n),
                name.line);
    }

    private double byteValue(Token v, String array) {
        if (!v.text.matches("[0-9]{1,3}") || Integer.parseInt(v.text) > 255)
            throw error(v, "uint8_t array '" + array + "' holds integers 0..255, found " + v.describe());
        return Integer.parseInt(v.text);
    }

    /** The value C gives a float initialiser: the literal is a double constant, converted to float. */
    private double floatValue(Token v, String array) {
        double d;
        try {
            d = Double.parseDouble(v.text);
        } catch (NumberFormatException e) {
            throw error(v, "float array '" + array + "' holds a malformed number " + v.describe());
        }
        float f = (float) d;
        if (!Float.isFinite(f))
            throw error(v, "float array '" + array + "' holds " + v.text + ", which is not a finite float");
        return f;
    }

    private Header.LayerDef layer(Map<String, Header.ArrayDecl> arrays, Map<String, Header.LayerDef> layers) {
        Token v = next();
        Token name = ident();
        if (arrays.containsKey(name.text) || layers.containsKey(name.text) || name.text.startsWith("temp"))
            throw error(name, "'" + name.text + "' is declared twice");
        String inType = signature(name.text);
        expect("{");
        Token fn = ident();
        expect("(");
        List<Header.Arg> args = new ArrayList<>();
        while (true) {
            Token a = next();
            if (a.kind == Kind.WORD) {
                args.add(new Header.Arg(a.text, null, a.text, a.line));
            } else if (a.kind == Kind.NUMBER && a.text.matches("-?[0-9]{1,9}")) {
                args.add(new Header.Arg(null, Long.parseLong(a.text), a.text, a.line));
            } else if (a.kind == Kind.EOF) {
                throw error(a, "file ends inside the call of " + fn.text + " (truncated header?)");
            } else {
                throw error(a, "argument " + (args.size() + 1) + " of " + fn.text + " must be a name or an integer literal, found " + a.describe());
            }
            if (args.size() > 64)
                throw error(a, fn.text + " has more than 64 arguments");
            Token sep = next();
            if (sep.is(")"))
                break;
            if (!sep.is(","))
                throw error(sep, "expected ',' or ')' in the call of " + fn.text + ", found " + sep.describe());
        }
        expect(";");
        expect("}");
        return new Header.LayerDef(name.text, inType, new Header.Call(fn.text, args, fn.line), v.line);
    }

    /** {@code (T* input, uint8_t* output)}: returns T. */
    private String signature(String function) {
        expect("(");
        Token t = next();
        if (!t.isWord("float") && !t.isWord("uint8_t"))
            throw error(t, function + "'s input is float* or uint8_t*, found " + t.describe());
        expect("*");
        expectWord("input");
        expect(",");
        expectWord("uint8_t");
        expect("*");
        expectWord("output");
        expect(")");
        return t.text;
    }

    private Header compute(Map<String, Header.ArrayDecl> arrays, Map<String, Header.LayerDef> layers, Map<String, Integer> temps) {
        Token v = next();
        next(); // ebnn_compute
        String inType = signature("ebnn_compute");
        expect("{");
        List<Header.Step> steps = new ArrayList<>();
        while (!peek().is("}")) {
            Token name = ident();
            if (!layers.containsKey(name.text))
                throw error(name, "ebnn_compute calls '" + name.text + "', which is not a layer function declared above");
            expect("(");
            Token in = ident();
            expect(",");
            Token out = ident();
            expect(")");
            expect(";");
            for (Token b : List.of(in, out))
                if (!b.text.equals("input") && !b.text.equals("output") && !temps.containsKey(b.text))
                    throw error(b, "ebnn_compute passes '" + b.text + "'; only input, output, temp1 and temp2 exist");
            steps.add(new Header.Step(name.text, in.text, out.text, name.line));
            if (steps.size() > 1024)
                throw error(name, "ebnn_compute calls more than 1024 layers");
        }
        expect("}");
        if (steps.isEmpty())
            throw error(v, "ebnn_compute calls no layer");
        return new Header(arrays, layers, temps, steps, inType, v.line);
    }

    private Token ident() {
        Token t = next();
        if (t.kind != Kind.WORD)
            throw error(t, "expected a name, found " + t.describe());
        return t;
    }

    private void expect(String punct) {
        Token t = next();
        if (!t.is(punct))
            throw error(t, "expected '" + punct + "', found " + t.describe());
    }

    private void expectWord(String word) {
        Token t = next();
        if (!t.isWord(word))
            throw error(t, "expected '" + word + "', found " + t.describe());
    }

    private Token peek() {
        return tokens.get(Math.min(pos, tokens.size() - 1));
    }

    private Token next() {
        Token t = peek();
        if (pos < tokens.size() - 1)
            pos++;
        return t;
    }

    private ModelFormatException error(Token t, String what) {
        return new ModelFormatException(where + " line " + t.line + ": " + what);
    }

    enum Kind {
        WORD, NUMBER, STRING, PUNCT, EOF
    }

    record Token(Kind kind, String text, int line) {
        boolean is(String punct) {
            return kind == Kind.PUNCT && text.equals(punct);
        }

        boolean isWord(String w) {
            return kind == Kind.WORD && text.equals(w);
        }

        long integer() {
            return kind == Kind.NUMBER && text.matches("[0-9]{1,9}") ? Long.parseLong(text) : -1;
        }

        String describe() {
            return switch (kind) {
            case EOF -> "the end of the file (truncated header?)";
            case STRING -> "a string";
            default -> "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
            };
        }
    }

    /** Splits the text into words, numbers, the include's string and punctuation, with line numbers. */
    static final class Lexer {
        private Lexer() {
        }

        static List<Token> tokens(String where, String s) {
            List<Token> out = new ArrayList<>();
            int line = 1, i = 0, n = s.length();
            while (i < n) {
                char c = s.charAt(i);
                if (c == '\n') {
                    line++;
                    i++;
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    i++;
                } else if (Character.isLetter(c) && c < 128 || c == '_') {
                    int j = i;
                    while (j < n && (s.charAt(j) < 128 && Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_'))
                        j++;
                    if (j - i > 256)
                        throw new ModelFormatException(where + " line " + line + ": a name longer than 256 characters");
                    out.add(new Token(Kind.WORD, s.substring(i, j), line));
                    i = j;
                } else if (c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.') {
                    int j = number(s, i);
                    if (j == i)
                        throw new ModelFormatException(where + " line " + line + ": '" + c + "' does not start a number");
                    if (j - i > 64)
                        throw new ModelFormatException(where + " line " + line + ": a number longer than 64 characters");
                    out.add(new Token(Kind.NUMBER, s.substring(i, j), line));
                    i = j;
                } else if (c == '"') {
                    int j = i + 1;
                    while (j < n && s.charAt(j) != '"' && s.charAt(j) != '\n' && j - i < 64)
                        j++;
                    if (j >= n || s.charAt(j) != '"')
                        throw new ModelFormatException(where + " line " + line + ": unterminated string");
                    out.add(new Token(Kind.STRING, s.substring(i, j + 1), line));
                    i = j + 1;
                } else if ("#()[]{},;=*".indexOf(c) >= 0) {
                    out.add(new Token(Kind.PUNCT, String.valueOf(c), line));
                    i++;
                } else {
                    String shown = c >= 32 && c < 127 ? "'" + c + "'" : String.format("U+%04X", (int) c);
                    throw new ModelFormatException(where + " line " + line + ": character " + shown
                            + " is not part of eBNN's generated header grammar" + (c == '/' ? " (comments are not either)" : ""));
                }
            }
            out.add(new Token(Kind.EOF, "", line));
            return out;
        }

        /** End of a C decimal literal at i: [+-]? digits [. digits] [e [+-] digits], or i if none. */
        private static int number(String s, int i) {
            int n = s.length(), j = i;
            if (j < n && (s.charAt(j) == '-' || s.charAt(j) == '+'))
                j++;
            int digits = j;
            while (j < n && Character.isDigit(s.charAt(j)))
                j++;
            if (j < n && s.charAt(j) == '.') {
                j++;
                while (j < n && Character.isDigit(s.charAt(j)))
                    j++;
            }
            if (j == digits || j == digits + 1 && s.charAt(digits) == '.')
                return i;
            if (j < n && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
                int k = j + 1;
                if (k < n && (s.charAt(k) == '-' || s.charAt(k) == '+'))
                    k++;
                int e = k;
                while (k < n && Character.isDigit(s.charAt(k)))
                    k++;
                if (k == e)
                    return i;
                j = k;
            }
            return j;
        }
    }
}
