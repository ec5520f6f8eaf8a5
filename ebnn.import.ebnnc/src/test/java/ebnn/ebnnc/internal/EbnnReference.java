package ebnn.ebnnc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An evaluation of an eBNN header written for the tests, independent of the importer and of the IR:
 * its own regex reading of the generated header, and eBNN's layer semantics (c/ebnn.h) applied to
 * the packed arrays directly: filters as bits, the dot products, max-pool over the raw dots, then
 * + bias, {@code (x − mean) / std · γ + β}, {@code >= 0} as the bit, packed MSB first, and the
 * first maximum's index as the class.
 * <p>
 * Two arithmetics: {@code float32} repeats eBNN's C float operations one by one (the input
 * pixels as the float values p/255 the data headers hold); {@code exact} takes the first layer's
 * dot as the integer Σ±p divided by 255 and every later step in double, the real-number value the
 * integer model's thresholds are derived from.
 */
final class EbnnReference {
    /** One layer call: eBNN's function, its arrays (weights, bias, γ, β, mean, std) and integer arguments. */
    record LayerCall(String function, int[] weights, float[] bias, float[] gamma, float[] beta, float[] mean, float[] std, int[] ints) {
    }

    final List<LayerCall> calls;

    private EbnnReference(List<LayerCall> calls) {
        this.calls = calls;
    }

    private static final Pattern ARRAY = Pattern.compile("(float|uint8_t) (\\w+)\\[(\\d+)\\] = \\{([^}]*)\\};");
    private static final Pattern CALL = Pattern.compile("void (\\w+)\\([^)]*\\)\\{\\s*(\\w+)\\(([^)]*)\\);");
    private static final Pattern COMPUTE = Pattern.compile("void ebnn_compute\\([^)]*\\)\\{([^}]*)\\}");

    static EbnnReference load(Path header) throws IOException {
        String s = Files.readString(header);
        Map<String, String[]> arrays = new HashMap<>();
        Matcher m = ARRAY.matcher(s);
        while (m.find())
            arrays.put(m.group(2), m.group(4).split(","));
        Map<String, String[]> fns = new HashMap<>();
        m = CALL.matcher(s);
        while (m.find()) {
            String[] args = m.group(3).split(",\\s*");
            String[] withFn = new String[args.length + 1];
            withFn[0] = m.group(2);
            System.arraycopy(args, 0, withFn, 1, args.length);
            fns.put(m.group(1), withFn);
        }
        Matcher c = COMPUTE.matcher(s);
        if (!c.find())
            throw new IllegalStateException("no ebnn_compute in " + header);
        List<LayerCall> calls = new ArrayList<>();
        for (String line : c.group(1).split(";")) {
            String l = line.trim();
            if (l.isEmpty())
                continue;
            String[] f = fns.get(l.substring(0, l.indexOf('(')).trim());
            // f: function, A, F, C, Bias, Gamma, Beta, Mean, Std, ints...
            int[] ints = new int[f.length - 9];
            for (int i = 0; i < ints.length; i++)
                ints[i] = Integer.parseInt(f[9 + i].trim());
            String[] w = arrays.get(f[2].trim());
            int[] wb = new int[w.length];
            for (int i = 0; i < w.length; i++)
                wb[i] = Integer.parseInt(w[i].trim());
            calls.add(new LayerCall(f[0], wb, floats(arrays.get(f[4].trim())), floats(arrays.get(f[5].trim())), floats(arrays.get(f[6].trim())),
                    floats(arrays.get(f[7].trim())), floats(arrays.get(f[8].trim())), ints));
        }
        return new EbnnReference(calls);
    }

    private static float[] floats(String[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++)
            f[i] = (float) Double.parseDouble(v[i].trim());
        return f;
    }

    /** What one inference gave: the class and the values each layer compared with 0 (or the class scores, last). */
    record Run(int cls, List<double[]> preSign) {
    }

    /**
     * One inference. {@code pixels} (0..255, CHW) for a float first layer (the input is p/255), or
     * the input bits (pixel != 0, as binary_mnist_data.h holds MNIST) for a binary first layer.
     */
    Run run(int[] pixels, boolean exact) {
        byte[] bits = null;
        List<double[]> pre = new ArrayList<>();
        for (int li = 0; li < calls.size(); li++) {
            LayerCall c = calls.get(li);
            switch (c.function) {
            case "fconv_layer", "bconv_layer" -> {
                boolean fl = c.function.equals("fconv_layer");
                if (li == 0 && !fl)
                    bits = packNonzero(pixels);
                double[] v = conv(c, fl ? pixels : null, bits, exact);
                pre.add(v);
                bits = pack(v);
            }
            case "blinear_layer", "blinear_sm_layer" -> {
                if (li == 0)
                    bits = packNonzero(pixels);
                double[] v = linear(c, bits, exact);
                pre.add(v);
                if (c.function.equals("blinear_sm_layer")) {
                    int best = 0;
                    double max = -Float.MAX_VALUE;
                    for (int j = 0; j < v.length; j++)
                        if (v[j] > max) {
                            max = v[j];
                            best = j;
                        }
                    return new Run(best, pre);
                }
                bits = pack(v);
            }
            default -> throw new IllegalStateException(c.function);
            }
        }
        throw new IllegalStateException("no blinear_sm_layer");
    }

    private static byte[] packNonzero(int[] px) {
        double[] v = new double[px.length];
        for (int i = 0; i < px.length; i++)
            v[i] = px[i] != 0 ? 1 : -1;
        return pack(v);
    }

    /** Bits v >= 0, MSB first, the tail of the last byte 0. */
    private static byte[] pack(double[] v) {
        byte[] b = new byte[(v.length + 7) / 8];
        for (int i = 0; i < v.length; i++)
            if (v[i] >= 0)
                b[i / 8] |= (byte) (0x80 >> (i % 8));
        return b;
    }

    private static int bit(byte[] b, int n) {
        return (b[n / 8] >> (7 - n % 8)) & 1;
    }

    private static int bit(int[] b, int n) {
        return (b[n / 8] >> (7 - n % 8)) & 1;
    }

    private static double bn(double x, LayerCall c, int j, boolean exact) {
        if (exact)
            return (x - c.mean[j]) / c.std[j] * c.gamma[j] + c.beta[j];
        float f = (float) x;
        f -= c.mean[j];
        f /= c.std[j];
        f *= c.gamma[j];
        f += c.beta[j];
        return f;
    }

    /** Values compared with 0, in filter, row, column order. */
    private static double[] conv(LayerCall c, int[] pixels, byte[] in, boolean exact) {
        int[] a = c.ints; // m, num_f, w, h, d, kw, kh, sw, sh, pw, ph, pl_w, pl_h, pl_sw, pl_sh, pl_pw, pl_ph
        int nf = a[1], w = a[2], d = a[4], k = a[5], s = a[7], p = a[9], pk = a[11], ps = a[13], pp = a[15];
        int convN = (w - k + 2 * p) / s + 1;
        int poolN = (convN + 2 * pp - pk) / ps + 1;
        double[] out = new double[nf * poolN * poolN];
        boolean fl = pixels != null;
        int perFilter = fl ? (k * k * d + 7) / 8 : d * ((k * k + 7) / 8);
        for (int f = 0; f < nf; f++)
            for (int py = 0; py < poolN; py++)
                for (int px = 0; px < poolN; px++) {
                    double max = -Float.MAX_VALUE;
                    for (int dy = 0; dy < pk; dy++)
                        for (int dx = 0; dx < pk; dx++) {
                            int cy = py * ps - pp + dy, cx = px * ps - pp + dx;
                            if (cy < 0 || cx < 0 || cy >= convN || cx >= convN)
                                continue; // a padded pool position
                            double dot = fl ? fdot(c.weights, f * perFilter, pixels, cy * s - p, cx * s - p, w, d, k, exact)
                                    : bdot(c.weights, f * perFilter, in, cy * s - p, cx * s - p, w, d, k);
                            max = Math.max(max, dot);
                        }
                    double x = exact ? max + c.bias[f] : (float) ((float) max + c.bias[f]);
                    out[(f * poolN + py) * poolN + px] = bn(x, c, f, exact);
                }
        return out;
    }

    /** The float first layer: Σ ±x over the window, padding 0.0, in eBNN's channel, row, column order. */
    private static double fdot(int[] wts, int base, int[] px, int y0, int x0, int w, int d, int k, boolean exact) {
        long sum = 0;
        float f = 0;
        int b = 0;
        for (int ch = 0; ch < d; ch++)
            for (int y = y0; y < y0 + k; y++)
                for (int x = x0; x < x0 + k; x++, b++) {
                    int p = y < 0 || x < 0 || y >= w || x >= w ? 0 : px[(ch * w + y) * w + x];
                    boolean plus = bit(wts, base * 8 + b) == 1;
                    sum += plus ? p : -p;
                    float a = (float) (p / 255.0);
                    f += plus ? a : -a;
                }
        return exact ? sum / 255.0 : f;
    }

    /** The binary layers: per channel, ±1 products over the taps inside the input (padding contributes nothing). */
    private static double bdot(int[] wts, int base, byte[] in, int y0, int x0, int w, int d, int k) {
        int bytesPerChannel = (k * k + 7) / 8, sum = 0;
        for (int ch = 0; ch < d; ch++) {
            int fb = (base + ch * bytesPerChannel) * 8;
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++) {
                    int y = y0 + ky, x = x0 + kx;
                    if (y < 0 || x < 0 || y >= w || x >= w)
                        continue;
                    sum += bit(in, (ch * w + y) * w + x) == bit(wts, fb + ky * k + kx) ? 1 : -1;
                }
            // an unpadded window popcounts the whole filter bytes: 0 padding bits would match the input's 0s
            boolean inside = y0 >= 0 && x0 >= 0 && y0 + k <= w && x0 + k <= w;
            if (inside)
                for (int t = k * k; t < bytesPerChannel * 8; t++)
                    sum += bit(wts, fb + t) == 0 ? 2 : 0;
        }
        return sum;
    }

    private static double[] linear(LayerCall c, byte[] in, boolean exact) {
        int n = c.ints[1], k = c.ints[2], row = (n + 7) / 8;
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            int matches = 0;
            for (int i = 0; i < row * 8; i++) {
                int x = i < n ? bit(in, i) : 0; // the input's padding bits are 0
                matches += x == bit(c.weights, j * row * 8 + i) ? 1 : 0;
            }
            int dot = 2 * matches - n;
            double x = exact ? dot + (double) c.bias[j] : (float) ((float) dot + c.bias[j]);
            out[j] = bn(x, c, j, exact);
        }
        return out;
    }
}
