package ebnn.onnx.internal;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.Test;

import ebnn.api.UnsupportedModelException;

/**
 * Every real file in ../shared/models: the binarized networks import; the three that are not are refused with one
 * message naming the node, the op and the reason, and saying what ebnn takes.
 */
public class SharedModelsTest {
    /** File → what its refusal must name. */
    static final Map<String, List<String>> REFUSED = Map.of(
            "mnist-8.onnx", List.of("'Convolution28'", "op Conv", "not binarized"),
            "pytorch_mnist_float_relu_cnn.onnx", List.of("'Conv_6'", "op Conv", "not binarized"),
            "qonnx_test_qkeras_qdense_12.onnx", List.of("'Quant_4'", "op Quant", "6 bits"));

    @Test
    public void everySharedFileImportsOrIsRefusedWithTheReason() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Models.dir())) {
            files = s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
        }
        assertTrue("the shared models are there", files.size() >= 12);
        for (Path f : files) {
            String name = f.getFileName().toString();
            List<String> reason = REFUSED.get(name);
            try {
                var r = new OnnxImporter().read(f);
                assertTrue(name + " must be refused", reason == null);
                assertTrue(name, r.model().layers().size() > 0);
            } catch (UnsupportedModelException e) {
                if (reason == null)
                    throw new AssertionError(name + " must import: " + e.getMessage(), e);
                String m = e.getMessage();
                for (String part : reason)
                    assertTrue(name + ": " + m, m.contains(part));
                assertTrue(name + ": " + m, m.contains("ebnn takes binarized networks") && !m.contains("\n"));
            }
        }
    }
}
