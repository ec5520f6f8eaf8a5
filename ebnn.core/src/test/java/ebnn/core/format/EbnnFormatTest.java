package ebnn.core.format;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.EbnnException;
import ebnn.api.InvalidModelException;
import ebnn.api.ModelFormatException;
import ebnn.api.NotFoundException;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Model;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.core.format.proto.ModelFileProto;
import ebnn.testing.PaperModels;
import ebnn.testing.RandomModels;

public class EbnnFormatTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static final int MODELS = 300;

    // ------------------------------------------------------------------ lossless round trip

    @Test
    public void everyRandomModelRoundTripsExactly() {
        for (long seed = 0; seed < MODELS; seed++) {
            Model m = SampleModels.random(seed);
            byte[] bytes = EbnnFormat.toBytes(m);
            Model back = EbnnFormat.fromBytes(bytes);
            assertEquals("seed " + seed, m, back);
            // equals on Params compares bit patterns, so -0.0 and every double survived exactly
            assertArrayEquals("encoding is deterministic, seed " + seed, bytes, EbnnFormat.toBytes(back));
        }
    }

    @Test
    public void aBitOutputModelRoundTripsWithItsOutputKind() {
        // the output kind is the trailing sign, so the format holds it without a field of its own, and older readers'
        // files (no model of theirs ends in a sign) read as the class models they were
        Random r = new Random(9);
        double[] w1 = new double[32 * 64], w2 = new double[64 * 32];
        for (int i = 0; i < w1.length; i++)
            w1[i] = r.nextBoolean() ? 1 : -1;
        for (int i = 0; i < w2.length; i++)
            w2[i] = r.nextBoolean() ? 1 : -1;
        Model m = new Model("bits", new InputSpec(Shape.vector(32), ebnn.api.model.Layout.NCHW, -0.5, 254.5),
                List.of(new ebnn.api.model.Sign("in"), new Dense("l1", 32, 64, Params.of(w1), Params.empty()), new ebnn.api.model.Sign("s1"),
                        new Dense("l2", 64, 32, Params.of(w2), Params.empty()), new ebnn.api.model.Sign("s2")));
        assertEquals(ebnn.api.model.OutputKind.BITS, m.outputKind());
        Model back = EbnnFormat.fromBytes(EbnnFormat.toBytes(m));
        assertEquals(m, back);
        assertEquals(ebnn.api.model.OutputKind.BITS, back.outputKind());
        assertEquals(ebnn.api.model.OutputKind.BITS, ebnn.core.lower.Lowering.lower(back).outputKind());
    }

    @Test
    public void theModelFilesOfEarlierVersionsReadAsClassModels() throws IOException {
        // examples/models: .ebnn files written by ebnn:train before output kinds existed
        try (Stream<Path> files = Files.list(Path.of("../examples/models"))) {
            List<Path> models = files.filter(f -> f.toString().endsWith(".ebnn")).toList();
            assertFalse(models.isEmpty());
            for (Path f : models)
                assertEquals(f.toString(), ebnn.api.model.OutputKind.CLASSES, ebnn.core.lower.Lowering.lower(EbnnFormat.read(f)).outputKind());
        }
    }

    @Test
    public void theInputRangeAndItsSourceRoundTrip() {
        Model m = SampleModels.random(3);
        for (InputSpec.RangeSource src : InputSpec.RangeSource.values()) {
            Model r = new Model(m.name(), m.input().withRange(-0.5, 65025, src), m.layers(), m.labels());
            Model back = EbnnFormat.fromBytes(EbnnFormat.toBytes(r));
            assertEquals(src, back.input().rangeSource());
            assertEquals(r, back);
        }
    }

    @Test
    public void everySharedTestModelRoundTripsExactly() {
        // the models the other test suites build (ebnn.testing), through bytes and through a file
        List<Model> models = new java.util.ArrayList<>();
        for (RandomModels.Generated g : RandomModels.many(MODELS, 0))
            models.add(g.model());
        models.add(PaperModels.mlp128(1));
        models.add(PaperModels.convPool16(2));
        models.add(PaperModels.tfc(3));
        for (Model m : models)
            assertEquals(m.name(), m, EbnnFormat.fromBytes(EbnnFormat.toBytes(m)));
        Path f = tmp.getRoot().toPath().resolve("paper.ebnn");
        for (Model m : models.subList(models.size() - 3, models.size())) {
            EbnnFormat.write(m, f);
            assertEquals(m.name(), m, EbnnFormat.read(f));
        }
    }

    @Test
    public void negativeZeroAndExtremesSurviveBitForBit() {
        double[] w = { -0.0, 0.0, Double.MIN_VALUE, -Double.MAX_VALUE, Math.nextUp(1.0), 1.0 / 3 };
        Model m = new Model("extremes", InputSpec.bytes(new Shape(1, 2, 3)),
                List.of(new Flatten("f"), new Dense("d", 6, 1, Params.of(w), Params.of(-0.0))));
        Dense back = (Dense) EbnnFormat.fromBytes(EbnnFormat.toBytes(m)).layers().get(1);
        for (int i = 0; i < w.length; i++)
            assertEquals(Double.doubleToRawLongBits(w[i]), Double.doubleToRawLongBits(back.weights().get(i)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.bias().get(0)));
    }

    @Test
    public void fileStartsWithMagicAndBigEndianVersion() {
        byte[] b = EbnnFormat.toBytes(SampleModels.random(1));
        assertEquals("EBNN", new String(b, 0, 4, StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[] { 0, 0, 0, 3 }, Arrays.copyOfRange(b, 4, 8));
        // what follows is a plain ModelFile message a protobuf tool can read
        try {
            ModelFileProto.ModelFile f = ModelFileProto.ModelFile.parseFrom(Arrays.copyOfRange(b, 8, b.length));
            assertEquals(SampleModels.random(1).name(), f.getName());
            assertTrue(f.getProducer().startsWith("ebnn"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void writeThenReadFromDisk() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("model.ebnn");
        for (long seed = 0; seed < 20; seed++) {
            Model m = SampleModels.random(seed);
            EbnnFormat.write(m, f); // overwrites the previous one
            assertEquals(m, EbnnFormat.read(f));
        }
        try (Stream<Path> s = Files.list(tmp.getRoot().toPath())) {
            assertEquals("no temporary files left behind", List.of(f), s.toList());
        }
    }

    @Test
    public void failedWriteKeepsThePreviousFile() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("keep.ebnn");
        Model good = SampleModels.random(7);
        EbnnFormat.write(good, f);
        byte[] before = Files.readAllBytes(f);
        Model unwritable = new Model("bad", InputSpec.bytes(Shape.vector(2)),
                List.of(new Dense("half \uD800 surrogate", 2, 2, Params.of(1, 2, 3, 4), Params.empty())));
        try {
            EbnnFormat.write(unwritable, f);
            fail("a name with an unpaired surrogate cannot be stored as UTF-8 and must be refused");
        } catch (InvalidModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("surrogate"));
        }
        assertArrayEquals(before, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(tmp.getRoot().toPath())) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    public void writeIntoMissingFolderIsATypedError() {
        Path f = tmp.getRoot().toPath().resolve("no/such/dir/m.ebnn");
        try {
            EbnnFormat.write(SampleModels.random(2), f);
            fail();
        } catch (NotFoundException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no/such/dir"));
        }
    }

    // ------------------------------------------------------------------ header errors

    @Test
    public void wrongMagicIsNotAnEbnnFile() {
        byte[][] others = { new byte[0], "EBN".getBytes(StandardCharsets.US_ASCII), "PK\3\4rest of a zip".getBytes(StandardCharsets.ISO_8859_1),
                { 0x08, 0x07, 0x12, 0x04, 'o', 'n', 'n', 'x', 0, 0, 0, 0 }, "hello, this is text".getBytes(StandardCharsets.US_ASCII),
                "ebnn\0\0\0\1".getBytes(StandardCharsets.US_ASCII) };
        for (byte[] b : others) {
            ModelFormatException e = expectFormatError(b);
            assertTrue(e.getMessage(), e.getMessage().contains("not an .ebnn file"));
        }
    }

    @Test
    public void newerVersionIsRejectedWithBothVersions() {
        byte[] b = EbnnFormat.toBytes(SampleModels.random(3));
        b[7] = 4;
        ModelFormatException e = expectFormatError(b);
        assertTrue(e.getMessage(), e.getMessage().contains("version 4"));
        assertTrue(e.getMessage(), e.getMessage().contains("up to 3"));
        assertTrue(e.getMessage(), e.getMessage().contains("newer ebnn"));
        assertTrue(e.getMessage(), e.getMessage().contains("upgrade"));
        b[4] = b[5] = b[6] = b[7] = (byte) 0xff; // read as unsigned, not -1
        e = expectFormatError(b);
        assertTrue(e.getMessage(), e.getMessage().contains("version 4294967295"));
    }

    @Test
    public void versionZeroIsCorrupt() {
        byte[] b = EbnnFormat.toBytes(SampleModels.random(3));
        b[7] = 0;
        ModelFormatException e = expectFormatError(b);
        assertTrue(e.getMessage(), e.getMessage().contains("version 0"));
    }

    // ------------------------------------------------------------------ truncation and corruption

    @Test
    public void everyTruncationIsRefused() {
        byte[] b = EbnnFormat.toBytes(SampleModels.random(11));
        for (int len = 0; len < b.length; len++)
            expectFormatError(Arrays.copyOf(b, len));
    }

    @Test
    public void truncationMessageSaysTruncated() {
        byte[] b = EbnnFormat.toBytes(SampleModels.random(12));
        ModelFormatException e = expectFormatError(Arrays.copyOf(b, b.length / 2));
        assertTrue(e.getMessage(), e.getMessage().contains("truncated"));
    }

    @Test
    public void everySingleByteFlipIsRefused() {
        Model m = SampleModels.random(13);
        byte[] good = EbnnFormat.toBytes(m);
        Random r = new Random(13);
        for (int i = 0; i < good.length; i++)
            for (int mask : new int[] { 0x01, 0x80, 0xff, 1 + r.nextInt(255) }) {
                byte[] b = good.clone();
                b[i] ^= (byte) mask;
                // the version is outside the checksum: version 3 flipped to 2 or 1 reads, as that version, the same model
                // when the file uses nothing newer, and is refused otherwise
                if (i == 7 && (b[7] == 1 || b[7] == 2))
                    try {
                        assertEquals(m, EbnnFormat.fromBytes(b));
                    } catch (ModelFormatException e) {
                        assertTrue(e.getMessage(), e.getMessage().contains("version " + b[7] + " file"));
                    }
                else
                    expectFormatError(b);
            }
    }

    @Test
    public void randomGarbageAfterAValidHeaderIsRefused() {
        Random r = new Random(5);
        for (int i = 0; i < 2000; i++) {
            byte[] msg = new byte[r.nextInt(200)];
            r.nextBytes(msg);
            // framed with a correct checksum, so the parser itself must cope with the garbage
            expectFormatError(EbnnFormat.frame(msg, 1 + i % 2)); // both versions
        }
    }

    @Test
    public void mutatedMessagesWithValidChecksumsReadOrFailTyped() {
        // the checksum stops accidental damage; this checks the parser behind it against deliberate
        // edits: each mutant either decodes to a valid model or is a ModelFormatException
        Random r = new Random(99);
        int valid = 0, refused = 0;
        for (int i = 0; i < 4000; i++) {
            byte[] file = EbnnFormat.toBytes(i % 2 == 0 ? SampleModels.random(i % 40) : SampleModels.binarized(i % 40)); // v2: floats, bits
            byte[] msg = Arrays.copyOfRange(file, 8, file.length - 5);
            int edits = 1 + r.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = r.nextInt(msg.length);
                switch (r.nextInt(3)) {
                case 0 -> msg[at] = (byte) r.nextInt(256);
                case 1 -> msg[at] ^= (byte) (1 << r.nextInt(8));
                default -> msg = Arrays.copyOf(msg, at); // cut
                }
                if (msg.length == 0)
                    break;
            }
            try {
                Model m = EbnnFormat.fromBytes(EbnnFormat.frame(msg, EbnnFormat.VERSION));
                assertEquals(m, EbnnFormat.fromBytes(EbnnFormat.toBytes(m)));
                valid++;
            } catch (ModelFormatException e) {
                refused++;
            } catch (RuntimeException e) {
                throw new AssertionError("mutant " + i + " escaped as " + e, e);
            }
        }
        assertTrue("most mutants are refused: " + refused + " refused, " + valid + " valid", refused > valid);
    }

    @Test
    public void corruptMessageWithValidChecksumNamesTheCause() {
        byte[] msg = { 0x1a, 0x7f, 0x0a, 0x01 }; // a layer claiming 127 bytes, 2 present
        ModelFormatException e = expectFormatError(EbnnFormat.frame(msg, 1));
        assertTrue(e.getMessage(), e.getMessage().contains("truncated"));
        assertTrue(e.getCause() != null);
    }

    // ------------------------------------------------------------------ hostile sizes

    private static ModelFileProto.ModelFile.Builder base() {
        return ModelFileProto.ModelFile.newBuilder().setName("hostile")
                .setInput(ModelFileProto.InputSpec.newBuilder().setChannels(1).setHeight(2).setWidth(2).setSourceLayout(ModelFileProto.Layout.NCHW)
                        .setLow(0).setHigh(1));
    }

    private static ModelFileProto.Layer flatten() {
        return ModelFileProto.Layer.newBuilder().setName("flat").setFlatten(ModelFileProto.Flatten.getDefaultInstance()).build();
    }

    private static byte[] framed(ModelFileProto.ModelFile.Builder b) {
        return EbnnFormat.frame(b.build().toByteArray(), 1);
    }

    @Test
    public void validHandBuiltFileReads() {
        ModelFileProto.Dense.Builder d = ModelFileProto.Dense.newBuilder().setInputs(4).setOutputs(2);
        for (int i = 0; i < 8; i++)
            d.addWeights(i - 4);
        Model m = EbnnFormat.fromBytes(framed(base().addLayers(flatten()).addLayers(ModelFileProto.Layer.newBuilder().setName("fc").setDense(d))));
        assertEquals(2, m.classes());
        assertEquals(-4.0, ((Dense) m.layers().get(1)).weight(0, 0), 0);
    }

    @Test
    public void layerClaiming2To31WeightsIsRefusedByName() {
        ModelFileProto.Dense.Builder d = ModelFileProto.Dense.newBuilder().setInputs(1 << 16).setOutputs(1 << 15).addWeights(1).addWeights(2);
        ModelFormatException e = expectFormatError(framed(base().addLayers(flatten()).addLayers(ModelFileProto.Layer.newBuilder().setName("fc-huge").setDense(d))));
        assertTrue(e.getMessage(), e.getMessage().contains("'fc-huge'"));
        assertTrue(e.getMessage(), e.getMessage().contains("2147483648"));
        assertTrue(e.getMessage(), e.getMessage().contains("limit"));
    }

    @Test
    public void convWhoseDeclaredSizeOverflowsIntIsRefused() {
        ModelFileProto.Conv2d.Builder c = ModelFileProto.Conv2d.newBuilder().setInChannels(1 << 16).setOutChannels(1 << 16).setKernelH(64)
                .setKernelW(64).setStrideH(1).setStrideW(1).addWeights(1);
        ModelFormatException e = expectFormatError(framed(base().addLayers(ModelFileProto.Layer.newBuilder().setName("conv-huge").setConv2D(c))));
        assertTrue(e.getMessage(), e.getMessage().contains("'conv-huge'"));
        assertTrue(e.getMessage(), e.getMessage().contains("limit"));
    }

    @Test
    public void weightCountDisagreeingWithShapeIsRefused() {
        ModelFileProto.Dense.Builder d = ModelFileProto.Dense.newBuilder().setInputs(4).setOutputs(3);
        for (int i = 0; i < 11; i++)
            d.addWeights(i);
        ModelFormatException e = expectFormatError(framed(base().addLayers(flatten()).addLayers(ModelFileProto.Layer.newBuilder().setName("fc1").setDense(d))));
        assertTrue(e.getMessage(), e.getMessage().contains("'fc1'"));
        assertTrue(e.getMessage(), e.getMessage().contains("12 weights"));
        assertTrue(e.getMessage(), e.getMessage().contains("holds 11"));
        assertTrue(e.getMessage(), e.getMessage().contains("layer #1"));
    }

    @Test
    public void convBiasAndAffineLengthsMustMatch() {
        ModelFileProto.Conv2d.Builder c = ModelFileProto.Conv2d.newBuilder().setInChannels(1).setOutChannels(2).setKernelH(2).setKernelW(2)
                .setStrideH(1).setStrideW(1);
        for (int i = 0; i < 7; i++)
            c.addWeights(1);
        ModelFormatException e = expectFormatError(framed(base().addLayers(ModelFileProto.Layer.newBuilder().setName("c7").setConv2D(c))));
        assertTrue(e.getMessage(), e.getMessage().contains("'c7'") && e.getMessage().contains("8 weights") && e.getMessage().contains("holds 7"));
        c.addWeights(1).addBias(0.5); // 8 weights now, but 1 bias for 2 channels
        e = expectFormatError(framed(base().addLayers(ModelFileProto.Layer.newBuilder().setName("c8").setConv2D(c))));
        assertTrue(e.getMessage(), e.getMessage().contains("'c8'") && e.getMessage().contains("bias"));
        ModelFileProto.Affine.Builder a = ModelFileProto.Affine.newBuilder().setChannels(3).addScale(1).addScale(2).addShift(0);
        e = expectFormatError(framed(base().addLayers(ModelFileProto.Layer.newBuilder().setName("aff").setAffine(a))));
        assertTrue(e.getMessage(), e.getMessage().contains("'aff'") && e.getMessage().contains("scale"));
    }

    @Test
    public void batchNormArraysMustMatchChannels() {
        ModelFileProto.BatchNorm.Builder b = ModelFileProto.BatchNorm.newBuilder().setChannels(4).addGamma(1).addGamma(1).addGamma(1)
                .addGamma(1);
        for (int i = 0; i < 4; i++) {
            b.addBeta(0).addMean(0);
            if (i < 3)
                b.addVariance(1);
        }
        ModelFormatException e = expectFormatError(framed(base().addLayers(flatten())
                .addLayers(ModelFileProto.Layer.newBuilder().setName("bn7").setBatchNorm(b))));
        assertTrue(e.getMessage(), e.getMessage().contains("'bn7'"));
        assertTrue(e.getMessage(), e.getMessage().contains("variance"));
    }

    @Test
    public void shapesThatDoNotChainAreRefused() {
        ModelFileProto.Dense.Builder d = ModelFileProto.Dense.newBuilder().setInputs(5).setOutputs(1);
        for (int i = 0; i < 5; i++)
            d.addWeights(1);
        ModelFormatException e = expectFormatError(framed(base().addLayers(flatten()).addLayers(ModelFileProto.Layer.newBuilder().setName("fc5").setDense(d))));
        assertTrue(e.getMessage(), e.getMessage().contains("'fc5'"));
    }

    @Test
    public void hugeInputShapeIsRefused() {
        ModelFileProto.ModelFile.Builder b = base();
        b.getInputBuilder().setChannels(1 << 20).setHeight(1 << 20).setWidth(3);
        ModelFormatException e = expectFormatError(framed(b.addLayers(flatten())));
        assertTrue(e.getMessage(), e.getMessage().contains("input"));
    }

    @Test
    public void tooManyLayersAreRefusedBeforeParsing() {
        ModelFileProto.ModelFile.Builder b = base();
        ModelFileProto.Layer f = flatten();
        for (int i = 0; i <= EbnnFormat.MAX_LAYERS; i++)
            b.addLayers(f);
        ModelFormatException e = expectFormatError(framed(b));
        assertTrue(e.getMessage(), e.getMessage().contains("more than " + EbnnFormat.MAX_LAYERS + " layers"));
    }

    @Test
    public void oversizedStringsAreRefused() {
        String big = "x".repeat(EbnnFormat.MAX_STRING_BYTES + 1);
        ModelFormatException e = expectFormatError(framed(base().addLayers(flatten()).addLabels(big)));
        assertTrue(e.getMessage(), e.getMessage().contains("labels of " + big.length() + " bytes"));
        e = expectFormatError(framed(base().addLayers(ModelFileProto.Layer.newBuilder().setName(big).setFlatten(ModelFileProto.Flatten.getDefaultInstance()))));
        assertTrue(e.getMessage(), e.getMessage().contains("layer #0 name"));
    }

    @Test
    public void aFewUnknownFieldsAreToleratedButAFloodIsNot() throws IOException {
        Model m = SampleModels.random(21);
        byte[] msg = Arrays.copyOfRange(EbnnFormat.toBytes(m), 8, EbnnFormat.toBytes(m).length - 5);
        // field 20, varint 1: what a newer writer of this version might add
        byte[] extra = Arrays.copyOf(msg, msg.length + 3);
        extra[msg.length] = (byte) 0xa0;
        extra[msg.length + 1] = 0x01;
        extra[msg.length + 2] = 0x01;
        assertEquals(m, EbnnFormat.fromBytes(EbnnFormat.frame(extra, EbnnFormat.VERSION)));
        byte[] flood = Arrays.copyOf(msg, msg.length + 3 * (EbnnFormat.MAX_UNKNOWN_FIELDS + 1));
        for (int i = msg.length; i < flood.length; i += 3) {
            flood[i] = (byte) 0xa0;
            flood[i + 1] = 0x01;
            flood[i + 2] = 0x01;
        }
        ModelFormatException e = expectFormatError(EbnnFormat.frame(flood, EbnnFormat.VERSION));
        assertTrue(e.getMessage(), e.getMessage().contains("does not know"));
    }

    @Test
    public void missingPartsAreNamed() {
        ModelFormatException e = expectFormatError(framed(ModelFileProto.ModelFile.newBuilder().setName("noinput").addLayers(flatten())));
        assertTrue(e.getMessage(), e.getMessage().contains("no input spec"));
        e = expectFormatError(framed(base()));
        assertTrue(e.getMessage(), e.getMessage().contains("no layers"));
        e = expectFormatError(framed(base().addLayers(ModelFileProto.Layer.newBuilder().setName("mystery"))));
        assertTrue(e.getMessage(), e.getMessage().contains("'mystery'"));
        assertTrue(e.getMessage(), e.getMessage().contains("newer ebnn"));
    }

    // ------------------------------------------------------------------ files

    @Test
    public void fileOverTheLimitIsRefusedBeforeReading() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("huge.ebnn");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(EbnnFormat.toBytes(SampleModels.random(1)));
            raf.setLength(EbnnFormat.MAX_FILE_BYTES + 1); // sparse: takes no disk space
        }
        try {
            EbnnFormat.read(f);
            fail();
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(f.toString()));
            assertTrue(e.getMessage(), e.getMessage().contains("limit"));
        }
    }

    @Test
    public void missingFileAndDirectoryAreTypedErrors() throws IOException {
        Path missing = tmp.getRoot().toPath().resolve("nope.ebnn");
        try {
            EbnnFormat.read(missing);
            fail();
        } catch (NotFoundException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("nope.ebnn"));
        }
        try {
            EbnnFormat.read(tmp.newFolder("dir.ebnn").toPath());
            fail();
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("directory"));
        }
    }

    @Test
    public void devicesAreNotRead() {
        Path dev = Path.of("/dev/zero");
        if (!Files.exists(dev))
            return; // not a Unix system: nothing to check
        try {
            EbnnFormat.read(dev);
            fail();
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not a regular file"));
        }
    }

    @Test
    public void readErrorsNameTheFile() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("cut.ebnn");
        byte[] b = EbnnFormat.toBytes(SampleModels.random(4));
        Files.write(f, Arrays.copyOf(b, b.length - 9));
        try {
            EbnnFormat.read(f);
            fail();
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(f.toString() + ": "));
        }
    }

    @Test
    public void differentModelsGiveDifferentBytes() {
        assertNotEquals(SampleModels.random(1), SampleModels.random(2));
        assertFalse(Arrays.equals(EbnnFormat.toBytes(SampleModels.random(1)), EbnnFormat.toBytes(SampleModels.random(2))));
    }

    /** Decoding must fail with ModelFormatException, never another exception. */
    static ModelFormatException expectFormatError(byte[] bytes) {
        try {
            Model m = EbnnFormat.fromBytes(bytes);
            throw new AssertionError("read " + bytes.length + " bad bytes as model " + m.name());
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            return e;
        } catch (EbnnException e) {
            throw new AssertionError("wrong error type " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
