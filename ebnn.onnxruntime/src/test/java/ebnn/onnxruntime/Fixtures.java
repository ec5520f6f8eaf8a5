package ebnn.onnxruntime;

import java.nio.file.Path;
import java.util.Random;

import ebnn.api.binary.BinaryModel;
import ebnn.api.model.Model;
import ebnn.api.model.Shape;
import ebnn.api.spi.CompiledModel;
import ebnn.core.lower.Lowering;
import ebnn.runtime.java.JvmEngine;

/** Test data locations and the import → lower → JVM runtime path. */
final class Fixtures {
    private Fixtures() {
    }

    static Path models() {
        String p = System.getProperty("ebnn.models");
        return Path.of(p != null ? p : System.getenv().getOrDefault("EBNN_MODELS", "../../shared/models"));
    }

    static Path data() {
        String p = System.getProperty("ebnn.data");
        return Path.of(p != null ? p : System.getenv().getOrDefault("EBNN_DATA", "../../shared/data"));
    }

    static CompiledModel jvm(Model m) {
        BinaryModel b = Lowering.lower(m);
        return new JvmEngine().load(b);
    }

    /** CHW samples to HWC, as the integer runtimes take them. */
    static byte[] hwc(byte[] chw, int count, Shape s) {
        return ebnn.api.data.Samples.chwToHwc(chw, count, s);
    }

    static byte[] random(int count, int size, long seed) {
        byte[] b = new byte[count * size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] nhwcToChw(double[] nhwc, int h, int w, int c) {
        byte[] out = new byte[h * w * c];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int k = 0; k < c; k++)
                    out[(k * h + y) * w + x] = (byte) (int) nhwc[(y * w + x) * c + k];
        return out;
    }
}
