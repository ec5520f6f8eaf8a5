package ebnn.tinier.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.Test;

import ebnn.api.EbnnException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.spi.CompiledModel;
import ebnn.core.lower.Lowering;
import ebnn.runtime.java.JvmEngine;

/**
 * tinier-nn model.def files built here with fixed seeds: the integer model's output bits (score
 * c >= 0) and scores (IN − 2·popcount(w XOR x) of the last layer) equal the XOR-popcount rule
 * evaluated on the text directly; bad files give one error naming the line.
 */
public class ModelDefTest {

    static BinaryModel lower(String def) {
        return Lowering.lower(TinierImporter.translate("model.def", "model", def).model());
    }

    static void check(String def, BinaryModel bm, CompiledModel cm, boolean[] x) {
        byte[] in = new byte[x.length];
        for (int i = 0; i < x.length; i++)
            in[i] = (byte) (x[i] ? 1 : 0);
        int[] scores = new int[bm.classes()];
        int cls = cm.classify(in, 0, scores);
        boolean[] want = ModelDefs.evaluate(def, x);
        int[] mism = ModelDefs.lastMismatches(def, x);
        boolean[] bits = new boolean[scores.length];
        int best = 0;
        for (int c = 0; c < scores.length; c++) {
            bits[c] = scores[c] >= 0;
            if (mism[c] < mism[best])
                best = c;
        }
        assertArrayEquals("output bits for input " + Arrays.toString(x), want, bits);
        int lastIn = 2 * mism[0] + scores[0];
        for (int c = 0; c < scores.length; c++)
            assertEquals("score " + c + " = IN - 2*popcount(w XOR x)", lastIn - 2 * mism[c], scores[c]);
        assertEquals("class: the first neuron with the fewest mismatches", best, cls);
    }

    @Test
    public void smallModelOnEveryValueOfSixteenInputBits() {
        // 2^32 inputs of a 32-bit model are too many for a unit test: every value of the low 16 bits, the high 16 random
        String def = ModelDefs.random(7, 32, 32, 32);
        BinaryModel bm = lower(def);
        CompiledModel cm = new JvmEngine().load(bm);
        Random r = new Random(11);
        for (int v = 0; v < 1 << 16; v++) {
            boolean[] x = new boolean[32];
            for (int i = 0; i < 16; i++)
                x[i] = (v >> i & 1) != 0;
            for (int i = 16; i < 32; i++)
                x[i] = r.nextBoolean();
            check(def, bm, cm, x);
        }
    }

    @Test
    public void randomInputsOf32_64_64_32() {
        for (long seed = 1; seed <= 5; seed++) {
            String def = ModelDefs.random(seed, 32, 64, 64, 32);
            BinaryModel bm = lower(def);
            CompiledModel cm = new JvmEngine().load(bm);
            Random r = new Random(seed + 100);
            for (int n = 0; n < 4000; n++) {
                boolean[] x = new boolean[32];
                for (int i = 0; i < 32; i++)
                    x[i] = r.nextBoolean();
                check(def, bm, cm, x);
            }
        }
    }

    @Test
    public void anyNonzeroInputByteIsBitOne() {
        String def = ModelDefs.random(3, 32, 32);
        BinaryModel bm = lower(def);
        CompiledModel cm = new JvmEngine().load(bm);
        Random r = new Random(5);
        for (int n = 0; n < 200; n++) {
            byte[] a = new byte[32], b = new byte[32];
            for (int i = 0; i < 32; i++) {
                boolean bit = r.nextBoolean();
                a[i] = (byte) (bit ? 1 : 0);
                b[i] = (byte) (bit ? 1 + r.nextInt(255) : 0);
            }
            int[] sa = new int[32], sb = new int[32];
            assertEquals(cm.classify(a, 0, sa), cm.classify(b, 0, sb));
            assertArrayEquals(sa, sb);
        }
    }

    @Test
    public void exportWritesTheImportedFileBackByteIdentical() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tinier");
        try {
            for (long seed = 1; seed <= 5; seed++) {
                String def = ModelDefs.random(seed, 32, 64 * (int) seed, 32);
                java.nio.file.Path in = dir.resolve("in" + seed + ".def"), out = dir.resolve("out" + seed + ".def");
                java.nio.file.Files.writeString(in, def);
                new TinierWriter().write(new TinierImporter().read(in).model(), out);
                assertArrayEquals(java.nio.file.Files.readAllBytes(in), java.nio.file.Files.readAllBytes(out));
            }
        } finally {
            try (var s = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path p : s.toList())
                    java.nio.file.Files.delete(p);
            }
            java.nio.file.Files.delete(dir);
        }
    }

    @Test
    public void exportRefusesWhatModelDefCannotHold() {
        ebnn.api.model.Model m = TinierImporter.translate("m", "m", ModelDefs.random(1, 32, 32, 32)).model();
        java.util.List<ebnn.api.model.Layer> ls = new java.util.ArrayList<>(m.layers());
        ebnn.api.model.Dense d = (ebnn.api.model.Dense) ls.get(1);
        ls.set(1, new ebnn.api.model.Dense(d.name(), 32, 32, d.weights(), ebnn.api.model.Params.filled(32, 0.5)));
        try {
            TinierWriter.toModelDef(new ebnn.api.model.Model("m", m.input(), ls));
            fail("a bias was written");
        } catch (ebnn.api.UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("dense layer 'layer1' has a bias"));
        }
    }

    static void fails(String text, String... parts) {
        try {
            TinierImporter.translate("m.def", "m", text);
            fail("accepted: " + String.join(" ... ", parts));
        } catch (EbnnException e) {
            for (String p : parts)
                assertTrue("'" + e.getMessage() + "' should contain '" + p + "'", e.getMessage().contains(p));
        }
    }

    @Test
    public void badFilesNameTheLine() {
        String def = ModelDefs.random(1, 32, 32, 32);
        String[] lines = def.split("\n");
        fails(def.replaceFirst("bnn", "bnx"), "m.def line 1: a tinier-nn model.def starts with the line 'bnn'");
        fails(def.substring(0, def.length() - 4), "file ends before the final '0,0'");
        fails(def.substring(0, def.indexOf('\n', 200)), "(truncated?)");
        fails(def.replace(lines[3], lines[3].substring(1)), "m.def line 4: neuron 1 of layer 1 has 31 weights");
        fails(def.replace(lines[3], "2" + lines[3].substring(1)), "m.def line 4: weight 1 is '2'");
        fails(def.replace("32,32\n", "30,32\n"), "m.def line 2:", "multiples of 32");
        fails(def.replaceFirst("(?s)(.*)32,32\n", "$164,32\n"), "m.def line 35: layer 2 reads 64 bits but the previous layer writes 32");
        fails(def + "junk\n", "m.def line 69: nothing may follow the final '0,0'");
        fails("bnn\n0,0\n", "m.def line 2: '0,0' ends a model that has no layer");
        fails(def.replace("32,32\n", "32;32\n"), "m.def line 2: expected 'IN,OUT'");
    }

    @Test
    public void chosenByContent() {
        TinierImporter t = new TinierImporter();
        byte[] head = Arrays.copyOf(ModelDefs.random(1, 32, 32).getBytes(StandardCharsets.US_ASCII), 64);
        assertTrue(t.accepts(Path.of("weights.txt"), head));
        assertTrue(t.accepts(Path.of("model.def"), "bnn\r\n32,32\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(t.accepts(Path.of("model.def"), "#include \"ebnn.h\"\n".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(t.accepts(Path.of("x"), "bnnx\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    public void crlfLineEndsReadTheSame() {
        String def = ModelDefs.random(2, 32, 32);
        assertEquals(TinierImporter.translate("a", "m", def).model(), TinierImporter.translate("b", "m", def.replace("\n", "\r\n")).model());
    }
}
