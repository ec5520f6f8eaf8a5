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
    record LayerCall(String function, int[] weights, float[] bias, float[] gamma, float[] beta, float[] mean, float[] std, int[] ints,
            int[] padOnes) {
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
                    floats(arrays.get(f[7].trim())), floats(arrays.get(f[8].trim())), ints,
                    new int[ints.length > 4 ? ints[1] * ints[4] : 0]));
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
     * Activations are kept as ±1 per element; the packing (MSB first, tail bits 0) only matters
     * where eBNN popcounts whole bytes, which the padding-bit terms below account for.
     */
    Run run(int[] pixels, boolean exact) {
        int[] act = null;
        List<double[]> pre = new ArrayList<>();
        for (int li = 0; li < calls.size(); li++) {
            LayerCall c = calls.get(li);
            boolean fl = c.function.equals("fconv_layer");
            if (li == 0 && !fl) {
                act = new int[pixels.length];
                for (int i = 0; i < act.length; i++)
                    act[i] = pixels[i] != 0 ? 1 : -1;
            }
            double[] v = switch (c.function) {
            case "fconv_layer", "bconv_layer" -> conv(c, fl ? pixels : null, act, exact);
            case "blinear_layer", "blinear_sm_layer" -> linear(c, act, exact);
            default -> throw new IllegalStateException(c.function);
            };
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
            act = new int[v.length];
            for (int i = 0; i < v.length; i++)
                act[i] = v[i] >= 0 ? 1 : -1;
        }
        throw new IllegalStateException("no blinear_sm_layer");
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

    /** Values compared with 0, in filter, row, column order: the conv map of raw dots, max-pooled, + bias, batch norm. */
    private double[] conv(LayerCall c, int[] pixels, int[] in, boolean exact) {
        int[] a = c.ints; // m, num_f, w, h, d, kw, kh, sw, sh, pw, ph, pl_w, pl_h, pl_sw, pl_sh, pl_pw, pl_ph
        int nf = a[1], w = a[2], d = a[4], k = a[5], s = a[7], p = a[9], pk = a[11], ps = a[13], pp = a[15];
        int convN = (w - k + 2 * p) / s + 1;
        int poolN = (convN + 2 * pp - pk) / ps + 1;
        boolean fl = pixels != null;
        int[] sw = signs(c, fl);
        float[] fx = null;
        if (fl) {
            fx = new float[pixels.length];
            for (int i = 0; i < fx.length; i++)
                fx[i] = (float) (pixels[i] / 255.0);
        }
        double[] map = fl ? null : cached(c, in);
        if (map == null) {
            map = new double[nf * convN * convN];
            for (int f = 0; f < nf; f++)
            for (int cy = 0; cy < convN; cy++)
                for (int cx = 0; cx < convN; cx++)
                    map[(f * convN + cy) * convN + cx] = fl ? fdot(sw, c.padOnes, f, pixels, fx, cy * s - p, cx * s - p, w, d, k, exact)
                            : bdot(sw, c.padOnes, f, in, cy * s - p, cx * s - p, w, d, k);
            if (!fl)
                cache(c, in, map);
        }
        double[] out = new double[nf * poolN * poolN];
        for (int f = 0; f < nf; f++)
            for (int py = 0; py < poolN; py++)
                for (int px = 0; px < poolN; px++) {
                    double max = -Float.MAX_VALUE;
                    for (int dy = 0; dy < pk; dy++)
                        for (int dx = 0; dx < pk; dx++) {
                            int cy = py * ps - pp + dy, cx = px * ps - pp + dx;
                            if (cy >= 0 && cx >= 0 && cy < convN && cx < convN) // padded pool positions never win
                                max = Math.max(max, map[(f * convN + cy) * convN + cx]);
                        }
                    double x = exact ? max + c.bias[f] : (float) ((float) max + c.bias[f]);
                    out[(f * poolN + py) * poolN + px] = bn(x, c, f, exact);
                }
        return out;
    }

    /** The binary layers' dot products of the last input per layer: the exact and float32 runs share them while their bits agree. */
    private final java.util.Map<LayerCall, Object[]> last = new java.util.IdentityHashMap<>();

    private synchronized double[] cached(LayerCall c, int[] in) {
        Object[] e = last.get(c);
        return e != null && java.util.Arrays.equals((int[]) e[0], in) ? (double[]) e[1] : null;
    }

    private synchronized void cache(LayerCall c, int[] in, double[] dots) {
        last.put(c, new Object[] { in.clone(), dots });
    }

    private final java.util.Map<LayerCall, int[]> signs = new java.util.IdentityHashMap<>();

    /**
     * The filters as ±1 per (filter, channel, tap): fconv's bits run on across channels, bconv's
     * start each channel on a byte. For bconv, padOnes holds per (filter, channel) twice the 0
     * padding bits of its last byte, which eBNN's whole-byte popcount counts in unpadded windows.
     */
    private synchronized int[] signs(LayerCall c, boolean fl) {
        return signs.computeIfAbsent(c, x -> {
            int[] a = c.ints;
            int nf = a[1], d = a[4], k = a[5], taps = k * k;
            int[] sg = new int[nf * d * taps];
            int per = fl ? (taps * d + 7) / 8 : d * ((taps + 7) / 8);
            for (int f = 0; f < nf; f++)
                for (int ch = 0; ch < d; ch++) {
                    int base = f * per * 8 + (fl ? ch * taps : ch * ((taps + 7) / 8) * 8);
                    for (int t = 0; t < taps; t++)
                        sg[(f * d + ch) * taps + t] = bit(c.weights, base + t) == 1 ? 1 : -1;
                    if (!fl)
                        for (int t = taps; t < (taps + 7) / 8 * 8; t++)
                            c.padOnes[f * d + ch] += bit(c.weights, base + t) == 0 ? 2 : 0;
                }
            return sg;
        });
    }

    /** The float first layer: Σ ±x over the window, padding 0.0, in eBNN's channel, row, column order. */
    private static double fdot(int[] sw, int[] padOnes, int f, int[] px, float[] fx, int y0, int x0, int w, int d, int k, boolean exact) {
        long sum = 0;
        float acc = 0;
        int b = f * d * k * k;
        for (int ch = 0; ch < d; ch++)
            for (int y = y0; y < y0 + k; y++)
                for (int x = x0; x < x0 + k; x++, b++) {
                    boolean out = y < 0 || x < 0 || y >= w || x >= w;
                    int i = (ch * w + y) * w + x;
                    if (exact)
                        sum += out ? 0 : sw[b] * px[i];
                    else
                        acc += out ? 0f : sw[b] > 0 ? fx[i] : -fx[i];
                }
        return exact ? sum / 255.0 : acc;
    }

    /** The binary layers: per channel, ±1 products over the taps inside the input (padding contributes nothing). */
    private static double bdot(int[] sw, int[] padOnes, int f, int[] in, int y0, int x0, int w, int d, int k) {
        int sum = 0, taps = k * k;
        boolean inside = y0 >= 0 && x0 >= 0 && y0 + k <= w && x0 + k <= w;
        for (int ch = 0; ch < d; ch++) {
            int b = (f * d + ch) * taps;
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++) {
                    int y = y0 + ky, x = x0 + kx;
                    if (y >= 0 && x >= 0 && y < w && x < w)
                        sum += in[(ch * w + y) * w + x] * sw[b + ky * k + kx];
                }
            if (inside) // an unpadded window popcounts the whole filter bytes: 0 padding bits match the slice's 0s
                sum += padOnes[f * d + ch];
        }
        return sum;
    }

    private double[] linear(LayerCall c, int[] in, boolean exact) {
        int n = c.ints[1], k = c.ints[2], row = (n + 7) / 8;
        double[] dots = cached(c, in);
        if (dots == null) {
            dots = new double[k];
            for (int j = 0; j < k; j++) {
                int matches = 0;
                for (int i = 0; i < row * 8; i++) {
                    int x = i < n ? (in[i] > 0 ? 1 : 0) : 0; // the input's padding bits are 0
                    matches += x == bit(c.weights, j * row * 8 + i) ? 1 : 0;
                }
                dots[j] = 2 * matches - n;
            }
            cache(c, in, dots);
        }
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            double dot = dots[j];
            double x = exact ? dot + (double) c.bias[j] : (float) ((float) dot + c.bias[j]);
            out[j] = bn(x, c, j, exact);
        }
        return out;
    }
}
