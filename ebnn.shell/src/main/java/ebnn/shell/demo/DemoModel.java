package ebnn.shell.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ebnn.api.model.BatchNorm;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.Layout;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Model;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;

/**
 * A small, deterministic, paper-shaped eBNN model that needs no training and no download:
 * 28x28 grey input → binary conv 3x3 (4 filters) → max-pool 2x2 → batch norm → sign (the eBNN
 * training order conv → pool → BN → sign) → flatten → binary dense 784 → 10 → batch norm (scores).
 *
 * <p>The weights are hand-made so that it really classifies: the 4 conv filters are box filters
 * whose batch norms fire at 4 ink levels, and each dense row is the ±1 template of one seven-segment
 * digit on the pooled 14x14 grid. {@link #digits} draws matching noisy seven-segment digits, so the
 * demo shows correct predictions on every back end without any data set.
 */
public final class DemoModel {
    public static final String NAME = "demo-7seg";
    public static final int SIZE = 28;
    public static final int POOLED = 14;
    public static final int FILTERS = 4;

    /** Segments a..g lit for each digit 0..9 (bit 0 = a, top; then b top-right, c bottom-right, d bottom, e bottom-left, f top-left, g middle). */
    private static final int[] SEGMENTS = { 0b0111111, 0b0000110, 0b1011011, 0b1001111, 0b1100110, 0b1101101, 0b1111101,
            0b0000111, 0b1111111, 0b1101111 };

    private DemoModel() {
    }

    public static Model build() {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Conv2d("conv1", 1, FILTERS, 3, 3, 1, 1, Padding.same(1), Params.filled(FILTERS * 9, 1.0), Params.empty()));
        layers.add(new MaxPool2d("pool1", 2, 2, 2, 2, Padding.NONE));
        // fire when the mean of the 3x3 window exceeds 40, 80, 120, 160 (of 255)
        double[] mean = new double[FILTERS];
        for (int c = 0; c < FILTERS; c++)
            mean[c] = 9 * 40.0 * (c + 1) - 0.5;
        layers.add(new BatchNorm("bn1", FILTERS, Params.filled(FILTERS, 1), Params.filled(FILTERS, 0), Params.of(mean),
                Params.filled(FILTERS, 1), 0));
        layers.add(new Sign("sign1"));
        layers.add(new Flatten("flatten"));
        int inputs = FILTERS * POOLED * POOLED;
        double[] w = new double[10 * inputs];
        for (int d = 0; d < 10; d++) {
            boolean[][] t = template(d, POOLED);
            for (int c = 0; c < FILTERS; c++)
                for (int y = 0; y < POOLED; y++)
                    for (int x = 0; x < POOLED; x++)
                        w[d * inputs + (c * POOLED + y) * POOLED + x] = t[y][x] ? 1 : -1;
        }
        layers.add(new Dense("fc2", inputs, 10, Params.of(w), Params.empty()));
        layers.add(new BatchNorm("bn2", 10, Params.filled(10, 1), Params.filled(10, 0), Params.filled(10, 0), Params.filled(10, 1), 0));
        List<String> labels = new ArrayList<>();
        for (int d = 0; d < 10; d++)
            labels.add(Integer.toString(d));
        return new Model(NAME, InputSpec.bytes(new Shape(1, SIZE, SIZE)), layers, labels);
    }

    /** The seven-segment picture of digit {@code d} on an n x n grid (n = 14 or 28). */
    public static boolean[][] template(int d, int n) {
        boolean[][] img = new boolean[n][n];
        int s = n / 14; // scale: 1 on 14x14, 2 on 28x28
        int left = 3 * s, right = 10 * s, top = 1 * s, mid = 6 * s, bottom = 11 * s, thick = 2 * s;
        int seg = SEGMENTS[d];
        if ((seg & 1) != 0)
            fill(img, top, left, top + thick, right + thick);
        if ((seg & 2) != 0)
            fill(img, top, right, mid + thick, right + thick);
        if ((seg & 4) != 0)
            fill(img, mid, right, bottom + thick, right + thick);
        if ((seg & 8) != 0)
            fill(img, bottom, left, bottom + thick, right + thick);
        if ((seg & 16) != 0)
            fill(img, mid, left, bottom + thick, left + thick);
        if ((seg & 32) != 0)
            fill(img, top, left, mid + thick, left + thick);
        if ((seg & 64) != 0)
            fill(img, mid, left, mid + thick, right + thick);
        return img;
    }

    private static void fill(boolean[][] img, int y0, int x0, int y1, int x1) {
        for (int y = y0; y < y1 && y < img.length; y++)
            for (int x = x0; x < x1 && x < img.length; x++)
                img[y][x] = true;
    }

    /** A synthetic sample: one drawn digit with ink variation and noise. */
    public record Sample(int label, byte[] pixels) {
    }

    /** {@code count} noisy seven-segment digits 28x28, labels cycling through 0..9 in a shuffled order; deterministic for a seed. */
    public static List<Sample> digits(int count, long seed) {
        Random rnd = new Random(seed);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int label = (int) ((i * 7L + seed) % 10 + 10) % 10;
            boolean[][] t = template(label, SIZE);
            int ink = 170 + rnd.nextInt(86);
            byte[] px = new byte[SIZE * SIZE];
            for (int y = 0; y < SIZE; y++)
                for (int x = 0; x < SIZE; x++) {
                    double v = (t[y][x] ? ink : 10) + rnd.nextGaussian() * 35;
                    px[y * SIZE + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            out.add(new Sample(label, px));
        }
        return out;
    }

    /** Renders a 28x28 sample as text (for people), two characters per pixel column pair. */
    public static List<String> ascii(byte[] pixels) {
        List<String> lines = new ArrayList<>();
        String shades = " .:-=+*#%@";
        for (int y = 0; y < SIZE; y += 2) {
            StringBuilder sb = new StringBuilder();
            for (int x = 0; x < SIZE; x++) {
                int v = ((pixels[y * SIZE + x] & 0xff) + (pixels[(y + 1) * SIZE + x] & 0xff)) / 2;
                sb.append(shades.charAt(v * (shades.length() - 1) / 255));
            }
            lines.add(sb.toString());
        }
        return lines;
    }
}
