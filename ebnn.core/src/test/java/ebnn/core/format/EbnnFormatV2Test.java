package ebnn.core.format;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import ebnn.api.ModelFormatException;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Layer;
import ebnn.api.model.Model;
import ebnn.core.format.proto.ModelFileProto;

/**
 * Format version 2: binarized dense and conv weights as sign bits plus per-output-channel scales,
 * every other layer and parameter as in version 1, which stays readable.
 */
public class EbnnFormatV2Test {

    private static ModelFileProto.ModelFile message(byte[] file) {
        try {
            return ModelFileProto.ModelFile.parseFrom(Arrays.copyOfRange(file, EbnnFormat.HEADER_BYTES, file.length - EbnnFormat.TRAILER_BYTES));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether a layer's weights are, per output channel, +s or -s: what version 2 stores as bits. */
    private static boolean binary(double[] w, int outputs) {
        int per = w.length / outputs;
        for (int o = 0; o < outputs; o++) {
            double s = Math.abs(w[o * per]);
            if (!(s > 0) || Double.isInfinite(s))
                return false;
            for (int i = o * per; i < (o + 1) * per; i++)
                if (Math.abs(w[i]) != s)
                    return false;
        }
        return true;
    }

    /** Each dense and conv layer of the file holds bits exactly when its weights are binary, and floats otherwise. */
    private static int checkStorage(Model m, byte[] file) {
        ModelFileProto.ModelFile f = message(file);
        int bits = 0;
        for (int i = 0; i < m.layers().size(); i++) {
            Layer l = m.layers().get(i);
            ModelFileProto.Layer pl = f.getLayers(i);
            if (l instanceof Dense d) {
                boolean b = binary(d.weights().toArray(), d.outputs());
                assertEquals(l.name() + " stored as bits", b, pl.getDense().hasBinaryWeights());
                assertEquals(l.name() + " float weights", b ? 0 : d.weights().length(), pl.getDense().getWeightsCount());
                bits += b ? 1 : 0;
            } else if (l instanceof Conv2d c) {
                boolean b = binary(c.weights().toArray(), c.outChannels());
                assertEquals(l.name() + " stored as bits", b, pl.getConv2D().hasBinaryWeights());
                assertEquals(l.name() + " float weights", b ? 0 : c.weights().length(), pl.getConv2D().getWeightsCount());
                bits += b ? 1 : 0;
            }
        }
        return bits;
    }

    @Test
    public void binarizedLayersAreStoredAsBitsAndReadBackExactly() {
        for (long seed = 0; seed < 200; seed++) {
            Model m = SampleModels.binarized(seed);
            byte[] v2 = EbnnFormat.toBytes(m);
            assertEquals("seed " + seed, m, EbnnFormat.fromBytes(v2));
            assertArrayEquals("deterministic, seed " + seed, v2, EbnnFormat.toBytes(EbnnFormat.fromBytes(v2)));
            assertTrue("every dense and conv layer as bits, seed " + seed, checkStorage(m, v2) > 0);
            ModelFileProto.ModelFile f = message(v2);
            for (ModelFileProto.Layer l : f.getLayersList()) {
                ModelFileProto.BinaryWeights b = l.hasDense() ? l.getDense().getBinaryWeights() : l.hasConv2D() ? l.getConv2D().getBinaryWeights() : null;
                if (b != null && seed % 2 == 1)
                    assertEquals("unit scales share one value, seed " + seed, 1, b.getScaleCount());
            }
            byte[] v1 = EbnnFormat.toBytesV1(m);
            if (seed % 2 == 1) // one shared scale (per-channel scales of 1-weight channels cost what the weights did)
                assertTrue("v2 smaller than v1 for a binarized model, seed " + seed + ": " + v2.length + " vs " + v1.length, v2.length < v1.length);
        }
    }

    @Test
    public void layersWhoseWeightsAreNotBinaryKeepFloatStorage() {
        int floats = 0;
        for (long seed = 0; seed < 200; seed++) {
            Model m = SampleModels.random(seed); // random doubles: -0.0, subnormals, +-1 mixed with others
            byte[] b = EbnnFormat.toBytes(m);
            assertEquals("seed " + seed, m, EbnnFormat.fromBytes(b));
            checkStorage(m, b);
            floats += message(b).getLayersList().stream().filter(l -> l.hasDense() && l.getDense().getWeightsCount() > 0).count();
        }
        assertTrue("float storage exercised", floats > 100);
    }

    @Test
    public void versionOneFilesStayReadable() throws IOException {
        for (long seed = 0; seed < 100; seed++) {
            for (Model m : new Model[] { SampleModels.random(seed), SampleModels.binarized(seed) }) {
                byte[] v1 = EbnnFormat.toBytesV1(m);
                assertEquals(1, v1[7]);
                assertEquals("seed " + seed, m, EbnnFormat.fromBytes(v1));
            }
        }
        // a file the version-1 writer wrote (ebnn:train's conv-1 before version 2): reads, and rewritten as version 2 it is the same model
        Path old = Path.of("src/test/resources/ebnn/core/format/v1/conv-1.ebnn");
        byte[] bytes = Files.readAllBytes(old);
        assertEquals(1, bytes[7]);
        Model m = EbnnFormat.read(old);
        assertEquals("conv-1", m.name());
        assertEquals(0.0, m.input().low(), 0);
        assertEquals(255.0, m.input().high(), 0);
        byte[] v2 = EbnnFormat.toBytes(m);
        assertEquals(m, EbnnFormat.fromBytes(v2));
        System.out.printf("conv-1: version 1 %,d B, version 2 %,d B%n", bytes.length, v2.length);
        assertTrue("v2 at most a fifth of v1: " + v2.length + " vs " + bytes.length, v2.length * 5 < bytes.length);
    }

    @Test
    public void nameAndInputRangeTravelWithTheModel() {
        Model m = SampleModels.binarized(5);
        Model back = EbnnFormat.fromBytes(EbnnFormat.toBytes(m));
        assertEquals(m.name(), back.name());
        assertEquals(m.input(), back.input());
        assertEquals(m.labels(), back.labels());
    }

    // ------------------------------------------------------------------ malformed binary weights

    /** A one-layer v2 file: a dense of 4 x 3 = 12 weights with the given binary weights (and float weights). */
    private static byte[] dense(int version, ModelFileProto.BinaryWeights.Builder b, int floatWeights) {
        ModelFileProto.Dense.Builder d = ModelFileProto.Dense.newBuilder().setInputs(4).setOutputs(3).setBinaryWeights(b);
        for (int i = 0; i < floatWeights; i++)
            d.addWeights(1);
        ModelFileProto.ModelFile f = ModelFileProto.ModelFile.newBuilder().setName("m")
                .setInput(ModelFileProto.InputSpec.newBuilder().setChannels(4).setHeight(1).setWidth(1).setHigh(1))
                .addLayers(ModelFileProto.Layer.newBuilder().setName("fc").setDense(d)).build();
        return EbnnFormat.frame(f.toByteArray(), version);
    }

    private static ModelFileProto.BinaryWeights.Builder bits(int[] signs, double... scales) {
        byte[] b = new byte[signs.length];
        for (int i = 0; i < signs.length; i++)
            b[i] = (byte) signs[i];
        ModelFileProto.BinaryWeights.Builder x = ModelFileProto.BinaryWeights.newBuilder().setSigns(ByteString.copyFrom(b));
        for (double s : scales)
            x.addScale(s);
        return x;
    }

    private static void refused(String what, byte[] file, String... parts) {
        try {
            EbnnFormat.fromBytes(file, what);
            fail(what + ": read");
        } catch (ModelFormatException e) {
            assertTrue(what + ": " + e.getMessage(), e.getMessage().startsWith(what + ": layer #0: dense layer 'fc'"));
            for (String p : parts)
                assertTrue(what + ": '" + e.getMessage() + "' should say " + p, e.getMessage().contains(p));
        }
    }

    @Test
    public void everyMalformedBinaryLayerIsOneClearError() {
        int[] ok = { 0xA5, 0x0C }; // 12 bits: 0xC in the low half of the second byte
        Model m = EbnnFormat.fromBytes(dense(2, bits(ok, 1), 0));
        double[] w = ((Dense) m.layers().get(0)).weights().toArray();
        assertArrayEquals(new double[] { 1, -1, 1, -1, -1, 1, -1, 1, -1, -1, 1, 1 }, w, 0);
        m = EbnnFormat.fromBytes(dense(2, bits(ok, 0.5, 2, 3), 0));
        assertArrayEquals(new double[] { .5, -.5, .5, -.5, -2, 2, -2, 2, -3, -3, 3, 3 }, ((Dense) m.layers().get(0)).weights().toArray(), 0);

        refused("in a version 1 file", dense(1, bits(ok, 1), 0), "binary weights in a version 1 file", "since version 2");
        refused("floats and bits", dense(2, bits(ok, 1), 12), "both 12 float weights and binary weights");
        refused("one sign byte short", dense(2, bits(new int[] { 0xA5 }, 1), 0), "12 binary weights (2 bytes of signs)", "holds 1 bytes");
        refused("one sign byte too many", dense(2, bits(new int[] { 0xA5, 0x0C, 0 }, 1), 0), "holds 3 bytes");
        refused("padding bits set", dense(2, bits(new int[] { 0xA5, 0x1C }, 1), 0), "unused bits of the last sign byte");
        refused("two scales for three outputs", dense(2, bits(ok, 1, 1), 0), "1 or 3", "holds 2");
        refused("no scale", dense(2, bits(ok), 0), "1 or 3", "holds 0");
        for (double bad : new double[] { 0, -0.0, -1, Double.NaN, Double.POSITIVE_INFINITY })
            refused("scale " + bad, dense(2, bits(ok, 1, bad, 1), 0), "scale #1 is " + bad, "not a finite positive number");
    }

    @Test
    public void everyTruncationAndByteFlipOfAVersionTwoFileIsRefused() {
        byte[] b = EbnnFormat.toBytes(SampleModels.binarized(7));
        for (int n = 0; n < b.length; n++)
            try {
                EbnnFormat.fromBytes(Arrays.copyOf(b, n));
                fail("prefix of " + n + " bytes read");
            } catch (ModelFormatException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("model bytes: "));
            }
        for (int i = 0; i < b.length; i++) {
            byte[] x = b.clone();
            x[i] ^= 0x10;
            try {
                EbnnFormat.fromBytes(x);
                if (i != 7) // the version byte: 0x12 is a newer version, refused too (asserted elsewhere)
                    fail("byte " + i + " flipped and read");
            } catch (ModelFormatException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("model bytes: "));
            }
        }
    }
}
