package ebnn.onnx.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

import ai.onnx.proto.OnnxMl.ModelProto;
import ebnn.api.UnsupportedModelException;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Model;
import ebnn.api.spi.ImportResult;

/**
 * Streamlined FINN graphs (thresholds that fold a batch norm, unipolar {0,1} activations,
 * XnorPopcountMatMul with {0,1} weights, custom domain undeclared in opset_import), checked
 * against the op definitions computed directly in the test; and the node accounting of reports.
 */
public class FinnStyleTest {
    static final String FINN = "finn.custom_op.general";

    /** input[16] -> MT(T0, bipolar) -> MatMul ±1 [16,8] -> MT(T1, unipolar) -> XnorPopcountMatMul {0,1} [8,4]. */
    static G streamlined(double[] t0, double[] w1, double[] t1, double[] w2) {
        G g = new G().input("x", 1, 16).output("y", 1, 4);
        g.init("T0", new long[] { 16, 1 }, t0).init("W1", new long[] { 16, 8 }, w1).init("T1", new long[] { 8, 1 }, t1)
                .init("W2", new long[] { 8, 4 }, w2);
        g.add(g.node("MultiThreshold", "mt0", new String[] { "x", "T0" }, "a0").setDomain(FINN).addAttribute(G.f("out_scale", 2))
                .addAttribute(G.f("out_bias", -1)).addAttribute(G.s("out_dtype", "BIPOLAR")));
        g.add(g.node("MatMul", "mm", new String[] { "a0", "W1" }, "h"));
        g.add(g.node("MultiThreshold", "mt1", new String[] { "h", "T1" }, "a1").setDomain(FINN).addAttribute(G.s("out_dtype", "BINARY")));
        g.add(g.node("XnorPopcountMatMul", "xnor", new String[] { "a1", "W2" }, "y").setDomain(FINN));
        return g;
    }

    @Test
    public void streamlinedFinnGraphMatchesTheOpDefinitions() {
        Random r = new Random(5);
        for (int trial = 0; trial < 5; trial++) {
            double[] t0 = new double[16], w1 = new double[128], t1 = new double[8], w2 = new double[32];
            for (int i = 0; i < 16; i++)
                t0[i] = r.nextInt(256) + 0.5; // thresholds on raw pixel values
            for (int i = 0; i < 128; i++)
                w1[i] = r.nextBoolean() ? 1 : -1;
            for (int i = 0; i < 8; i++)
                t1[i] = r.nextInt(9) - 4 + 0.5; // a folded batch norm: threshold between two integer sums
            for (int i = 0; i < 32; i++)
                w2[i] = r.nextInt(2);
            ModelProto mp = streamlined(t0, w1, t1, w2).model();
            ImportResult res = OnnxImporter.translate(mp, "finn", "test");
            Model m = res.model();
            assertEquals(0, m.input().low(), 0);
            assertEquals(255, m.input().high(), 0);
            FloatEvaluator ev = new FloatEvaluator(m);
            for (int s = 0; s < 50; s++) {
                byte[] px = new byte[16];
                r.nextBytes(px);
                // the op definitions, straight
                double[] a0 = new double[16];
                for (int i = 0; i < 16; i++)
                    a0[i] = 2 * ((px[i] & 0xff) >= t0[i] ? 1 : 0) - 1;
                int[] a1 = new int[8];
                for (int o = 0; o < 8; o++) {
                    double h = 0;
                    for (int i = 0; i < 16; i++)
                        h += a0[i] * w1[i * 8 + o];
                    a1[o] = h >= t1[o] ? 1 : 0;
                }
                double[] want = new double[4];
                for (int o = 0; o < 4; o++)
                    for (int i = 0; i < 8; i++)
                        want[o] += a1[i] == (int) w2[i * 4 + o] ? 1 : 0;
                double[] got = ev.scores(px);
                for (int o = 0; o < 4; o++)
                    assertEquals("trial " + trial + " sample " + s + " output " + o, want[o], got[o], 1e-9);
            }
        }
    }

    @Test
    public void twoHeadsOnTheSameScoresAreBothDropped() {
        G g = new G().input("x", "N", 4).output("prob", "N", 2);
        g.g.addOutput(G.value("cls", 7, "N"));
        g.init("w", new long[] { 4, 2 }, 1, -1, 1, 1, -1, 1, 1, -1);
        g.add(g.node("Sign", "s", new String[] { "x" }, "xs"));
        g.add(g.node("MatMul", "fc", new String[] { "xs", "w" }, "logits"));
        g.add(g.node("Softmax", "softmax", new String[] { "logits" }, "prob"));
        g.add(g.node("ArgMax", "argmax", new String[] { "logits" }, "cls").addAttribute(G.i("axis", 1)));
        ImportResult r = OnnxImporter.translate(g.model(), "m", "test");
        assertEquals(List.of("sign", "dense"), r.model().layers().stream().map(l -> l.kind()).toList());
        String all = String.join("\n", r.report());
        assertTrue(all, all.contains("(Softmax, ArgMax) -> dropped as argmax-preserving"));
        // and a real branch is still refused
        G b = new G().input("x", "N", 4).output("y", "N", 2);
        b.init("w", new long[] { 4, 2 }, 1, -1, 1, 1, -1, 1, 1, -1);
        b.add(b.node("Sign", "s", new String[] { "x" }, "xs"));
        b.add(b.node("MatMul", "fc", new String[] { "xs", "w" }, "y"));
        b.add(b.node("MatMul", "fc_branch", new String[] { "xs", "w" }, "y2"));
        try {
            OnnxImporter.translate(b.model(), "m", "test");
            throw new AssertionError("a branch must be refused");
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("fc_branch") && e.getMessage().contains("branches"));
        }
    }

    @Test
    public void multiBitThresholdsAreRefusedNamingTheNode() {
        G g = new G().input("x", 1, 4).output("y", 1, 4).init("T", new long[] { 4, 3 }, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3);
        g.add(g.node("MultiThreshold", "act_2bit", new String[] { "x", "T" }, "y").setDomain("qonnx.custom_op.general"));
        try {
            OnnxImporter.translate(g.model(), "m", "test");
            throw new AssertionError("a 2-bit activation must be refused");
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("act_2bit") && e.getMessage().contains("3 thresholds per channel"));
        }
    }

    @Test
    public void everyNodeOfTheRealFilesIsAccountedForInTheReport() {
        for (String f : List.of("finn_build_dataflow_tfc_w1a1.onnx", "larq_tf2onnx_gtsrb_bnn_48x48.onnx", "hls4ml_bnn_model_fc_1layer.onnx")) {
            ModelProto mp = OnnxFiles.read(Models.file(f));
            ImportResult r = OnnxImporter.translate(mp, "m", f);
            TreeSet<Integer> seen = new TreeSet<>();
            Pattern one = Pattern.compile("^node (\\d+) "), range = Pattern.compile("^nodes (\\d+)\\.\\.(\\d+) "), list = Pattern.compile("^nodes ([\\d,]+) ");
            for (String line : r.report()) {
                Matcher a = one.matcher(line), b = range.matcher(line), c = list.matcher(line);
                if (a.find())
                    seen.add(Integer.parseInt(a.group(1)));
                else if (b.find())
                    for (int i = Integer.parseInt(b.group(1)); i <= Integer.parseInt(b.group(2)); i++)
                        assertTrue(f + ": node " + i + " reported twice", seen.add(i));
                else if (c.find())
                    for (String s : c.group(1).split(","))
                        assertTrue(f + ": node " + s + " reported twice", seen.add(Integer.parseInt(s)));
            }
            assertEquals(f + " " + r.report(), mp.getGraph().getNodeCount(), seen.size());
            assertEquals(0, (int) seen.first());
            assertEquals(mp.getGraph().getNodeCount() - 1, (int) seen.last());
        }
    }
}
