package ebnn.codegen.cortexm;

import ebnn.codegen.c.Reference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.BudgetExceededException;
import ebnn.api.Device;
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

/**
 * The cortex-m back end as a code generator: the devices it takes, what it refuses before any file
 * exists, the files of its C folder, its memory report, and hostile model names (the shared
 * generator escapes them) compiled with -Werror -pedantic and run under qemu.
 */
public class CortexMBackendTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static final String EVIL = "evil\"*/ #include <stdio.h>\n#error boom ??/\\\n// */ int x; /*\u00e9\u0000";

    static BinaryModel model(String name, String b0, String b1, String b2, int in, int hidden, long seed) {
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
                List.of("a", "b", "c"));
    }

    @Test
    public void devicesAndRefusals() {
        CortexMBackend be = new CortexMBackend();
        assertEquals("cortex-m", be.id());
        for (Device d : Device.BUILT_IN)
            assertEquals(d.name(), d.arch() == Device.Arch.ARM_CORTEX_M, be.supports(d));
        BinaryModel m = model("small", "a", "b", "c", 64, 32, 1);
        assertThrows(UnsupportedModelException.class, () -> be.generate(m, MemoryPlanner.plan(m, Device.named("atmega328p")), null));
        MemoryPlan p = MemoryPlanner.plan(m, Device.named("cortex-m4"));
        assertThrows(UnsupportedModelException.class, () -> be.generate(m, p, new CompileOptions(null, true, false, Map.of())));
        // 4096 x 600 weight bits = 300 KB > the micro:bit's 256 KB of flash
        BinaryModel big = model("big", "a", "b", "c", 4096, 600, 2);
        BudgetExceededException e = assertThrows(BudgetExceededException.class,
                () -> be.generate(big, MemoryPlanner.plan(big, Device.named("cortex-m0")), null));
        assertTrue(e.getMessage(), e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("flash"));
    }

    @Test
    public void folderAndReport() {
        BinaryModel m = model("digits", "a", "b", "c", 784, 128, 3);
        CortexMBackend be = new CortexMBackend();
        MemoryPlan plan = be.refine(m, MemoryPlanner.plan(m, Device.named("cortex-m7")));
        GeneratedCode code = be.generate(m, plan, null);
        assertEquals(Set.of("ebnn_rt.h", "ebnn_cm.h", "ebnn_digits.h", "ebnn_digits.c", "ebnn_digits.cmake", "CMakeLists.txt"), code.files().keySet());
        assertTrue(code.files().get("ebnn_digits.h").contains("int ebnn_digits_infer(const uint8_t *input, int32_t *scores);"));
        assertTrue(code.files().get("ebnn_digits.c").contains("ebnn_digits_buf_a[") && code.files().get("ebnn_digits.c").contains("EBNN_BUFFER_SECTION"));
        assertTrue(code.files().get("ebnn_digits.cmake").contains("add_library(ebnn_digits STATIC"));
        String r = code.report();
        assertTrue(r, r.startsWith("ebnn Cortex-M back end: model 'digits' -> ebnn_digits_infer() for cortex-m7 (32-bit words)"));
        for (String line : List.of("weights + thresholds", "activation buffer A", "stack (upper bound)"))
            assertTrue(line + " in\n" + r, r.contains(line));
        assertTrue(r, r.matches("(?s).*weights \\+ thresholds\\s+" + plan.dataFlashBytes() + "\\n.*"));
        assertTrue(r, r.matches("(?s).*stack \\(upper bound\\)\\s+" + plan.stackBytes() + "\\n.*"));
    }

    @Test
    public void hostileNamesAreEscapedAndTheCodeStillComputesTheSame() throws Exception {
        BinaryModel m = model(EVIL, EVIL + "0", "*/" + EVIL, "#define x ??=", 40, 20, 4);
        CortexMBackend be = new CortexMBackend();
        MemoryPlan plan = be.refine(m, MemoryPlanner.plan(m, Device.named("cortex-m4")));
        Path dir = tmp.newFolder("evil").toPath();
        Firmware fw = Firmware.build(be, m, plan, Core.M4, dir, "-O2");
        for (var e : fw.code.files().entrySet()) {
            assertTrue("file name " + e.getKey(), e.getKey().matches("[A-Za-z0-9_.]+"));
            assertFalse(e.getKey() + " contains the raw name", e.getValue().contains("#error") || e.getValue().contains("#include <stdio.h>"));
            assertFalse(e.getKey() + " contains a trigraph", e.getValue().contains("??"));
        }
        byte[] samples = new byte[8 * 40];
        new Random(5).nextBytes(samples);
        Models.assertSame("hostile names on cortex-m4", m, Reference.jvm(m, samples), fw.run(samples));
    }
}
