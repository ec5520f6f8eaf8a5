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
import ebnn.api.UnsupportedModelException;
import ebnn.api.model.OutputKind;
import ebnn.api.binary.BinaryModel;
import ebnn.api.spi.CompiledModel;
import ebnn.core.lower.Lowering;
import ebnn.runtime.java.JvmEngine;

/**
 * tinier-nn model.def files built here with fixed seeds: the integer model's output is a bit
 * vector, and its bits equal the XOR-popcount rule evaluated on the text directly; asking it for a
 * class is an error; bad files give one error naming the line.
 */
public class ModelDefTest {

    static BinaryModel lower(String def) {
        return Lowering.lower(TinierImporter.translate("model.def", "model", def).model());
    }

    static void check(String def, CompiledModel cm, boolean[] x) {
        byte[] in = new byte[x.length];
        for (int i = 0; i < x.length; i++)
            in[i] = (byte) (x[i] ? 1 : 0);
        boolean[] bits = new boolean[cm.model().classes()];
        cm.outputBits(in, 0, bits);
        assertArrayEquals("output bits for input " + Arrays.toString(x), ModelDefs.evaluate(def, x), bits);
    }

    @Test
    public void theOutputIsABitVectorNotAClass() {
        String def = ModelDefs.random(7, 32, 64, 32);
        assertEquals(OutputKind.BITS, TinierImporter.translate("m", "m", def).model().outputKind());
        BinaryModel bm = lower(def);
        assertEquals(OutputKind.BITS, bm.outputKind());
        assertEquals(32, bm.classes());
        CompiledModel cm = new JvmEngine().load(bm);
        try {
            cm.classify(new byte[32]);
            fail("a bit-vector model gave a class");
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("outputs a bit vector of 32 bits, not a class"));
        }
        try {
            cm.classifyBatch(new byte[64], 2, null);
            fail("a bit-vector model gave classes");
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not a class"));
        }
    }

    @Test
    public void anOutputBitsArrayTooShortIsRefused() {
        CompiledModel cm = new JvmEngine().load(lower(ModelDefs.random(7, 32, 32)));
        try {
            cm.outputBits(new byte[32], 0, new boolean[31]);
            fail("wrote 32 bits into 31");
        } catch (EbnnException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("outputs 32 bits; the array holds 31"));
        }
    }

    @Test
    public void smallModelOnEveryValueOfSixteenInputBits() {
        // 2^32 inputs of a 32-bit model are too many for a unit test: every value of the low 16 bits, the high 16 random
        String def = ModelDefs.random(7, 32, 32, 32);
        CompiledModel cm = new JvmEngine().load(lower(def));
        Random r = new Random(11);
        for (int v = 0; v < 1 << 16; v++) {
            boolean[] x = new boolean[32];
            for (int i = 0; i < 16; i++)
                x[i] = (v >> i & 1) != 0;
            for (int i = 16; i < 32; i++)
                x[i] = r.nextBoolean();
            check(def, cm, x);
        }
    }

    @Test
    public void randomInputsOf32_64_64_32() {
        for (long seed = 1; seed <= 5; seed++) {
            String def = ModelDefs.random(seed, 32, 64, 64, 32);
            CompiledModel cm = new JvmEngine().load(lower(def));
            Random r = new Random(seed + 100);
            for (int n = 0; n < 4000; n++) {
                boolean[] x = new boolean[32];
                for (int i = 0; i < 32; i++)
                    x[i] = r.nextBoolean();
                check(def, cm, x);
            }
        }
    }

    @Test
    public void anyNonzeroInputByteIsBitOne() {
        String def = ModelDefs.random(3, 32, 32);
        CompiledModel cm = new JvmEngine().load(lower(def));
        Random r = new Random(5);
        for (int n = 0; n < 200; n++) {
            byte[] a = new byte[32], b = new byte[32];
            for (int i = 0; i < 32; i++) {
                boolean bit = r.nextBoolean();
                a[i] = (byte) (bit ? 1 : 0);
                b[i] = (byte) (bit ? 1 + r.nextInt(255) : 0);
            }
            assertArrayEquals(cm.outputBits(a), cm.outputBits(b));
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
    public void aClassModelWithoutTheLastSignWritesTheSameModelDef() {
        // what ebnn imported a model.def as before its output was a bit vector: the last dense layer's scores
        String def = ModelDefs.random(4, 32, 64, 32);
        ebnn.api.model.Model bits = TinierImporter.translate("m", "m", def).model();
        java.util.List<ebnn.api.model.Layer> ls = new java.util.ArrayList<>(bits.layers());
        assertTrue(ls.remove(ls.size() - 1) instanceof ebnn.api.model.Sign);
        ebnn.api.model.Model scores = new ebnn.api.model.Model("m", bits.input(), ls);
        assertEquals(OutputKind.CLASSES, scores.outputKind());
        assertEquals(def, TinierWriter.toModelDef(scores).write());
        assertEquals(def, TinierWriter.toModelDef(bits).write());
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
