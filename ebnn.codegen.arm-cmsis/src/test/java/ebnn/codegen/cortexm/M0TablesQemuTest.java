package ebnn.codegen.cortexm;

import ebnn.codegen.c.Reference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
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
import ebnn.core.lower.Lowering;
import ebnn.core.plan.MemoryPlanner;
import ebnn.testing.RandomModels;

/**
 * The Cortex-M0 table kernels on the shapes the paper models do not have, under qemu (microbit):
 * byte-input dense layers through nibble tables with inputs not a multiple of 4 or of 32 and
 * shorter than one word; byte-input convs through per-position row tables with 1, 2, 3 and 4 bytes
 * per window row, 1 to 4 window rows, stride 2, padding, 32 filters and 12 filters of 4 rows (the
 * assembly's offset base moves), with and without a pool; two of them also at -O0 and -Os. Classes
 * and scores equal the JVM runtime's on random inputs; each model's source is checked to use the
 * kernel it is meant to test.
 */
public class M0TablesQemuTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void tableKernelsEqualTheJvmRuntime() throws Exception {
        List<Model> models = new ArrayList<>();
        Random r = new Random(61);
        models.add(mlp(r, "dense-75", new Shape(3, 5, 5), 8));
        models.add(mlp(r, "dense-30", new Shape(1, 5, 6), 0));
        models.add(conv(r, "conv-32x3x3", new Shape(1, 9, 11), 32, 3, 3, 1, Padding.same(1), true));
        models.add(conv(r, "conv-12x4x3", new Shape(1, 10, 9), 12, 4, 3, 2, Padding.same(1), false));
        models.add(conv(r, "conv-7x3x2c2", new Shape(2, 7, 7), 7, 3, 2, 1, Padding.same(1), true));
        models.add(conv(r, "conv-5x1x1", new Shape(1, 6, 6), 5, 1, 1, 1, Padding.NONE, false));
        models.add(conv(r, "conv-4x2x3", new Shape(1, 8, 7), 4, 2, 3, 1, Padding.NONE, true));
        models.add(RandomModels.generate(9105).model()); // 1x2 kernel, stride 2, pool
        for (Model model : models) {
            BinaryModel m = Lowering.lower(model);
            CortexMBackend be = new CortexMBackend();
            MemoryPlan plan = be.refine(m, MemoryPlanner.plan(m, Device.named(Core.M0.device)));
            Random rnd = new Random(model.name().hashCode());
            int n = 30;
            byte[] samples = new byte[n * m.inputSize()];
            for (int i = 0; i < n; i++)
                System.arraycopy(RandomModels.chwToHwc(m.input(), RandomModels.input(model, rnd)), 0, samples, i * m.inputSize(), m.inputSize());
            Firmware fw = Firmware.build(be, m, plan, Core.M0, tmp.newFolder(model.name()).toPath(), "-O2");
            String src = fw.code.files().get(fw.prefix + ".c");
            boolean conv = model.layers().stream().anyMatch(l -> l instanceof Conv2d);
            assertTrue(model.name() + " uses the M0 table kernel", src.contains(conv ? "_erow0(" : "ebnn_cm_nibble_table("));
            Models.assertSame(model.name() + " on " + Core.M0.device, m, Reference.jvm(m, samples), fw.run(samples));
            long stack = QemuCortexMTest.stackUsageBound(fw.dir);
            assertTrue(model.name() + ": -fstack-usage bound " + stack + " B <= planned " + plan.stackBytes() + " B", stack <= plan.stackBytes());
            // the asm's register constraints hold at the other usual optimisation levels too (-O0 keeps r7 as frame pointer)
            if (model.name().equals("dense-75") || model.name().equals("conv-32x3x3"))
                for (String opt : List.of("-O0", "-Os"))
                    Models.assertSame(model.name() + " " + opt, m, Reference.jvm(m, samples),
                            Firmware.build(be, m, plan, Core.M0, tmp.newFolder(model.name() + opt).toPath(), opt).run(samples));
        }
        assertEquals(8, models.size());
    }

    /** Byte input, dense to {@code hidden} (BN, sign) then 10 scores; hidden 0: straight to the scores. */
    private static Model mlp(Random r, String name, Shape in, int hidden) {
        List<Layer> l = new ArrayList<>();
        l.add(new Flatten("flatten"));
        int n = in.size();
        if (hidden > 0) {
            l.add(new Dense("fc1", n, hidden, pm(r, n * hidden), Params.empty()));
            l.add(bn(r, "bn1", hidden, Math.sqrt(n) * 0.25));
            l.add(new Sign("sign1"));
            n = hidden;
        }
        l.add(new Dense("out", n, 10, pm(r, n * 10), Params.empty()));
        return new Model(name, new InputSpec(in, Layout.NCHW, 0, 1), l, labels());
    }

    /** Byte input, conv (stride s), optionally a 2x2 max-pool, BN, sign, dense to 10 scores. */
    private static Model conv(Random r, String name, Shape in, int filters, int kh, int kw, int s, Padding pad, boolean pool) {
        List<Layer> l = new ArrayList<>();
        int taps = in.channels() * kh * kw;
        l.add(new Conv2d("conv1", in.channels(), filters, kh, kw, s, s, pad, pm(r, filters * taps), Params.empty()));
        int h = (in.height() + pad.top() + pad.bottom() - kh) / s + 1, w = (in.width() + pad.left() + pad.right() - kw) / s + 1;
        if (pool) {
            l.add(new MaxPool2d("pool1", 2, 2, 2, 2, Padding.NONE));
            h /= 2;
            w /= 2;
        }
        l.add(bn(r, "bn1", filters, Math.sqrt(taps) * 0.25));
        l.add(new Sign("sign1"));
        l.add(new Flatten("flatten"));
        l.add(new Dense("out", filters * h * w, 10, pm(r, filters * h * w * 10), Params.empty()));
        return new Model(name, new InputSpec(in, Layout.NCHW, 0, 1), l, labels());
    }

    private static Params pm(Random r, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++)
            w[i] = r.nextBoolean() ? 1 : -1;
        return Params.of(w);
    }

    /** Means spread around 0 by {@code spread} (the accumulators' scale on inputs in 0..1), one γ in five negative. */
    private static BatchNorm bn(Random r, String name, int n, double spread) {
        double[] g = new double[n], b = new double[n], m = new double[n], v = new double[n];
        for (int c = 0; c < n; c++) {
            g[c] = (r.nextInt(5) == 0 ? -1 : 1) * (0.5 + r.nextDouble());
            b[c] = 0.1 * r.nextGaussian();
            m[c] = spread * r.nextGaussian();
            v[c] = spread * spread * (0.5 + r.nextDouble());
        }
        return new BatchNorm(name, n, Params.of(g), Params.of(b), Params.of(m), Params.of(v), 1e-5);
    }

    private static List<String> labels() {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < 10; i++)
            s.add(Integer.toString(i));
        return s;
    }
}
