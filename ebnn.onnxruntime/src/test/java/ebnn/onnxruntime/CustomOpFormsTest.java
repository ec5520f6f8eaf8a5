package ebnn.onnxruntime;

import static org.junit.Assert.assertEquals;

import java.util.Random;

import org.junit.Test;

import ebnn.api.binary.BinaryModel;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Model;
import ebnn.api.spi.CompiledModel;
import ebnn.core.lower.Lowering;
import ebnn.onnx.internal.G;
import ebnn.onnx.internal.OnnxImporter;
import ebnn.runtime.java.JvmEngine;

/**
 * The forms FINN and QONNX write that ONNX Runtime cannot run (custom domains, undeclared in
 * opset_import), built here and checked against the ops' definitions computed directly in the
 * test: the imported float model and the lowered model in the JVM runtime must give the class the
 * definitions give, for every sample.
 */
public class CustomOpFormsTest {
    static final String FINN = "finn.custom_op.general", QONNX = "qonnx.custom_op.general";

    static double[] bits(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++)
            v[i] = r.nextInt(2);
        return v;
    }

    static int argmax(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++)
            if (v[i] > v[b])
                b = i;
        return b;
    }

    /** Imports, lowers and compares with {@code reference} on random byte inputs. */
    static void check(String what, G g, int inputs, java.util.function.Function<int[], double[]> reference) {
        Model m = OnnxImporter.translate(g.model(), what, "test").model();
        BinaryModel b = Lowering.lower(m);
        CompiledModel jvm = new JvmEngine().load(b);
        FloatEvaluator ev = new FloatEvaluator(m);
        Random r = new Random(what.hashCode());
        int n = 400;
        byte[] all = new byte[n * inputs];
        r.nextBytes(all);
        int[] byJvm = jvm.classifyBatch(all, n, null);
        for (int s = 0; s < n; s++) {
            byte[] px = java.util.Arrays.copyOfRange(all, s * inputs, (s + 1) * inputs);
            int[] p = new int[inputs];
            for (int i = 0; i < inputs; i++)
                p[i] = px[i] & 0xff;
            int want = argmax(reference.apply(p));
            assertEquals(what + " sample " + s + ": float model", want, ev.classify(px));
            assertEquals(what + " sample " + s + ": JVM runtime", want, byJvm[s]);
        }
    }

    /**
     * FINN "ready for HLS": MultiThreshold to {0,1} (out_scale 1) on raw pixels, XnorPopcountMatMul with {0,1}
     * weights, thresholds in the popcount domain (integers + 1/2, some channels decreasing because γ < 0 was
     * absorbed by flipping the weight column), a second XnorPopcountMatMul giving popcount scores.
     */
    @Test
    public void finnXnorPopcountWithPopcountDomainThresholds() {
        for (int trial = 0; trial < 4; trial++) {
            Random r = new Random(40 + trial);
            int k0 = 24, h = 12, c = 5;
            double[] t0 = new double[k0], w1 = bits(r, k0 * h), t1 = new double[h], w2 = bits(r, h * c);
            for (int i = 0; i < k0; i++)
                t0[i] = r.nextInt(255) + 0.5;
            for (int i = 0; i < h; i++)
                t1[i] = r.nextInt(k0 - 4) + 2.5;
            G g = new G().input("x", 1, k0).output("y", 1, c);
            g.init("T0", new long[] { k0, 1 }, t0).init("W1", new long[] { k0, h }, w1).init("T1", new long[] { h, 1 }, t1)
                    .init("W2", new long[] { h, c }, w2);
            g.add(g.node("MultiThreshold", "mt0", new String[] { "x", "T0" }, "a0").setDomain(FINN).addAttribute(G.s("out_dtype", "BINARY")));
            g.add(g.node("XnorPopcountMatMul", "xnor1", new String[] { "a0", "W1" }, "p1").setDomain(FINN));
            g.add(g.node("MultiThreshold", "mt1", new String[] { "p1", "T1" }, "a1").setDomain(FINN).addAttribute(G.s("out_dtype", "BINARY")));
            g.add(g.node("XnorPopcountMatMul", "xnor2", new String[] { "a1", "W2" }, "y").setDomain(FINN));
            final double[] T0 = t0, W1 = w1, T1 = t1, W2 = w2;
            check("xnor" + trial, g, k0, px -> {
                int[] a0 = new int[k0];
                for (int i = 0; i < k0; i++)
                    a0[i] = px[i] >= T0[i] ? 1 : 0;
                int[] a1 = new int[h];
                for (int o = 0; o < h; o++) {
                    int pop = 0;
                    for (int i = 0; i < k0; i++)
                        pop += a0[i] == (int) W1[i * h + o] ? 1 : 0;
                    a1[o] = pop >= T1[o] ? 1 : 0;
                }
                double[] y = new double[c];
                for (int o = 0; o < c; o++)
                    for (int i = 0; i < h; i++)
                        y[o] += a1[i] == (int) W2[i * c + o] ? 1 : 0;
                return y;
            });
        }
    }

    /**
     * FINN streamlined (integer MultiThreshold chain): bipolar MultiThreshold (out_scale 2, out_bias -1) on the input
     * scaled by a Mul, MatMul with ±1 weights whose γ < 0 columns are sign-flipped, an integer MultiThreshold per
     * channel with out_scale/out_bias giving {-1,+1}, a last MatMul and a per-class positive Mul and Add.
     */
    @Test
    public void finnStreamlinedIntegerThresholdChain() {
        for (int trial = 0; trial < 4; trial++) {
            Random r = new Random(70 + trial);
            int k0 = 20, h = 10, c = 4;
            double[] t0 = new double[k0], w1 = new double[k0 * h], t1 = new double[h], w2 = new double[h * c], sc = new double[c], bi = new double[c];
            for (int i = 0; i < k0; i++)
                t0[i] = (r.nextInt(255) + 0.5) / 255.0;
            for (int i = 0; i < w1.length; i++)
                w1[i] = r.nextBoolean() ? 1 : -1;
            for (int o = 0; o < h; o += 3) // a γ < 0 channel: FINN flips its column (and keeps the thresholds increasing)
                for (int i = 0; i < k0; i++)
                    w1[i * h + o] = -w1[i * h + o];
            for (int i = 0; i < h; i++)
                t1[i] = 2 * r.nextInt(k0 / 2) - k0 / 2 + 1; // between two reachable (same-parity) sums
            for (int i = 0; i < w2.length; i++)
                w2[i] = r.nextBoolean() ? 1 : -1;
            for (int o = 0; o < c; o++) {
                sc[o] = 0.5 + r.nextDouble();
                bi[o] = r.nextGaussian();
            }
            G g = new G().input("x", 1, k0).output("y", 1, c);
            g.init("inv255", new long[0], 1 / 255.0).init("T0", new long[] { k0, 1 }, t0).init("W1", new long[] { k0, h }, w1)
                    .init("T1", new long[] { h, 1 }, t1).init("W2", new long[] { h, c }, w2).init("S", new long[] { c }, sc)
                    .init("B", new long[] { c }, bi);
            g.add(g.node("Mul", "scale", new String[] { "x", "inv255" }, "x1"));
            g.add(g.node("MultiThreshold", "mt0", new String[] { "x1", "T0" }, "a0").setDomain(QONNX).addAttribute(G.f("out_scale", 2))
                    .addAttribute(G.f("out_bias", -1)));
            g.add(g.node("MatMul", "mm1", new String[] { "a0", "W1" }, "h1"));
            g.add(g.node("MultiThreshold", "mt1", new String[] { "h1", "T1" }, "a1").setDomain(QONNX).addAttribute(G.f("out_scale", 2))
                    .addAttribute(G.f("out_bias", -1)));
            g.add(g.node("MatMul", "mm2", new String[] { "a1", "W2" }, "z"));
            g.add(g.node("Mul", "mul", new String[] { "z", "S" }, "zs"));
            g.add(g.node("Add", "add", new String[] { "zs", "B" }, "y"));
            final double[] T0 = t0, W1 = w1, T1 = t1, W2 = w2, SC = sc, BI = bi;
            check("streamlined" + trial, g, k0, px -> {
                double[] a0 = new double[k0];
                for (int i = 0; i < k0; i++)
                    a0[i] = (float) (px[i] * (float) (1 / 255.0)) >= (float) T0[i] ? 1 : -1;
                double[] a1 = new double[h];
                for (int o = 0; o < h; o++) {
                    double s = 0;
                    for (int i = 0; i < k0; i++)
                        s += a0[i] * W1[i * h + o];
                    a1[o] = s >= T1[o] ? 1 : -1;
                }
                double[] y = new double[c];
                for (int o = 0; o < c; o++) {
                    for (int i = 0; i < h; i++)
                        y[o] += a1[i] * W2[i * c + o];
                    y[o] = y[o] * (float) SC[o] + (float) BI[o];
                }
                return y;
            });
        }
    }

    /**
     * QONNX from Brevitas: BipolarQuant on the ±1 input, Gemm with BipolarQuant weights (per-row scale) and a 4-bit
     * Quant bias, a 1-bit signed Quant activation (the Quant form of a binarization), MatMul with 1-bit Quant weights.
     */
    @Test
    public void qonnxBipolarQuantAndOneBitQuant() {
        for (int trial = 0; trial < 4; trial++) {
            Random r = new Random(90 + trial);
            int k = 12, h = 8, c = 3;
            double[] w1 = new double[h * k], s1 = new double[h], b1 = new double[h], w2 = new double[h * c];
            for (int i = 0; i < w1.length; i++)
                w1[i] = r.nextGaussian();
            for (int o = 0; o < h; o++) {
                s1[o] = 0.25 + r.nextDouble();
                b1[o] = r.nextGaussian() * 2;
            }
            for (int i = 0; i < w2.length; i++)
                w2[i] = r.nextGaussian();
            G g = new G().input("x", 1, k).output("y", 1, c);
            g.init("one", new long[0], 1).init("W1", new long[] { h, k }, w1).init("S1", new long[] { h, 1 }, s1).init("B1", new long[] { h }, b1)
                    .init("bs", new long[0], 0.25).init("zp", new long[0], 0).init("b4", new long[0], 4).init("b1", new long[0], 1)
                    .init("as", new long[0], 0.5).init("W2", new long[] { h, c }, w2).init("ws", new long[0], 0.125);
            g.add(g.node("BipolarQuant", "qin", new String[] { "x", "one" }, "xq").setDomain("onnx.brevitas"));
            g.add(g.node("BipolarQuant", "qw1", new String[] { "W1", "S1" }, "w1q").setDomain("onnx.brevitas"));
            g.add(g.node("Quant", "qb1", new String[] { "B1", "bs", "zp", "b4" }, "b1q").setDomain("onnx.brevitas")
                    .addAttribute(G.i("signed", 1)).addAttribute(G.i("narrow", 0)));
            g.add(g.node("Gemm", "fc1", new String[] { "xq", "w1q", "b1q" }, "h1").addAttribute(G.i("transB", 1)));
            g.add(g.node("Quant", "qa", new String[] { "h1", "as", "zp", "b1" }, "a1").setDomain(QONNX).addAttribute(G.i("signed", 1))
                    .addAttribute(G.i("narrow", 1)));
            g.add(g.node("Quant", "qw2", new String[] { "W2", "ws", "zp", "b1" }, "w2q").setDomain(QONNX).addAttribute(G.i("signed", 1))
                    .addAttribute(G.i("narrow", 1)));
            g.add(g.node("MatMul", "fc2", new String[] { "a1", "w2q" }, "y"));
            final double[] W1 = w1, S1 = s1, B1 = b1, W2 = w2;
            check("qonnx" + trial, g, k, px -> {
                double[] x = new double[k];
                for (int i = 0; i < k; i++)
                    x[i] = -1 + px[i] * 2 / 255.0 >= 0 ? 1 : -1; // a sign on the input: the input is ±1 data
                double[] a = new double[h];
                for (int o = 0; o < h; o++) {
                    double s = 0;
                    for (int i = 0; i < k; i++)
                        s += x[i] * (W1[o * k + i] >= 0 ? S1[o] : -S1[o]);
                    double q = Math.max(-8, Math.min(7, Math.rint(B1[o] / 0.25))) * 0.25;
                    a[o] = s + q >= 0 ? 0.5 : -0.5;
                }
                double[] y = new double[c];
                for (int o = 0; o < c; o++)
                    for (int i = 0; i < h; i++)
                        y[o] += a[i] * (W2[i * c + o] >= 0 ? 0.125 : -0.125);
                return y;
            });
        }
    }
}
