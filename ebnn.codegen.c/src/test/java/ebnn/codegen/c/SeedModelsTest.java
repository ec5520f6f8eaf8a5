package ebnn.codegen.c;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.data.Samples;
import ebnn.api.spi.CompileOptions;
import ebnn.core.lower.Lowering;
import ebnn.core.plan.MemoryPlanner;

/**
 * The seed systems' own models through the C back end with real compilers: eBNN's four example
 * headers (../shared/seeds/kunglab-ebnn) classify their 20 bundled samples as eBNN's C did
 * (expected_classes.json) in host C and on simavr (atmega328p), with the JVM runtime's scores; a
 * tinier-nn model.def built here gives the XOR-popcount rule's output bits in the JVM, host C and on AVR.
 * Prints one measurement row per model and device (docs/BENCHMARKS.md).
 */
public class SeedModelsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    public static final List<String> MODELS = List.of("simple_mnist", "binary_mnist", "alex", "simple_cifar10");

    public static Path seeds() {
        Path d = Path.of(System.getProperty("ebnn.seeds", "../../shared/seeds")).resolve("kunglab-ebnn");
        assertTrue("eBNN's example models (../shared/seeds, or -Debnn.seeds=DIR): " + d.toAbsolutePath(), Files.isDirectory(d));
        return d;
    }

    /** The 20 samples of a model's data header as device bytes (HWC): p/255 floats back to p, packed bits to 0/1. */
    public static byte[] samples(String model, BinaryModel m) throws Exception {
        String data = model.equals("binary_mnist") ? "binary_mnist_data" : model.equals("simple_cifar10") ? "cifar10_data" : "mnist_data";
        String s = Files.readString(seeds().resolve("examples").resolve(data + ".h"));
        Matcher mt = Pattern.compile("(float|uint8_t) train_data\\[(\\d+)\\] = \\{([^}]*)\\}").matcher(s);
        assertTrue(mt.find());
        String[] v = mt.group(3).split(",");
        int size = m.inputSize();
        boolean bits = mt.group(1).equals("uint8_t");
        int n = bits ? v.length * 8 / size : v.length / size;
        byte[] chw = new byte[n * size];
        for (int i = 0; i < n * size; i++)
            chw[i] = (byte) (bits ? (Integer.parseInt(v[i / 8].trim()) >> (7 - i % 8)) & 1 : Math.round(Double.parseDouble(v[i].trim()) * 255));
        return Samples.chwToHwc(chw, n, m.input());
    }

    public static int[] expected(String model) throws Exception {
        String s = Files.readString(seeds().resolve("expected_classes.json"));
        Matcher m = Pattern.compile("\"" + model + "\":\\s*\\[([^\\]]*)\\]").matcher(s);
        assertTrue(m.find());
        List<Integer> cls = new ArrayList<>();
        Matcher c = Pattern.compile("\"class\":(\\d+)").matcher(m.group(1));
        while (c.find())
            cls.add(Integer.parseInt(c.group(1)));
        return cls.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    public void ebnnHeadersOnHostAndAvr() throws Exception {
        for (String name : MODELS) {
            BinaryModel m = Lowering.lower(new ebnn.ebnnc.internal.EbnnHeaderImporter().read(seeds().resolve("examples/" + name + ".h")).model());
            byte[] in = samples(name, m);
            Reference.Answers jvm = Reference.jvm(m, in);
            assertArrayEquals(name + ": JVM against eBNN's C", expected(name), jvm.classes());
            Built host = Built.generate(m, MemoryPlanner.plan(m, Device.named("host")), CompileOptions.defaults(), tmp.newFolder(name + "-host").toPath());
            Built.Outputs h = host.runHost(host.buildHost(), in);
            Reference.assertSame(name + " host C", m, jvm, h);
            assertArrayEquals(name + ": host C against eBNN's C", expected(name), h.classes());
            // the integer models fit the 2 KB atmega328p except simple_cifar10, whose 3,072 B input alone does not;
            // alex takes 74 M cycles a digit under simavr, so its first 4 samples (the other 16 ran above in host C)
            String mcu = name.equals("simple_cifar10") ? "atmega2560" : "atmega328p";
            int k = name.equals("alex") ? 4 : 20;
            avr(name, m, java.util.Arrays.copyOf(in, k * m.inputSize()), head(jvm, k, m.classes()), mcu);
        }
    }

    public static Reference.Answers head(Reference.Answers a, int n, int classes) {
        return new Reference.Answers(java.util.Arrays.copyOf(a.classes(), n), java.util.Arrays.copyOf(a.scores(), n * classes));
    }

    private void avr(String name, BinaryModel m, byte[] in, Reference.Answers jvm, String mcu) throws Exception {
        MemoryPlan plan = new CBackend().refine(m, MemoryPlanner.plan(m, Device.named(mcu)));
        assertTrue(name + " fits " + mcu + ": " + plan.overflows(), plan.fits());
        Built b = Built.generate(m, plan, CompileOptions.defaults(), tmp.newFolder(name + "-" + mcu).toPath());
        Path elf = b.buildAvr(mcu, "-O2");
        Built.Outputs out = b.runAvr(elf, mcu, in);
        Reference.assertSame(name + " on simavr " + mcu, m, jvm, out);
        Map<String, Long> sec = AvrSimTest.sections(elf);
        long ram = sec.getOrDefault(".data", 0L) + sec.getOrDefault(".bss", 0L);
        System.out.println(Built.fmt("| %s | %s | %.0f | %d | %d | %d | %d |", name, mcu, out.meanCycles(), plan.dataFlashBytes(),
                sec.getOrDefault(".text", 0L) + sec.getOrDefault(".data", 0L), ram, out.maxStack()));
    }

    /** tinier-nn's rule on the bits of one input, written here from the words: bit = popcount(w XOR x) <= IN/2, layer by layer. */
    public static boolean[] rule(List<boolean[][]> layers, boolean[] x) {
        for (boolean[][] w : layers) {
            boolean[] y = new boolean[w.length];
            for (int o = 0; o < w.length; o++) {
                int mism = 0;
                for (int i = 0; i < x.length; i++)
                    mism += w[o][i] != x[i] ? 1 : 0;
                y[o] = mism <= x.length / 2;
            }
            x = y;
        }
        return x;
    }

    /** A model.def of random weights with these layer sizes, written to a file; its layers' weights in {@code layers}. */
    private Path modelDef(Random r, int[] sizes, List<boolean[][]> layers) throws Exception {
        Path f = tmp.newFile("model-" + sizes.length + "-" + r.nextInt(1000) + ".def").toPath();
        Files.writeString(f, modelDefText(r, sizes, layers));
        return f;
    }

    /** The text of a model.def of random weights with these layer sizes; its layers' weights in {@code layers}. */
    public static String modelDefText(Random r, int[] sizes, List<boolean[][]> layers) {
        StringBuilder def = new StringBuilder("bnn\n");
        for (int l = 1; l < sizes.length; l++) {
            def.append(sizes[l - 1]).append(',').append(sizes[l]).append('\n');
            boolean[][] w = new boolean[sizes[l]][sizes[l - 1]];
            for (boolean[] row : w) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = r.nextBoolean();
                    def.append(row[i] ? '1' : '0');
                }
                def.append('\n');
            }
            layers.add(w);
        }
        return def.append("0,0\n").toString();
    }

    /**
     * The output bits of a model.def in the JVM ({@code CompiledModel.outputBits}), host C and on
     * simavr ({@code _infer_bits}, read in the header's documented order) all equal the rule, on
     * {@code in}'s samples ({@code avrSamples} of them on the AVR).
     */
    private void tinierOnEveryBackEnd(String name, List<boolean[][]> layers, BinaryModel m, byte[] in, int avrSamples) throws Exception {
        assertEquals(ebnn.api.model.OutputKind.BITS, m.outputKind());
        int inputs = m.inputSize(), outs = m.classes(), bytes = ebnn.api.binary.Packing.outputBitBytes(outs);
        int n = in.length / inputs;
        boolean[][] want = new boolean[n][];
        ebnn.api.spi.CompiledModel jvm = new ebnn.runtime.java.JvmEngine().load(m);
        for (int s = 0; s < n; s++) {
            boolean[] x = new boolean[inputs];
            for (int i = 0; i < inputs; i++)
                x[i] = in[s * inputs + i] != 0;
            want[s] = rule(layers, x);
            boolean[] got = new boolean[outs];
            jvm.outputBits(in, s * inputs, got);
            assertArrayEquals(name + " JVM sample " + s, want[s], got);
        }
        Built host = Built.generate(m, MemoryPlanner.plan(m, Device.named("host")), CompileOptions.defaults(), tmp.newFolder(name + "-host").toPath());
        assertTrue(Files.readString(host.sourceDir().resolve(host.prefix + ".h")).contains("void " + host.prefix + "_infer_bits(const uint8_t *input, uint8_t *bits);"));
        Built.Outputs h = host.runHost(host.buildHost(), in);
        assertEquals(name + " host C samples", n, h.count());
        for (int s = 0; s < n; s++)
            for (int k = 0; k < outs; k++)
                assertEquals(name + " host C sample " + s + " bit " + k, want[s][k], h.bit(s, bytes, k));
        String mcu = "atmega328p";
        MemoryPlan plan = new CBackend().refine(m, MemoryPlanner.plan(m, Device.named(mcu)));
        assertTrue(name + " fits " + mcu + ": " + plan.overflows(), plan.fits());
        Built b = Built.generate(m, plan, CompileOptions.defaults(), tmp.newFolder(name + "-" + mcu).toPath());
        Path elf = b.buildAvr(mcu, "-O2");
        Built.Outputs out = b.runAvr(elf, mcu, java.util.Arrays.copyOf(in, avrSamples * inputs));
        assertEquals(name + " simavr samples", avrSamples, out.count());
        for (int s = 0; s < avrSamples; s++)
            for (int k = 0; k < outs; k++)
                assertEquals(name + " simavr sample " + s + " bit " + k, want[s][k], out.bit(s, bytes, k));
        Map<String, Long> sec = AvrSimTest.sections(elf);
        System.out.println(Built.fmt("| %s | %s | %.0f | %d | %d | %d | %d |", name, mcu, out.meanCycles(), plan.dataFlashBytes(),
                sec.getOrDefault(".text", 0L) + sec.getOrDefault(".data", 0L), sec.getOrDefault(".data", 0L) + sec.getOrDefault(".bss", 0L),
                out.maxStack()));
    }

    @Test
    public void tinierModelDefOnHostAndAvr() throws Exception {
        Random r = new Random(42);
        List<boolean[][]> layers = new ArrayList<>();
        Path f = modelDef(r, new int[] { 32, 64, 64, 32 }, layers);
        BinaryModel m = Lowering.lower(new ebnn.tinier.internal.TinierImporter().read(f).model());
        int n = 300;
        byte[] in = new byte[n * 32];
        for (int i = 0; i < in.length; i++)
            in[i] = (byte) (r.nextBoolean() ? 1 : 0);
        tinierOnEveryBackEnd("tinier 32-64-64-32", layers, m, in, n);
    }

    @Test
    public void smallModelDefOnEveryValueOfSixteenInputBits() throws Exception {
        // 2^32 inputs of the smallest model.def (32 bits) are too many: every value of the low 16 bits, the high 16 fixed at random
        Random r = new Random(7);
        List<boolean[][]> layers = new ArrayList<>();
        BinaryModel m = Lowering.lower(new ebnn.tinier.internal.TinierImporter().read(modelDef(r, new int[] { 32, 32 }, layers)).model());
        int n = 1 << 16;
        byte[] in = new byte[n * 32];
        for (int v = 0; v < n; v++)
            for (int i = 0; i < 32; i++)
                in[v * 32 + i] = (byte) (i < 16 ? v >> i & 1 : r.nextBoolean() ? 1 : 0);
        // simavr: the first 4,096 (every value of the low 12 bits)
        tinierOnEveryBackEnd("tinier 32-32", layers, m, in, 4096);
    }
}
