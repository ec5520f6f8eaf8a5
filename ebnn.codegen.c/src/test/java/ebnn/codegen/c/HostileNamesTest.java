package ebnn.codegen.c;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.CompileResult;
import ebnn.core.plan.MemoryPlanner;
import ebnn.core.toolchain.DefaultToolchain;

/**
 * Issue 8, hostile names: model, block and label names with quotes, comment ends, newlines, '#',
 * trigraphs, line splices, unicode (bidi overrides, zero-width, emoji, CJK), path separators,
 * "..", absolute paths, shell and format metacharacters, and names that collide with the files and
 * macros of the runtime. Compiled through the toolchain (plain folder and Arduino library):
 * <ul>
 * <li>every file lands inside the output folder, under a plain file name;</li>
 * <li>the C the compiler sees (after trigraphs, line splices and comments, i.e. its tokens, with
 * string literals and the model's symbol prefix set aside) is exactly the C generated for the same
 * model with plain names: a name can change comments and strings, never code;</li>
 * <li>the Makefile, CMakeLists.txt and library.properties have the same lines as for plain names
 * apart from comments and the symbol prefix;</li>
 * <li>a sample of them compiles (-Werror) and computes what the JVM runtime computes.</li>
 * </ul>
 * BadInputTest covers the escaping of one such name in detail; this covers the breadth.
 */
public class HostileNamesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static final List<String> HOSTILE = List.of(
            "../../../../tmp/ebnn-evil", "..", "/etc/passwd", "a/b\\c", "C:\\evil\\x", "~/x", ".",
            "quote\"'`", "*/ int pwned; /*", "// line", "#define ebnn_word int", "\n#include \"/dev/zero\"\n", "??/\nx ??= ??' ??!",
            "back\\\nslash", "\u202Eevil\u202C", "zero\u200Bwidth\uFEFF", "\uD83D\uDE00\uD83D\uDCA5", "名前-모델", "$(touch pwned)",
            "%s%n%x", "\0nul", "\t\r\f\u000b", "x".repeat(300),
            // names whose symbol collides with what the runtime header defines
            "rt", "RT", "r t", "word", "idx", "flash", "int", "__LINE__", "EBNN_RT_H");

    static BinaryModel hostileModel(String h, long seed) {
        return BadInputTest.model(h, h + "0", h, "#" + h, List.of(h, h + "\n#error", "*/" + h), 24, 12, seed);
    }

    static BinaryModel plainModel(long seed) {
        return BadInputTest.model("plain", "b0", "b1", "b2", List.of("l0", "l1", "l2"), 24, 12, seed);
    }

    /** The files the toolchain writes, relative name to text; and no file outside {@code out} within {@code sandbox}. */
    private static Map<String, String> compile(BinaryModel m, boolean arduino, Path sandbox) throws IOException {
        Path out = sandbox.resolve("out");
        DefaultToolchain tc = new DefaultToolchain();
        tc.addBackend(new CBackend());
        CompileResult r = tc.compile(m, "c", Device.named("host"), out, new CompileOptions(null, arduino, false, Map.of()));
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(sandbox)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                assertTrue("written outside the output folder: " + p, p.startsWith(out));
                String rel = out.relativize(p).toString();
                assertTrue("file name " + rel, rel.matches("[A-Za-z0-9_./-]+") && !rel.contains(".."));
                files.put(rel, Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        assertEquals("files reported = files written", files.size(), r.files().size());
        return files;
    }

    /** The symbol prefix: the name of the model header (ebnn_SYM.h, not the runtime's ebnn_rt.h), found by its include guard. */
    private static String prefix(Map<String, String> files) {
        for (var e : files.entrySet()) {
            String f = e.getKey().replaceFirst("^src/", "");
            if (f.matches("ebnn_[A-Za-z0-9_]+\\.h") && e.getValue().contains("_infer("))
                return f.substring(0, f.length() - 2);
        }
        throw new AssertionError("no model header among " + files.keySet());
    }

    @Test
    public void namesChangeNeitherTheCodeNorWhereItIsWritten() throws IOException {
        List<String> failures = new ArrayList<>();
        int i = 0;
        for (boolean arduino : new boolean[] { false, true }) {
            Map<String, String> plain = compile(plainModel(7), arduino, tmp.newFolder("plain-" + arduino).toPath());
            String plainPrefix = prefix(plain);
            for (String h : HOSTILE) {
                String what = (arduino ? "arduino " : "") + "name " + visible(h);
                Map<String, String> evil;
                try {
                    evil = compile(hostileModel(h, 7), arduino, tmp.newFolder("sandbox" + i++).toPath());
                } catch (RuntimeException | AssertionError e) {
                    failures.add(what + ": " + e);
                    continue;
                }
                String p = prefix(evil);
                Map<String, String> renamed = new TreeMap<>();
                String sym = p.substring("ebnn_".length()), plainSym = plainPrefix.substring("ebnn_".length());
                evil.forEach((k, v) -> renamed.put(k.replace(p, plainPrefix).replace("classify_" + sym, "classify_" + plainSym), v));
                if (!renamed.keySet().equals(plain.keySet())) {
                    failures.add(what + ": files " + evil.keySet() + " instead of " + plain.keySet());
                    continue;
                }
                java.util.Set<String> suffixes = modelSuffixes(plain, plainPrefix);
                for (String f : plain.keySet()) {
                    if (f.equals(DefaultToolchain.MEMORY_REPORT)) // text for people, not code: the names appear as they are
                        continue;
                    String a = plain.get(f), b = renamed.get(f);
                    boolean c = f.endsWith(".c") || f.endsWith(".h") || f.endsWith(".ino");
                    String na = c ? rename(cTokens(a), plainPrefix, suffixes) : lines(a, plainPrefix);
                    String nb = c ? rename(cTokens(b), p, suffixes) : lines(b, p);
                    if (arduino) { // the example sketch is named after the symbol
                        na = na.replace("classify_" + plainSym, "classify_P");
                        nb = nb.replace("classify_" + sym, "classify_P");
                    }
                    if (!na.equals(nb))
                        failures.add(what + ": " + f + " differs in meaning:\n" + firstDifference(na, nb));
                }
            }
        }
        // nothing escaped into the temporary folder's parent either
        assertFalse(Files.exists(Path.of("/tmp/ebnn-evil")));
        assertTrue(failures.size() + " hostile names changed the output:\n" + String.join("\n", failures), failures.isEmpty());
    }

    /** A few of them built with -Werror and run: the same classes and scores as the JVM runtime. */
    @Test
    public void hostileNamedModelsComputeWhatTheJvmComputes() throws IOException {
        byte[] samples = new byte[50 * 24];
        new Random(5).nextBytes(samples);
        int i = 0;
        for (String h : List.of("*/ int pwned; /*", "??/\nx ??= ??' ??!", "rt", "#define ebnn_word int", "../../x")) {
            BinaryModel m = hostileModel(h, 11 + i);
            Built b = Built.generate(m, MemoryPlanner.plan(m, Device.named("host")), CompileOptions.defaults(),
                    tmp.newFolder("run" + i++).toPath());
            Reference.assertSame("name " + visible(h), m, Reference.jvm(m, samples), b.runHost(b.buildHost("-trigraphs"), samples));
        }
    }

    /** An explicit --symbol naming the runtime header is refused, in any case (case-insensitive file systems). */
    @Test
    public void explicitSymbolCannotBeTheRuntimeHeader() {
        BinaryModel m = plainModel(3);
        for (String sym : List.of("rt", "RT", "Rt"))
            org.junit.Assert.assertThrows(sym, ebnn.api.InvalidModelException.class, () -> new CBackend().generate(m,
                    MemoryPlanner.plan(m, Device.named("host")), new CompileOptions(sym, false, false, Map.of())));
    }

    static String visible(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(40).forEach(c -> sb.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\u%04x", c)));
        return sb.toString();
    }

    private static final java.util.regex.Pattern IDENT = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** What the model's own identifiers add to its prefix (e.g. "_infer", "_w0", "_H"), from the plain model's code. */
    static java.util.Set<String> modelSuffixes(Map<String, String> files, String prefix) {
        java.util.Set<String> out = new java.util.HashSet<>();
        String upper = prefix.toUpperCase(java.util.Locale.ROOT);
        for (var e : files.entrySet())
            if (e.getKey().matches(".*\\.(c|h|ino)")) {
                java.util.regex.Matcher m = IDENT.matcher(cTokens(e.getValue()));
                while (m.find()) {
                    String id = m.group();
                    if (id.startsWith(prefix) && id.length() > prefix.length())
                        out.add(id.substring(prefix.length()));
                    else if (id.startsWith(upper))
                        out.add("^" + id.substring(upper.length()));
                }
            }
        return out;
    }

    /** Identifiers of the model (prefix + a known suffix, or its upper-case form) as P..., everything else as it is. */
    static String rename(String tokens, String prefix, java.util.Set<String> suffixes) {
        String upper = prefix.toUpperCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = IDENT.matcher(tokens);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String id = m.group();
            String r = id;
            if (id.equals(prefix) && m.end() < tokens.length() && tokens.charAt(m.end()) == '.') // the file name ebnn_SYM.h
                r = "P";
            else if (id.startsWith(prefix) && suffixes.contains(id.substring(prefix.length())))
                r = "P" + id.substring(prefix.length());
            else if (id.startsWith(upper) && suffixes.contains("^" + id.substring(upper.length())))
                r = "PP" + id.substring(upper.length());
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(r));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * The tokens a C compiler sees: trigraphs replaced, line splices removed, comments removed,
     * string and character literals as S and C (the file name of an #include kept), whitespace
     * collapsed (newlines kept, they end preprocessor lines).
     */
    static String cTokens(String text) {
        String t = text.replace("??=", "#").replace("??/", "\\").replace("??'", "^").replace("??(", "[").replace("??)", "]")
                .replace("??!", "|").replace("??<", "{").replace("??>", "}").replace("??-", "~");
        t = t.replace("\\\r\n", "").replace("\\\n", "");
        StringBuilder out = new StringBuilder();
        int n = t.length();
        for (int i = 0; i < n;) {
            char c = t.charAt(i);
            if (c == '/' && i + 1 < n && t.charAt(i + 1) == '*') {
                int end = t.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (c == '/' && i + 1 < n && t.charAt(i + 1) == '/') {
                while (i < n && t.charAt(i) != '\n')
                    i++;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && t.charAt(j) != c && t.charAt(j) != '\n')
                    j += t.charAt(j) == '\\' ? 2 : 1;
                String line = out.substring(out.lastIndexOf("\n") + 1);
                if (line.matches("\\s*#\\s*include\\s*"))
                    out.append(t, i, Math.min(n, j + 1));
                else
                    out.append(c == '"' ? "S" : "C");
                i = j + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString().replaceAll("[ \\t\\f\\x0B\\r]+", " ").replaceAll(" ?\\n ?", "\n").replaceAll("\\n+", "\n").strip();
    }

    /** Lines of a build or properties file with comments dropped and the prefix as P. */
    static String lines(String text, String prefix) {
        List<String> l = new ArrayList<>();
        for (String line : text.split("\n", -1))
            if (!line.startsWith("#"))
                l.add(line.startsWith("sentence=") || line.startsWith("paragraph=") ? line.replaceFirst("=.*", "=TEXT")
                        : line.replaceAll("(?<![A-Za-z0-9_])(lib)?" + java.util.regex.Pattern.quote(prefix) + "(?![A-Za-z0-9_])", "$1P"));
        return String.join("\n", l);
    }

    static String firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i))
            i++;
        return "  plain: ..." + a.substring(Math.max(0, i - 80), Math.min(a.length(), i + 80)) + "\n  named: ..."
                + b.substring(Math.max(0, i - 80), Math.min(b.length(), i + 80));
    }
}
