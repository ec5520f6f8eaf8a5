package ebnn.reference.onnx;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.EbnnException;
import ebnn.api.model.InputRange;

/**
 * Whatever file verify is given, the interpreter answers or refuses with an ebnn error (one line in
 * the shell), never another exception: seeded byte mutations of a small graph with most op kinds.
 */
public class HostileFilesTest {
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] seedModel() {
        G g = new G("x", 1, -1, 1, 6, 6);
        String conv = g.op("Conv", new String[] { "x", g.random(-1, 1, 4, 1, 3, 3), g.random(-1, 1, 4) }, "kernel_shape", new long[] { 3, 3 },
                "pads", new long[] { 1, 1, 1, 1 });
        String pool = g.op("MaxPool", new String[] { conv }, "kernel_shape", new long[] { 2, 2 }, "strides", new long[] { 2, 2 });
        String mt = g.opIn("finn.custom_op.general", "MultiThreshold", 1, new String[] { pool, g.random(-1, 1, 4, 1) }, "out_scale", 2.0,
                "out_bias", -1.0)[0];
        String flat = g.op("Reshape", mt, g.longs(1, -1));
        String q = g.opIn("qonnx.custom_op.general", "Quant", 1, new String[] { g.random(-1, 1, 36, 10), g.floats(new long[0], 0.5),
                g.floats(new long[0], 0), g.floats(new long[0], 2) }, "signed", 1, "narrow", 1)[0];
        String mm = g.op("MatMul", flat, q);
        String[] top = g.opN("TopK", 2, new String[] { mm, g.longs(1) }, "axis", -1);
        g.output(top[1], ai.onnx.proto.OnnxMl.TensorProto.DataType.INT64_VALUE);
        return g.build(13);
    }

    @Test
    public void mutatedFilesGiveEbnnErrorsOnly() throws Exception {
        byte[] seed = seedModel();
        OnnxInterpreter interpreter = new OnnxInterpreter();
        Path f = tmp.newFile("m.onnx").toPath();
        java.nio.file.Files.write(f, seed);
        interpreter.classify(f, new byte[36], 1, null, new InputRange(0, 255)); // the seed runs
        Random r = new Random(20261204);
        int refused = 0, ran = 0;
        for (int i = 0; i < 300; i++) {
            byte[] b = seed.clone();
            for (int k = 0, n = 1 + r.nextInt(4); k < n; k++)
                b[r.nextInt(b.length)] = (byte) (r.nextInt(3) == 0 ? 0xff : r.nextInt(256));
            java.nio.file.Files.write(f, b);
            try {
                interpreter.accepts(f);
                interpreter.declaredInputRange(f);
                interpreter.classify(f, new byte[36 * 2], 2, null, new InputRange(0, 255));
                ran++;
            } catch (EbnnException e) {
                assertTrue("a message: " + e, e.getMessage() != null && !e.getMessage().isBlank());
                refused++;
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                e.printStackTrace();
                fail("mutation " + i + ": " + e);
            }
        }
        System.out.println("mutated files: " + ran + " ran, " + refused + " refused");
        assertTrue(ran > 0 && refused > 0);
    }
}
