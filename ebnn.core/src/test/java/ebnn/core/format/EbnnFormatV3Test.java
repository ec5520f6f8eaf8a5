package ebnn.core.format;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;

import com.google.protobuf.InvalidProtocolBufferException;

import ebnn.api.ModelFormatException;
import ebnn.api.model.Affine;
import ebnn.api.model.Dense;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.Layout;
import ebnn.api.model.Model;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;
import ebnn.core.format.proto.ModelFileProto;
import ebnn.core.lower.Lowering;
import ebnn.core.lower.ThresholdForm;
import ebnn.testing.RandomModels;

/**
 * Format version 3: an affine's scale and shift as dyadic numbers (integers times one power of two)
 * when that is exact and smaller, which is how a trained model's thresholds are written; versions 1
 * and 2 stay readable; every malformed dyadic field is one clear error.
 */
public class EbnnFormatV3Test {

    private static ModelFileProto.ModelFile message(byte[] file) {
        try {
            return ModelFileProto.ModelFile.parseFrom(Arrays.copyOfRange(file, EbnnFormat.HEADER_BYTES, file.length - EbnnFormat.TRAILER_BYTES));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static Model withAffine(double[] scale, double[] shift) {
        int n = Math.max(scale.length, shift.length);
        return new Model("m", new InputSpec(Shape.vector(3), Layout.NCHW, 0, 1), List.<Layer>of(new Sign("in"),
                new Dense("fc", 3, n, Params.of(new double[3 * n]), Params.empty()), new Affine("t", n, Params.of(scale), Params.of(shift))),
                List.of());
    }

    @Test
    public void affineValuesAreDyadicExactlyWhenThatIsExactAndSmaller() {
        // thresholds (1/2 - tau), +-1 directions, scores m / 2^24: dyadic, and read back bit for bit
        double[][] dyadic = { { 1, -1, 1 }, { 0.5, -41.5, 1e6 + 0.5 }, { Math.scalb(12345, -24), Math.scalb(-7, -24), 0 }, { 3 } };
        for (double[] v : dyadic) {
            Model m = withAffine(v, v);
            byte[] file = EbnnFormat.toBytes(m);
            ModelFileProto.Affine a = message(file).getLayers(2).getAffine();
            assertTrue(Arrays.toString(v), a.hasScaleDyadic() && a.hasShiftDyadic());
            assertEquals(0, a.getScaleCount() + a.getShiftCount());
            assertEquals(m, EbnnFormat.fromBytes(file));
        }
        // values a dyadic encoding would change or not shrink: -0.0, non-dyadic, huge numerators, subnormals
        double[][] floats = { { 1, -0.0, 1 }, { 0.1, 1, 2 }, { Math.scalb(1.0, 60) + 1024, 1, 1 }, { Double.MIN_VALUE, 1, 1 },
                { Math.nextUp(1.0), 1, 1 } };
        for (double[] v : floats) {
            Model m = withAffine(v, v);
            byte[] file = EbnnFormat.toBytes(m);
            ModelFileProto.Affine a = message(file).getLayers(2).getAffine();
            assertTrue(Arrays.toString(v), !a.hasScaleDyadic() && a.getScaleCount() == 3);
            Model back = EbnnFormat.fromBytes(file);
            assertEquals(m, back);
            double[] s = ((Affine) back.layers().get(2)).scale().toArray();
            for (int i = 0; i < 3; i++)
                assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(s[i]));
        }
    }

    @Test
    public void versionTwoFilesStayReadableAndEveryVersionReadsTheSameModel() {
        for (long seed = 0; seed < 40; seed++) {
            Model m = ThresholdForm.of(RandomModels.model(seed));
            byte[] v2 = EbnnFormat.toBytesV2(m), v3 = EbnnFormat.toBytes(m);
            assertEquals(2, v2[7]);
            assertEquals(3, v3[7]);
            assertEquals("seed " + seed, m, EbnnFormat.fromBytes(v2));
            assertEquals("seed " + seed, m, EbnnFormat.fromBytes(v3));
            assertEquals("seed " + seed, m, EbnnFormat.fromBytes(EbnnFormat.toBytesV1(m)));
            assertTrue("seed " + seed + ": v3 " + v3.length + " B, v2 " + v2.length + " B", v3.length <= v2.length);
        }
    }

    @Test
    public void theCommittedVersionTwoModelsOfBeforeStillRead() throws Exception {
        // examples/models as committed before version 3 (ebnn:train's conv-1, float batch norms, binary weights)
        byte[] old = Files.readAllBytes(Path.of("src/test/resources/ebnn/core/format/v2/conv-1.ebnn"));
        assertEquals(2, old[7]);
        Model m = EbnnFormat.fromBytes(old);
        Model form = ThresholdForm.of(m);
        byte[] v3 = EbnnFormat.toBytes(form);
        assertEquals(Lowering.lower(m), Lowering.lower(EbnnFormat.fromBytes(v3)));
        System.out.printf("conv-1: version 2 with float batch norms %,d B, version 3 in threshold form %,d B%n", old.length, v3.length);
        assertTrue(v3.length * 10 < old.length * 6);
    }

    // ------------------------------------------------------------------ malformed dyadic values

    private static byte[] affine(int version, int channels, ModelFileProto.Dyadic.Builder scale, int floatScales) {
        ModelFileProto.Affine.Builder a = ModelFileProto.Affine.newBuilder().setChannels(channels).setScaleDyadic(scale).addShift(0);
        for (int i = 0; i < floatScales; i++)
            a.addScale(1);
        ModelFileProto.ModelFile f = ModelFileProto.ModelFile.newBuilder().setName("m")
                .setInput(ModelFileProto.InputSpec.newBuilder().setChannels(channels).setHeight(1).setWidth(1).setHigh(1))
                .addLayers(ModelFileProto.Layer.newBuilder().setName("t").setAffine(a))
                .addLayers(ModelFileProto.Layer.newBuilder().setName("s").setSign(ModelFileProto.Sign.getDefaultInstance()))
                .addLayers(ModelFileProto.Layer.newBuilder().setName("fc").setDense(ModelFileProto.Dense.newBuilder().setInputs(channels)
                        .setOutputs(1).setBinaryWeights(ModelFileProto.BinaryWeights.newBuilder()
                                .setSigns(com.google.protobuf.ByteString.copyFrom(new byte[(channels + 7) / 8])).addScale(1))))
                .build();
        return EbnnFormat.frame(f.toByteArray(), version);
    }

    private static ModelFileProto.Dyadic.Builder dyadic(int exponent, long... numerators) {
        ModelFileProto.Dyadic.Builder d = ModelFileProto.Dyadic.newBuilder().setExponent(exponent);
        for (long n : numerators)
            d.addNumerator(n);
        return d;
    }

    private static void refused(String what, byte[] file, String... parts) {
        try {
            EbnnFormat.fromBytes(file, what);
            fail(what + ": read");
        } catch (ModelFormatException e) {
            assertTrue(what + ": " + e.getMessage(), e.getMessage().startsWith(what + ": layer #0: affine layer 't'"));
            for (String p : parts)
                assertTrue(what + ": '" + e.getMessage() + "' should say " + p, e.getMessage().contains(p));
        }
    }

    @Test
    public void everyMalformedDyadicFieldIsOneClearError() {
        Model ok = EbnnFormat.fromBytes(affine(3, 3, dyadic(2, 4, -2, 1), 0));
        assertEquals(Params.of(1, -0.5, 0.25), ((Affine) ok.layers().get(0)).scale());
        refused("in a version 2 file", affine(2, 3, dyadic(2, 4, -2, 1), 0), "dyadic scale in a version 2 file", "since version 3");
        refused("in a version 1 file", affine(1, 3, dyadic(2, 4, -2, 1), 0), "version 1 file");
        refused("floats and dyadic", affine(3, 3, dyadic(0, 1, 1, 1), 3), "both 3 float64 and dyadic scale");
        refused("two for three", affine(3, 3, dyadic(0, 1, 1), 0), "declares 3 channels", "holds 2 dyadic scale values");
        refused("none", affine(3, 3, dyadic(0), 0), "holds 0 dyadic scale values");
        refused("negative exponent", affine(3, 3, dyadic(-1, 1, 1, 1), 0), "exponent -1 is outside 0..1100");
        refused("huge exponent", affine(3, 3, dyadic(1101, 1, 1, 1), 0), "exponent 1101");
        refused("numerator past 2^53", affine(3, 3, dyadic(0, 1, (1L << 53) + 1, 1), 0), "scale #1", "beyond the exact doubles");
        refused("numerator min", affine(3, 3, dyadic(0, Long.MIN_VALUE, 1, 1), 0), "scale #0");
    }

    @Test
    public void everyTruncationAndByteFlipOfAVersionThreeFileIsRefused() {
        byte[] b = EbnnFormat.toBytes(ThresholdForm.of(RandomModels.model(11)));
        assertTrue(message(b).getLayersList().stream().anyMatch(l -> l.getAffine().hasShiftDyadic()));
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
                if (i != 7) // the version byte: 0x13 is a newer version, refused below
                    fail("byte " + i + " flipped and read");
            } catch (ModelFormatException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("model bytes: "));
            }
        }
        byte[] newer = b.clone();
        newer[7] = 4;
        try {
            EbnnFormat.fromBytes(newer);
            fail("version 4 read");
        } catch (ModelFormatException e) {
            assertEquals("model bytes: .ebnn format version 4 was written by a newer ebnn; this reader knows versions up to 3 (upgrade ebnn)",
                    e.getMessage());
        }
    }
}
