package ebnn.onnx.internal;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Random;

import org.junit.Test;

import ebnn.api.EbnnException;

/**
 * Corrupt files: random byte changes in real models. Each must import or fail with an ebnn error;
 * never another exception, an OOM or a hang (the timeout).
 */
public class CorruptionFuzzTest {
    @Test(timeout = 60_000)
    public void flippedBytesGiveTypedErrorsOnly() throws Exception {
        Random r = new Random(42);
        int typed = 0, ok = 0;
        for (String f : List.of("hls4ml_bnn_model_fc_1layer.onnx", "finn_build_dataflow_tfc_w1a1.onnx")) {
            byte[] orig = Files.readAllBytes(Models.file(f));
            for (int trial = 0; trial < 150; trial++) {
                byte[] b = orig.clone();
                int flips = 1 + r.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    // mostly in the graph structure (the start of the file), sometimes anywhere
                    int at = r.nextInt(4) == 0 ? r.nextInt(b.length) : r.nextInt(Math.min(b.length, 4000));
                    b[at] = (byte) r.nextInt(256);
                }
                long t0 = System.nanoTime();
                try {
                    OnnxImporter.translate(OnnxFiles.parse(b, f + "#" + trial), "m", f + "#" + trial);
                    ok++;
                } catch (EbnnException e) {
                    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
                    typed++;
                } catch (Throwable e) {
                    throw new AssertionError(f + " trial " + trial + ": untyped " + e, e);
                }
                assertTrue("took " + (System.nanoTime() - t0) / 1e6 + " ms", System.nanoTime() - t0 < 1_000_000_000L);
            }
        }
        System.out.println("corrupt files: " + typed + " typed errors, " + ok + " still importable");
    }
}
