package ebnn.codegen.c;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.BackendException;
import ebnn.api.BudgetExceededException;
import ebnn.api.Device;
import ebnn.api.InvalidModelException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.BitMatrix;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputKind;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.binary.IntArray;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.Scores;
import ebnn.api.binary.Thresholds;
import ebnn.api.model.Shape;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.GeneratedCode;
import ebnn.core.plan.MemoryPlanner;
import ebnn.core.toolchain.DefaultToolchain;

/** Hostile names, models that do not fit, plans that do not match, files of the user's in the output folder. */
public class BadInputTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static final String EVIL = "evil\"*/ #include <stdio.h>\n#error boom ??/\\\n// */ int x; /*\u00e9\u0000";

    /** input threshold -> dense hidden (bits) -> dense scores, with the given names. */
    static BinaryModel model(String name, String b0, String b1, String b2, List<String> labels, int in, int hidden, long seed) {
        Random r = new Random(seed);
        Shape s = new Shape(1, 1, in);
        BitMatrix w1 = BitMatrix.build(hidden, in, (row, col) -> r.nextBoolean());
        BitMatrix w2 = BitMatrix.build(3, hidden, (row, col) -> r.nextBoolean());
        int[] tau = new int[hidden];
        for (int i = 0; i < hidden; i++)
            tau[i] = r.nextInt(9) - 4;
        return new BinaryModel(name, s, List.of(new InputThresholdBlock(b0, s, IntArray.of(100)),
                new DenseBlock(b1, InputKind.BITS, null, s, hidden, w1, Thresholds.of(tau)),
                new DenseBlock(b2, InputKind.BITS, null, Shape.vector(hidden), 3, w2, new Scores(IntArray.of(3, -2, 1), IntArray.of(-7, 5, 0)))),
                labels);
    }

    @Test
    public void hostileNamesNeverReachTheCodeUnescaped() throws Exception {
        BinaryModel m = model(EVIL, EVIL + "0", "*/" + EVIL, "#define x ??=", List.of("a\"b", "*/ #error", "\n#error y"), 40, 20, 1);
        for (boolean arduino : new boolean[] { false, true }) {
            Path dir = tmp.newFolder("evil" + arduino).toPath();
            Built b = Built.generate(m, MemoryPlanner.plan(m, Device.named("host")), new CompileOptions(null, arduino, false, Map.of()), dir);
            for (var e : b.code.files().entrySet()) {
                assertTrue("file name " + e.getKey(), e.getKey().matches("[A-Za-z0-9_./]+") && !e.getKey().contains(".."));
                String text = e.getValue();
                assertFalse(e.getKey() + " contains the raw name", text.contains("#error") || text.contains("*/ #include <stdio.h>"));
                assertFalse(e.getKey() + " contains a trigraph", text.contains("??"));
                if (e.getKey().endsWith(".c") || e.getKey().endsWith(".h") || e.getKey().endsWith(".ino"))
                    assertNoCommentEndsEarly(e.getKey(), text);
            }
            assertEquals("ebnn_evil_include_stdio_h_error_boom_int_x", b.prefix);
            if (arduino) {
                for (String line : b.code.files().get("library.properties").split("\n"))
                    assertTrue("property line " + line, line.matches("(name|version|author|maintainer|sentence|paragraph|category|url|architectures|includes)=.*"));
            } else {
                // and it compiles with -Werror and computes what the JVM computes
                byte[] samples = new byte[8 * 40];
                new Random(3).nextBytes(samples);
                Reference.assertSame("hostile names", m, Reference.jvm(m, samples), b.runHost(b.buildHost(), samples));
            }
        }
    }

    /** Every comment opened in the file closes where the generator closed it: no code between a stray close and the next open. */
    private static void assertNoCommentEndsEarly(String file, String text) {
        Matcher c = Pattern.compile("/\\*(.*?)\\*/", Pattern.DOTALL).matcher(text);
        while (c.find())
            assertFalse(file + ": comment contains an opener " + c.group(1), c.group(1).contains("/*"));
        assertFalse(file + ": line comment", Pattern.compile("(^|[^:*])//").matcher(text.replaceAll("(?s)/\\*.*?\\*/", "")).find());
        assertFalse(file + ": line splice", text.contains("\\\n"));
    }

    @Test
    public void explicitSymbolMustBeAnIdentifier() {
        BinaryModel m = model("ok", "a", "b", "c", List.of(), 16, 8, 2);
        MemoryPlan p = MemoryPlanner.plan(m, Device.named("host"));
        for (String bad : List.of("9lives", "a b", "x*/y", "int", "", "a".repeat(41)))
            assertThrows(bad, InvalidModelException.class, () -> new CBackend().generate(m, p, new CompileOptions(bad, false, false, Map.of())));
        GeneratedCode ok = new CBackend().generate(m, p, new CompileOptions("Digits_2", false, false, Map.of()));
        assertTrue(ok.files().keySet().toString(), ok.files().containsKey("ebnn_Digits_2.c"));
    }

    @Test
    public void modelOverBudgetIsRefusedBeforeAnyFileIsWritten() throws Exception {
        BinaryModel big = model("big", "a", "b", "c", List.of(), 1024, 400, 3); // 51 KB of weights > 32 KB flash
        MemoryPlan p = MemoryPlanner.plan(big, Device.named("atmega328p"));
        BudgetExceededException e = assertThrows(BudgetExceededException.class, () -> new CBackend().generate(big, p, CompileOptions.defaults()));
        long needed = new CBackend().refine(big, p).flashBytes();
        assertTrue(e.getMessage(), e.getMessage().contains("flash needs " + needed + " B, 32768 B available"));

        DefaultToolchain tc = new DefaultToolchain();
        tc.addBackend(new CBackend());
        Path out = tmp.getRoot().toPath().resolve("never");
        assertThrows(BudgetExceededException.class, () -> tc.compile(big, "c", Device.named("atmega328p"), out, CompileOptions.defaults()));
        assertFalse("nothing written", Files.exists(out));
    }

    @Test
    public void avrConstantsBeyondTheNearFlashWindowAreRefused() {
        BinaryModel big = model("big", "a", "b", "c", List.of(), 1024, 600, 4); // 76.8 KB of weights: fits 256 KB flash, not pgm_read's 64 KB
        MemoryPlan p = MemoryPlanner.plan(big, Device.named("atmega2560"));
        assertTrue(p.fits());
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> new CBackend().generate(big, p, CompileOptions.defaults()));
        assertTrue(e.getMessage(), e.getMessage().contains("64 KB"));
    }

    @Test
    public void planThatDoesNotMatchThePackingIsRefused() {
        BinaryModel m = model("m", "a", "b", "c", List.of(), 40, 20, 5);
        MemoryPlan good = MemoryPlanner.plan(m, Device.named("atmega328p"));
        MemoryPlan wrongWords = MemoryPlanner.plan(m, Device.named("host"));
        // the host plan's block sizes (64-bit words) given with an 8-bit device
        MemoryPlan mixed = new MemoryPlan(good.model(), good.device(), good.inputBytes(), good.bufferABytes(), good.bufferBBytes(), good.scoreBytes(),
                good.stackBytes(), good.codeBytes(), wrongWords.blocks());
        BackendException e = assertThrows(BackendException.class, () -> new CBackend().generate(m, mixed, CompileOptions.defaults()));
        assertTrue(e.getMessage(), e.getMessage().contains("8-bit packing"));
        MemoryPlan smallBuffer = new MemoryPlan(good.model(), good.device(), good.inputBytes(), 2, good.bufferBBytes(), good.scoreBytes(),
                good.stackBytes(), good.codeBytes(), good.blocks());
        assertThrows(BackendException.class, () -> new CBackend().generate(m, smallBuffer, CompileOptions.defaults()));
    }

    @Test
    public void filesOfTheUserAreNotOverwrittenWithoutForce() throws Exception {
        BinaryModel m = model("mine", "a", "b", "c", List.of(), 16, 8, 6);
        DefaultToolchain tc = new DefaultToolchain();
        tc.addBackend(new CBackend());
        Path out = tmp.newFolder("out").toPath();
        Files.writeString(out.resolve("ebnn_mine.c"), "/* the user's own file */\n");
        BackendException e = assertThrows(BackendException.class, () -> tc.compile(m, "c", Device.named("host"), out, CompileOptions.defaults()));
        assertTrue(e.getMessage(), e.getMessage().contains("ebnn_mine.c"));
        assertEquals("/* the user's own file */\n", Files.readString(out.resolve("ebnn_mine.c")));
        assertFalse("nothing else written", Files.exists(out.resolve("ebnn_mine.h")));
        tc.compile(m, "c", Device.named("host"), out, new CompileOptions(null, false, true, Map.of()));
        assertTrue(Files.readString(out.resolve("ebnn_mine.c")).contains("ebnn_mine_infer"));
    }
}
