package ebnn.testing;

import java.util.List;
import java.util.SplittableRandom;

import ebnn.api.data.Dataset;
import ebnn.api.model.Shape;

/**
 * A seeded RGB image set for tests of 3-channel models: on a noisy dark background one shape, a
 * filled square or a plus-shaped cross, of one of two hues, reddish or bluish; the class is (shape, hue),
 * so a model must read both the channels and the geometry. Position, size, colour and noise vary with the seed. Samples are
 * CHW unsigned bytes, as {@link Dataset} holds them.
 */
public final class ColouredShapes {
    /** Class names, in label order. */
    public static final List<String> CLASSES = List.of("red-square", "red-cross", "blue-square", "blue-cross");

    private ColouredShapes() {
    }

    /** {@code count} samples of 3 × size × size (size 12..64), labels 0..3 as {@link #CLASSES}, the same for the same seed. */
    public static Dataset generate(int count, int size, long seed) {
        if (size < 12 || size > 64 || count <= 0)
            throw new IllegalArgumentException("size must be 12..64 and count positive");
        SplittableRandom r = new SplittableRandom(seed);
        Shape shape = new Shape(3, size, size);
        int plane = size * size;
        byte[] samples = new byte[count * shape.size()];
        byte[] labels = new byte[count];
        for (int n = 0; n < count; n++) {
            int label = r.nextInt(4);
            boolean cross = (label & 1) == 1, blue = label >= 2;
            labels[n] = (byte) label;
            int base = n * shape.size();
            for (int i = 0; i < shape.size(); i++)
                samples[base + i] = (byte) r.nextInt(60);
            // a bright primary channel, a dimmer second one of equal weight for both hues, green mid
            int main = 170 + r.nextInt(86), side = 60 + r.nextInt(60), green = 40 + r.nextInt(80);
            int[] rgb = blue ? new int[] { side, green, main } : new int[] { main, green, side };
            int half = size / 5 + r.nextInt(size / 6 + 1), arm = 1 + r.nextInt(Math.max(1, half / 3));
            int cy = half + r.nextInt(size - 2 * half), cx = half + r.nextInt(size - 2 * half);
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) {
                    int dy = y - cy, dx = x - cx;
                    boolean inside = cross ? Math.abs(dy) <= half && Math.abs(dx) < arm || Math.abs(dx) <= half && Math.abs(dy) < arm
                            : Math.abs(dy) <= half * 3 / 4 && Math.abs(dx) <= half * 3 / 4;
                    if (inside)
                        for (int c = 0; c < 3; c++)
                            samples[base + c * plane + y * size + x] = (byte) Math.min(255, rgb[c] + r.nextInt(20));
                }
        }
        return new Dataset("coloured-shapes-" + size + "-seed" + seed, shape, count, samples, labels);
    }
}
