package ebnn.ebnnc.internal;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Samples;
import ebnn.core.lower.Lowering;
import ebnn.runtime.java.JvmEngine;

/**
 * Headers in eBNN's generated grammar with seeded random geometry and parameters — what the four
 * example models do not cover: multi-channel float input, padded binary convs, pool padding and
 * strides, negative γ and negative std, blinear_layer between convs and the scores, dense rows
 * with 0 padding bits, binary first layers — each classify random inputs exactly as the test's
 * exact evaluation of eBNN's semantics does.
 */
public class RandomHeadersTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static String header(long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("#include \"ebnn.h\"\n");
        StringBuilder compute = new StringBuilder();
        boolean floatIn = r.nextInt(3) > 0;
        int d = floatIn ? 1 + r.nextInt(3) : 1 + r.nextInt(2), w = 6 + r.nextInt(6);
        String inType = floatIn ? "float" : "uint8_t";
        String buf = "input";
        int layer = 0, convs = 1 + r.nextInt(3), bits = 0;
        for (int c = 0; c < convs && w >= 3; c++, layer++) {
            int k = 1 + r.nextInt(Math.min(5, w)), s = 1 + r.nextInt(2), p = r.nextInt((k + 1) / 2);
            if (k - p > w)
                p = 0;
            int conv = (w - k + 2 * p) / s + 1;
            int pk = 1 + r.nextInt(Math.min(3, conv)), ps = 1 + r.nextInt(2), pp = r.nextInt(pk);
            if (conv + 2 * pp < pk)
                pp = 0;
            int pooled = (conv + 2 * pp - pk) / ps + 1;
            int f = 1 + r.nextInt(12);
            boolean fl = c == 0 && floatIn;
            int taps = k * k, per = fl ? (taps * d + 7) / 8 : d * ((taps + 7) / 8);
            String n = "l_conv" + layer;
            int[] wts = new int[f * per];
            for (int o = 0; o < f; o++)
                for (int ch = 0; ch < d; ch++)
                    for (int t = 0; t < (fl ? taps : (taps + 7) / 8 * 8); t++) {
                        long bit = fl ? (long) o * per * 8 + ch * taps + t : (long) o * per * 8 + ch * ((taps + 7) / 8) * 8 + t;
                        if (t >= taps || r.nextBoolean()) // bconv's padding bits are 1, as eBNN writes them
                            wts[(int) (bit / 8)] |= 0x80 >> (bit % 8);
                    }
            double scale = fl ? Math.sqrt(taps * d) * 40 / 255.0 : Math.sqrt(taps * d);
            arrays(b, n, wts, f, scale, r);
            b.append("void ").append(n).append("(").append(c == 0 ? inType : "uint8_t").append("* input, uint8_t* output){\n  ")
                    .append(fl ? "fconv_layer" : "bconv_layer").append("(input, ").append(n).append("_W, output, ").append(n).append("_b, ")
                    .append(n).append("_gamma, ").append(n).append("_beta, ").append(n).append("_mean, ").append(n).append("_std, ")
                    .append(String.format(Locale.ROOT, "1, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d);%n}%n%n", f, w, w, d,
                            k, k, s, s, p, p, pk, pk, ps, ps, pp, pp));
            String out = "temp" + (1 + layer % 2);
            compute.append("  ").append(n).append("(").append(buf).append(", ").append(out).append(");\n");
            buf = out;
            d = f;
            w = pooled;
            bits = f * pooled * pooled;
        }
        int n = bits;
        if (r.nextBoolean()) { // a blinear_layer before the scores
            int k = 1 + r.nextInt(40);
            linear(b, "l_lin" + layer, n, k, r, "blinear_layer");
            String out = "temp" + (1 + layer % 2);
            compute.append("  l_lin").append(layer).append("(").append(buf).append(", ").append(out).append(");\n");
            buf = out;
            n = k;
            layer++;
        }
        linear(b, "l_sm" + layer, n, 2 + r.nextInt(9), r, "blinear_sm_layer");
        compute.append("  l_sm").append(layer).append("(").append(buf).append(", output);\n");
        b.append("\nuint8_t temp1[1024] = {0};\nuint8_t temp2[1024] = {0};\nvoid ebnn_compute(").append(inType)
                .append(" *input, uint8_t *output){\n").append(compute).append("}\n");
        return b.toString();
    }

    private static void linear(StringBuilder b, String name, int n, int k, Random r, String fn) {
        int row = (n + 7) / 8;
        int[] w = new int[k * row];
        for (int i = 0; i < w.length; i++)
            w[i] = r.nextInt(256); // padding bits random: eBNN counts the 0s
        arrays(b, name, w, k, Math.sqrt(n), r);
        b.append("void ").append(name).append("(uint8_t* input, uint8_t* output){\n  ").append(fn).append("(input, ").append(name)
                .append("_W, output, ").append(name).append("_b, ").append(name).append("_gamma, ").append(name).append("_beta, ").append(name)
                .append("_mean, ").append(name).append("_std, 1, ").append(n).append(", ").append(k).append(");\n}\n\n");
    }

    private static void arrays(StringBuilder b, String n, int[] w, int ch, double scale, Random r) {
        b.append("float ").append(n).append("_b[").append(ch).append("] = {").append(floats(ch, r, 0.01 * scale, 0)).append("};\n");
        b.append("uint8_t ").append(n).append("_W[").append(w.length).append("] = {");
        for (int i = 0; i < w.length; i++)
            b.append(i == 0 ? "" : ",").append(w[i]);
        b.append("};\n");
        b.append("float ").append(n).append("_beta[").append(ch).append("] = {").append(floats(ch, r, 0.3, 0)).append("};\n");
        b.append("float ").append(n).append("_gamma[").append(ch).append("] = {").append(floats(ch, r, 1, 0.2)).append("};\n");
        b.append("float ").append(n).append("_mean[").append(ch).append("] = {").append(floats(ch, r, scale * 0.5, 0)).append("};\n");
        b.append("float ").append(n).append("_std[").append(ch).append("] = {").append(floats(ch, r, scale, 0.3 * scale)).append("};\n");
    }

    /** Gaussian values times {@code sd}, kept at least {@code min} away from 0 when min > 0; signs mixed. */
    private static String floats(int n, Random r, double sd, double min) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double v = r.nextGaussian() * sd;
            if (min > 0 && Math.abs(v) < min)
                v = Math.copySign(min, v == 0 ? 1 : v);
            if (min > 0 && r.nextInt(5) > 0)
                v = Math.abs(v); // mostly positive γ and std, some negative
            s.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.8g", v));
        }
        return s.toString();
    }

    @Test
    public void randomHeadersClassifyAsEbnnSemanticsSay() throws Exception {
        for (long seed = 1; seed <= 60; seed++) {
            String text = header(seed);
            Path f = tmp.newFile("random" + seed + ".h").toPath();
            Files.writeString(f, text);
            BinaryModel bm = Lowering.lower(new EbnnHeaderImporter().read(f).model());
            EbnnReference ref = EbnnReference.load(f);
            Random r = new Random(seed * 31);
            int count = 64, size = bm.inputSize();
            int[][] px = new int[count][size];
            byte[] chw = new byte[count * size];
            boolean floatIn = text.contains("fconv_layer");
            for (int i = 0; i < count; i++)
                for (int j = 0; j < size; j++) {
                    px[i][j] = floatIn ? r.nextInt(256) : r.nextInt(2);
                    chw[i * size + j] = (byte) px[i][j];
                }
            int[] got = new JvmEngine().load(bm).classifyBatch(Samples.chwToHwc(chw, count, bm.input()), count, new int[count * bm.classes()]);
            for (int i = 0; i < count; i++)
                assertEquals("seed " + seed + " sample " + i + ":\n" + text, ref.run(px[i], true).cls(), got[i]);
        }
    }
}
