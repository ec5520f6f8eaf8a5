package ebnn.onnx.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.EbnnException;
import ebnn.api.InvalidModelException;
import ebnn.api.ModelFormatException;
import ebnn.api.UnsupportedModelException;

/** Malformed and hostile files: each a typed ebnn error naming what is wrong; the timeouts guard against hangs. */
public class HostileInputTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final OnnxImporter importer = new OnnxImporter();

    private <T extends EbnnException> T expect(Class<T> type, byte[] bytes, String... mustMention) throws Exception {
        Path f = tmp.newFile("m" + System.nanoTime() + ".onnx").toPath();
        Files.write(f, bytes);
        try {
            importer.read(f);
        } catch (EbnnException e) {
            if (!type.isInstance(e))
                throw new AssertionError("expected " + type.getSimpleName() + " but got " + e, e);
            for (String s : mustMention)
                assertTrue("'" + e.getMessage() + "' should mention " + s, e.getMessage().contains(s));
            return type.cast(e);
        }
        fail("no error for a bad file");
        return null;
    }

    /** A valid one-layer graph: Sign on the input then a ±1 MatMul. */
    static G small() {
        return new G().input("x", "N", 4).output("y", "N", 2)
                .init("w", new long[] { 4, 2 }, 1, -1, 1, 1, -1, 1, 1, -1)
                .add(new G().node("Sign", "s", new String[] { "x" }, "xs"))
                .add(new G().node("MatMul", "fc", new String[] { "xs", "w" }, "y"));
    }

    @Test(timeout = 5000)
    public void notOnnxBytes() throws Exception {
        expect(ModelFormatException.class, "hello, this is not a model\n".repeat(40).getBytes(), "not");
    }

    @Test(timeout = 5000)
    public void emptyFile() throws Exception {
        expect(ModelFormatException.class, new byte[0], "empty");
    }

    @Test(timeout = 5000)
    public void truncatedProtobuf() throws Exception {
        byte[] all = Files.readAllBytes(Models.file("finn_build_dataflow_tfc_w1a1.onnx"));
        for (int cut : new int[] { 5, 100, all.length / 2, all.length - 3 })
            expect(ModelFormatException.class, Arrays.copyOf(all, cut), "ONNX");
    }

    @Test(timeout = 5000)
    public void twoGigabyteClaimInOneKilobyte() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] { 0x08, 0x07, 0x3a }); // ir_version 7, then field 7 (graph) length-delimited
        b.write(new byte[] { (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07 }); // length 2^31-1
        b.write(new byte[1000]);
        expect(ModelFormatException.class, b.toByteArray(), "ONNX");
    }

    @Test(timeout = 5000)
    public void hugeTensorClaimWithoutData() throws Exception {
        G g = small();
        g.g.addInitializer(ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setName("big").setDataType(1).addDims(1L << 40).addDims(1L << 40));
        expect(InvalidModelException.class, g.bytes(), "big");
        G g2 = small();
        g2.g.addInitializer(ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setName("big2").setDataType(1).addDims(1 << 20)
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[16])));
        expect(ModelFormatException.class, g2.bytes(), "big2", "4194304");
    }

    @Test(timeout = 5000)
    public void negativeAndOverflowingDims() throws Exception {
        G g = small();
        g.g.addInitializer(ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setName("neg").setDataType(1).addDims(-3));
        expect(InvalidModelException.class, g.bytes(), "neg", "negative");
        G h = new G().input("x", 1, 1L << 40).output("y", 1, 2).init("w", new long[] { 4, 2 }, 1, -1, 1, 1, -1, 1, 1, -1)
                .add(new G().node("MatMul", "fc", new String[] { "x", "w" }, "y"));
        expect(InvalidModelException.class, h.bytes(), "x");
        G k = new G().input("x", 1, 1L << 20, 1L << 20, 1L << 20).output("y", 1, 2)
                .add(new G().node("Sign", "s", new String[] { "x" }, "y"));
        expect(InvalidModelException.class, k.bytes(), "x");
    }

    @Test(timeout = 5000)
    public void inputTooLargeForAMicrocontrollerIsRefusedBeforeAllocating() throws Exception {
        G g = new G().input("x", 1, 3, 4096, 2048).output("y", 1, 3, 4096, 2048).add(new G().node("Sign", "s", new String[] { "x" }, "y"));
        expect(UnsupportedModelException.class, g.bytes(), "x", "25165824");
    }

    @Test(timeout = 5000)
    public void cycle() throws Exception {
        G g = new G().input("x", 1, 4).output("y", 1, 4)
                .add(new G().node("Add", "a", new String[] { "x", "t2" }, "t1"))
                .add(new G().node("Sign", "b", new String[] { "t1" }, "t2"))
                .add(new G().node("Sign", "c", new String[] { "t2" }, "y"));
        expect(InvalidModelException.class, g.bytes(), "cycle");
    }

    @Test(timeout = 5000)
    public void nodeReadsMissingTensor() throws Exception {
        G g = new G().input("x", 1, 4).output("y", 1, 2)
                .add(new G().node("Sign", "s", new String[] { "x" }, "xs"))
                .add(new G().node("MatMul", "fc1", new String[] { "xs", "nowhere" }, "y"));
        expect(InvalidModelException.class, g.bytes(), "fc1", "MatMul", "nowhere");
    }

    @Test(timeout = 5000)
    public void unsupportedOpNamesOpDomainAndNode() throws Exception {
        G g = new G().input("x", 1, 4).output("y", 1, 4).add(new G().node("Relu", "act1", new String[] { "x" }, "y"));
        expect(UnsupportedModelException.class, g.bytes(), "Relu", "act1");
        G c = new G().input("x", 1, 4).output("y", 1, 4)
                .add(new G().node("Frobnicate", "f1", new String[] { "x" }, "y").setDomain("com.example.custom"));
        expect(UnsupportedModelException.class, c.bytes(), "Frobnicate", "com.example.custom", "f1");
    }

    @Test(timeout = 5000)
    public void shapeMismatch() throws Exception {
        G g = new G().input("x", 1, 5).output("y", 1, 2).init("w", new long[] { 4, 2 }, 1, -1, 1, 1, -1, 1, 1, -1)
                .add(new G().node("Sign", "s", new String[] { "x" }, "xs"))
                .add(new G().node("MatMul", "fc", new String[] { "xs", "w" }, "y"));
        expect(InvalidModelException.class, g.bytes(), "fc", "do not match");
        G r = new G().input("x", 1, 4).output("y", 1, 2).initLongs("shape", 1, 3)
                .add(new G().node("Reshape", "rs", new String[] { "x", "shape" }, "y"));
        expect(InvalidModelException.class, r.bytes(), "rs", "reshape");
    }

    @Test(timeout = 5000)
    public void branchesAreRefused() throws Exception {
        G g = new G().input("x", 1, 4).output("y", 1, 4)
                .add(new G().node("Sign", "a", new String[] { "x" }, "t"))
                .add(new G().node("Add", "res", new String[] { "t", "x" }, "y"));
        expect(UnsupportedModelException.class, g.bytes(), "res", "two activation");
    }

    @Test
    public void acceptsByExtensionOrProtobufHead() throws Exception {
        byte[] head = Arrays.copyOf(Files.readAllBytes(Models.file("larq_tf2onnx_gtsrb_bnn_48x48.onnx")), 64);
        assertTrue(importer.accepts(Path.of("model.onnx"), new byte[0]));
        assertTrue(importer.accepts(Path.of("model.bin"), head));
        assertTrue(importer.accepts(Path.of("noext"), small().bytes()));
        assertFalse(importer.accepts(Path.of("model.bin"), "hello world".getBytes()));
        assertFalse(importer.accepts(Path.of("model.ebnn"), head));
        assertFalse(importer.accepts(Path.of("x.txt"), new byte[] { 0x08 }));
    }
}
