package ebnn.embed;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.EbnnException;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.data.Samples;
import ebnn.api.spi.CompileResult;

/** The facade as a plain Java program uses it: load, classify, plan, compile, write and read back as ONNX. */
public class EbnnTest {
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private static Path repo() {
        return Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."));
    }

    @Test
    public void loadClassifyPlanCompileAndRoundTripThroughOnnx() throws Exception {
        Path root = Files.isDirectory(repo().resolve("examples")) ? repo() : Path.of("..");
        Ebnn ebnn = Ebnn.create();
        Ebnn.Loaded m = ebnn.load(root.resolve("examples/models/convpool-1.ebnn"));
        Dataset digits = Idx.load(root.resolve("examples/digits"), true); // 16 MNIST test digits
        byte[] hwc = Samples.chwToHwc(digits.samples(), digits.count(), digits.shape());
        int[] classes = m.classify(hwc, digits.count());
        int ok = 0;
        for (int i = 0; i < classes.length; i++)
            if (classes[i] == digits.label(i))
                ok++;
        assertEquals("the trained ConvPool-1 (97.99 %) knows these 16 digits", digits.count(), ok);
        byte[] first = java.util.Arrays.copyOf(hwc, m.inputSize());
        assertEquals(classes[0], m.classify(first));

        MemoryPlan plan = m.plan("atmega328p");
        CompileResult r = m.compile("c", "atmega328p", tmp.getRoot().toPath().resolve("c"));
        assertEquals("the plan is the one compile checks", plan.flashBytes(), r.plan().flashBytes());
        assertTrue(r.files().stream().anyMatch(f -> f.toString().endsWith(".c")));

        Path onnx = tmp.getRoot().toPath().resolve("convpool-1.onnx");
        ebnn.write(m.model(), onnx);
        assertArrayEquals("the ONNX file classifies bit for bit alike", classes, ebnn.load(onnx).classify(hwc, digits.count()));

        try {
            m.classify(new byte[3]);
            fail();
        } catch (EbnnException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("bytes, not 3"));
        }
    }
}
