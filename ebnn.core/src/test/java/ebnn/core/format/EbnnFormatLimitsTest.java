package ebnn.core.format;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.management.ManagementFactory;

import org.junit.Test;

import ebnn.api.ModelFormatException;
import ebnn.core.format.proto.ModelFileProto;

/**
 * Issue 8, limits of the .ebnn reader: small files declaring huge layers, absurd shapes or floods
 * of layers and labels are refused with the numbers, before the memory they ask for is allocated
 * (measured with the per-thread allocation counter: at most {@value #BUDGET_MB} MB beyond a few
 * copies of the file itself).
 */
public class EbnnFormatLimitsTest {
    static final long BUDGET_MB = 16;

    private static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static void refused(String what, ModelFileProto.ModelFile.Builder f, String... numbers) {
        byte[] file = EbnnFormat.frame(f.build().toByteArray(), EbnnFormat.VERSION);
        long before = MX.getCurrentThreadAllocatedBytes();
        try {
            EbnnFormat.fromBytes(file, what);
            fail(what + ": read");
        } catch (ModelFormatException e) {
            for (String n : numbers)
                assertTrue(what + ": '" + e.getMessage() + "' should give " + n, e.getMessage().contains(n));
        }
        long allocated = MX.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("%s: %d-byte file refused after allocating %.1f MB%n", what, file.length, allocated / 1048576.0);
        assertTrue(what + " (" + file.length + " bytes) allocated " + allocated / (1 << 20) + " MB before it was refused",
                allocated < (BUDGET_MB << 20) + 4L * file.length);
    }

    private static ModelFileProto.ModelFile.Builder file(int c, int h, int w) {
        return ModelFileProto.ModelFile.newBuilder().setName("m")
                .setInput(ModelFileProto.InputSpec.newBuilder().setChannels(c).setHeight(h).setWidth(w).setHigh(1));
    }

    private static ModelFileProto.Layer.Builder dense(String name, int in, int out) {
        return ModelFileProto.Layer.newBuilder().setName(name).setDense(ModelFileProto.Dense.newBuilder().setInputs(in).setOutputs(out));
    }

    @Test(timeout = 60_000)
    public void hugeLayersDeclaredButNotPresent() {
        refused("2^28 weights declared, none present", file(1, 1, 16384).addLayers(dense("fc", 16384, 16384)), "fc", "268435456", "holds 0");
        refused("2^32 weights declared", file(1, 1, 65536).addLayers(dense("fc", 65536, 65536)), "fc", "4294967296", "268435456");
        refused("conv of 2^40 weights", file(1, 8, 8).addLayers(ModelFileProto.Layer.newBuilder().setName("conv").setConv2D(
                ModelFileProto.Conv2d.newBuilder().setInChannels(1 << 20).setOutChannels(1 << 20).setKernelH(1).setKernelW(1))), "conv");
        refused("batch norm of 2^31-1 channels", file(1, 1, 4).addLayers(ModelFileProto.Layer.newBuilder().setName("bn").setBatchNorm(
                ModelFileProto.BatchNorm.newBuilder().setChannels(Integer.MAX_VALUE))), "bn", String.valueOf(Integer.MAX_VALUE));
    }

    private static ModelFileProto.Layer.Builder binaryDense(String name, int in, int out, int signBytes, int scales) {
        ModelFileProto.BinaryWeights.Builder b = ModelFileProto.BinaryWeights.newBuilder()
                .setSigns(com.google.protobuf.ByteString.copyFrom(new byte[signBytes]));
        for (int i = 0; i < scales; i++)
            b.addScale(1);
        return ModelFileProto.Layer.newBuilder().setName(name)
                .setDense(ModelFileProto.Dense.newBuilder().setInputs(in).setOutputs(out).setBinaryWeights(b));
    }

    @Test(timeout = 60_000)
    public void hugeBinaryLayersAreRefusedBeforeTheirWeightsAreExpanded() {
        // version 2: one sign bit a weight, so a small file could otherwise expand into gigabytes of doubles
        refused("2^28 binary weights declared, 1 byte of signs present", file(1, 1, 16384).addLayers(binaryDense("fc", 16384, 16384, 1, 1)), "fc",
                "268435456", "33554432 bytes of signs", "holds 1 bytes");
        // 8200 x 8192 weights, all their signs present (8.4 MB): more than a file may expand to (2^26)
        refused("2^26 + 65,536 binary weights, signs present", file(1, 1, 8192).addLayers(binaryDense("fc", 8192, 8200, 8200 * 1024, 1)), "fc",
                "67174400", String.valueOf(EbnnFormat.MAX_BINARY_WEIGHTS));
    }

    @Test(timeout = 60_000)
    public void absurdInputShapes() {
        refused("a 65536x65536 input", file(1, 65536, 65536).addLayers(dense("fc", 4, 2)), "65536");
        refused("a negative input", file(-1, 28, 28).addLayers(dense("fc", 4, 2)), "-1");
    }

    @Test(timeout = 60_000)
    public void floodsOfLayersAndLabelsAreRefusedBeforeParsing() {
        ModelFileProto.ModelFile.Builder layers = file(1, 1, 4);
        ModelFileProto.Layer sign = ModelFileProto.Layer.newBuilder().setSign(ModelFileProto.Sign.getDefaultInstance()).build();
        for (int i = 0; i <= EbnnFormat.MAX_LAYERS; i++)
            layers.addLayers(sign);
        refused("65537 layers", layers, String.valueOf(EbnnFormat.MAX_LAYERS));
        ModelFileProto.ModelFile.Builder labels = file(1, 1, 4).addLayers(dense("fc", 4, 2));
        for (int i = 0; i <= EbnnFormat.MAX_LABELS; i++)
            labels.addLabels("");
        refused("2^20+1 labels", labels, String.valueOf(EbnnFormat.MAX_LABELS));
    }

    @Test(timeout = 60_000)
    public void floodsOfDyadicValuesAreRefusedBeforeParsing() {
        // version 3: a zero numerator is one byte of a packed field and a long (8 bytes) once parsed
        ModelFileProto.Dyadic.Builder d = ModelFileProto.Dyadic.newBuilder();
        for (int i = 0; i <= EbnnFormat.MAX_DYADIC_VALUES; i++)
            d.addNumerator(0);
        refused("2^22+1 dyadic values", file(1, 1, 4).addLayers(ModelFileProto.Layer.newBuilder().setName("t")
                .setAffine(ModelFileProto.Affine.newBuilder().setChannels(1).addScale(1).setShiftDyadic(d))), String.valueOf(EbnnFormat.MAX_DYADIC_VALUES),
                "dyadic values");
        // a huge channel count with one value present: refused by count, before any value is built
        refused("2^31-1 affine channels", file(1, 1, 4).addLayers(ModelFileProto.Layer.newBuilder().setName("t").setAffine(ModelFileProto.Affine
                .newBuilder().setChannels(Integer.MAX_VALUE).setScaleDyadic(ModelFileProto.Dyadic.newBuilder().addNumerator(1).addNumerator(2)))),
                "affine layer 't'", String.valueOf(Integer.MAX_VALUE));
    }
}
