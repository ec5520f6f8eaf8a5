package ebnn.ebnnc.internal;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ../shared/seeds/kunglab-ebnn: eBNN's example headers, their sample data headers and expected classes. */
final class Seeds {
    private Seeds() {
    }

    static Path dir() {
        Path d = Path.of(System.getProperty("ebnn.seeds", "../../shared/seeds")).resolve("kunglab-ebnn");
        assertTrue("eBNN's example models (../shared/seeds, or -Debnn.seeds=DIR): " + d.toAbsolutePath(), Files.isDirectory(d));
        return d;
    }

    static Path header(String model) {
        return dir().resolve("examples").resolve(model + ".h");
    }

    /** The data header each example model classifies. */
    static String dataOf(String model) {
        return switch (model) {
        case "binary_mnist" -> "binary_mnist_data";
        case "simple_cifar10" -> "cifar10_data";
        default -> "mnist_data";
        };
    }

    static final List<String> MODELS = List.of("simple_mnist", "binary_mnist", "alex", "simple_cifar10");

    /**
     * The samples as pixels 0..255, channel-major as eBNN reads them: float data (p/255) back to
     * p; packed bits (binary_mnist_data.h) to 0/1 per pixel.
     */
    static int[][] samples(String data, int perSample) throws IOException {
        String s = Files.readString(dir().resolve("examples").resolve(data + ".h"));
        Matcher m = Pattern.compile("(float|uint8_t) train_data\\[(\\d+)\\] = \\{([^}]*)\\}").matcher(s);
        assertTrue(data, m.find());
        String[] v = m.group(3).split(",");
        boolean bits = m.group(1).equals("uint8_t");
        int perStored = bits ? (perSample + 7) / 8 : perSample;
        int n = v.length / perStored;
        int[][] out = new int[n][perSample];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < perSample; j++) {
                if (bits) {
                    int b = Integer.parseInt(v[i * perStored + j / 8].trim());
                    out[i][j] = (b >> (7 - j % 8)) & 1;
                } else {
                    double x = Double.parseDouble(v[i * perStored + j].trim()) * 255;
                    long p = Math.round(x);
                    assertTrue(data + " holds pixels/255: " + x, Math.abs(x - p) < 1e-3 && p >= 0 && p <= 255);
                    out[i][j] = (int) p;
                }
            }
        return out;
    }

    /** expected_classes.json: model -> the class eBNN's own C gives each sample. */
    static Map<String, int[]> expected() throws IOException {
        String s = Files.readString(dir().resolve("expected_classes.json"));
        Map<String, int[]> out = new HashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\":\\s*\\[([^\\]]*)\\]").matcher(s);
        while (m.find()) {
            List<Integer> cls = new ArrayList<>();
            Matcher c = Pattern.compile("\"class\":(\\d+)").matcher(m.group(2));
            while (c.find())
                cls.add(Integer.parseInt(c.group(1)));
            out.put(m.group(1), cls.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }
}
