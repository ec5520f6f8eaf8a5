package ebnn.codegen.c;

import static ebnn.codegen.c.Tools.cmd;
import static ebnn.codegen.c.Tools.tool;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.spi.CompileOptions;
import ebnn.core.plan.MemoryPlanner;

/**
 * The plain C folder's example.c embeds the compile's sample; built by its own Makefile
 * ({@code make example}) with the host compiler and run, it prints the class and scores the JVM
 * runtime computes for that sample (real MNIST digits; the trained ConvPool-1 of examples/models and FINN's TFC).
 */
public class ExampleMainTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void exampleMainPrintsTheJvmsClassOfItsSample() throws Exception {
        Dataset d = Reference.mnist();
        int[] samples = { 0, 1 }; // a 7 and a 2
        int i = 0;
        for (String arch : List.of("convpool-1", "finn-tfc")) {
            BinaryModel m = arch.equals("finn-tfc") ? Reference.paper(arch) : Reference.trained(Path.of("../examples/models/" + arch + ".ebnn"));
            byte[] sample = d.sample(samples[i++]);
            StringJoiner sj = new StringJoiner(",");
            for (byte x : sample)
                sj.add(Integer.toString(x & 0xff));
            Path dir = tmp.newFolder(arch).toPath();
            Built.generate(m, MemoryPlanner.plan(m, Device.named("host")),
                    new CompileOptions(null, false, false, Map.of("sample", sj.toString(), "sample-origin", "mnist t10k sample")), dir);
            assertTrue(Files.readString(dir.resolve("example.c")).contains("mnist t10k sample"));
            Tools.runOk(dir, 120, cmd("make", "-s", "example", "CC=" + tool("gcc"), "CFLAGS=-O2 -Werror"));
            Tools.Result r = Tools.runOk(dir, 60, cmd(dir.resolve("example").toString()));
            Reference.Answers expected = Reference.jvm(m, sample);
            List<String> lines = List.of(r.out().split("\n"));
            assertEquals(r.out(), "class " + expected.classes()[0], lines.get(0));
            for (int c = 0; c < m.classes(); c++)
                assertEquals(r.out(), "score " + c + " " + expected.scores()[c], lines.get(1 + c));
            assertEquals(arch + " classifies the digit as labelled", d.label(samples[i - 1]), expected.classes()[0]);
        }
    }

    /**
     * A model whose output is a bit vector of 13 bits (two bytes, three padding bits), with batch
     * norm before the last sign: example.c prints "bits " and the bits as 0/1, first output first,
     * equal to the signs of the float model's own evaluation and to the JVM's outputBits.
     */
    @Test
    public void exampleMainOfABitOutputModelPrintsItsBits() throws Exception {
        java.util.Random r = new java.util.Random(13);
        List<ebnn.api.model.Layer> l = new java.util.ArrayList<>();
        l.add(new ebnn.api.model.Sign("in_sign"));
        l.add(new ebnn.api.model.Dense("fc1", 40, 24, pm(r, 40 * 24), ebnn.api.model.Params.empty()));
        l.add(new ebnn.api.model.Sign("s1"));
        l.add(new ebnn.api.model.Dense("fc2", 24, 13, pm(r, 24 * 13), ebnn.api.model.Params.empty()));
        double[] g = new double[13], b = new double[13], mu = new double[13], v = new double[13];
        for (int c = 0; c < 13; c++) {
            g[c] = (c % 4 == 0 ? -1 : 1) * (0.5 + r.nextDouble());
            b[c] = 0.3 * r.nextGaussian();
            mu[c] = 3 * r.nextGaussian();
            v[c] = 1 + 20 * r.nextDouble();
        }
        l.add(new ebnn.api.model.BatchNorm("bn2", 13, ebnn.api.model.Params.of(g), ebnn.api.model.Params.of(b), ebnn.api.model.Params.of(mu),
                ebnn.api.model.Params.of(v), 1e-5));
        l.add(new ebnn.api.model.Sign("s2"));
        ebnn.api.model.Model fm = new ebnn.api.model.Model("bits13", new ebnn.api.model.InputSpec(ebnn.api.model.Shape.vector(40),
                ebnn.api.model.Layout.NCHW, -0.5, 254.5), l);
        BinaryModel m = ebnn.core.lower.Lowering.lower(fm);
        assertEquals(ebnn.api.model.OutputKind.BITS, m.outputKind());
        ebnn.api.model.FloatEvaluator eval = new ebnn.api.model.FloatEvaluator(fm);
        ebnn.api.spi.CompiledModel jvm = new ebnn.runtime.java.JvmEngine().load(m);
        for (int k = 0; k < 6; k++) {
            byte[] sample = new byte[40];
            for (int i = 0; i < 40; i++)
                sample[i] = (byte) (r.nextBoolean() ? 1 + r.nextInt(255) : 0);
            StringJoiner sj = new StringJoiner(",");
            for (byte x : sample)
                sj.add(Integer.toString(x & 0xff));
            Path dir = tmp.newFolder("bits13-" + k).toPath();
            Built.generate(m, MemoryPlanner.plan(m, Device.named("host")), new CompileOptions(null, false, false, Map.of("sample", sj.toString())), dir);
            Tools.runOk(dir, 120, cmd("make", "-s", "example", "CC=" + tool("gcc"), "CFLAGS=-O2 -Werror"));
            String out = Tools.runOk(dir, 60, cmd(dir.resolve("example").toString())).out().strip();
            double[] f = eval.scores(sample);
            StringBuilder want = new StringBuilder("bits ");
            boolean[] bits = jvm.outputBits(sample);
            for (int c = 0; c < 13; c++) {
                assertEquals("float model output " + c + " is a sign", 1.0, Math.abs(f[c]), 0);
                assertEquals("JVM bit " + c, f[c] > 0, bits[c]);
                want.append(f[c] > 0 ? '1' : '0');
            }
            assertEquals(want.toString(), out);
        }
    }

    private static ebnn.api.model.Params pm(java.util.Random r, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++)
            w[i] = r.nextBoolean() ? 1 : -1;
        return ebnn.api.model.Params.of(w);
    }
}
