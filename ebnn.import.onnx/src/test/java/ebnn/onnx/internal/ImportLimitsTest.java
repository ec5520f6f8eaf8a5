package ebnn.onnx.internal;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.management.ManagementFactory;

import org.junit.Test;

import ai.onnx.proto.OnnxMl.TensorProto;
import ebnn.api.EbnnException;

/**
 * Issue 8, limits: small ONNX files that declare huge tensors, absurd shapes or constant arithmetic
 * that would blow up are refused with a typed error that gives the numbers, and the refusal comes
 * before the memory is allocated: measured with the JVM's per-thread allocation counter, each
 * import allocates at most {@value #BUDGET_MB} MB however large the declared size.
 */
public class ImportLimitsTest {
    static final long BUDGET_MB = 16;

    private static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Imports the bytes, expecting a typed error mentioning {@code numbers}; returns the bytes allocated meanwhile. */
    private static long refused(String what, byte[] file, String... numbers) {
        long before = MX.getCurrentThreadAllocatedBytes();
        try {
            OnnxImporter.translate(OnnxFiles.parse(file, what), "m", what);
            fail(what + ": imported");
        } catch (EbnnException e) {
            for (String n : numbers)
                assertTrue(what + ": '" + e.getMessage() + "' should give " + n, e.getMessage().contains(n));
            assertTrue(what + ": " + e.getMessage(), !e.getMessage().contains("malformed ONNX graph (java.") && !e.getMessage().contains("more memory"));
        }
        long allocated = MX.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("%s: %d-byte file refused after allocating %.1f MB%n", what, file.length, allocated / 1048576.0);
        assertTrue(what + " (" + file.length + " bytes) allocated " + allocated / (1 << 20) + " MB before it was refused",
                allocated < BUDGET_MB << 20);
        return allocated;
    }

    private static G base() {
        return new G().input("x", "N", 4).output("y", "N", 2).init("w", new long[] { 4, 2 }, 1, -1, 1, 1, -1, 1, 1, -1)
                .add(new G().node("Sign", "s", new String[] { "x" }, "xs"))
                .add(new G().node("MatMul", "fc", new String[] { "xs", "w" }, "y"));
    }

    @Test(timeout = 60_000)
    public void hugeDeclaredInitializers() {
        G g = base();
        g.g.addInitializer(TensorProto.newBuilder().setName("big").setDataType(1).addDims(1L << 30).addDims(1L << 30));
        refused("2^60-element initializer", g.bytes(), "big");
        G h = base();
        h.g.addInitializer(TensorProto.newBuilder().setName("big2").setDataType(1).addDims(1 << 26)
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[16])));
        refused("2^26 floats declared, 16 bytes present", h.bytes(), "big2", "268435456");
        G k = base();
        k.g.addInitializer(TensorProto.newBuilder().setName("big3").setDataType(11).addDims(1 << 25).addDoubleData(1));
        refused("2^25 doubles declared, 1 present", k.bytes(), "big3");
    }

    @Test(timeout = 60_000)
    public void absurdInputShapes() {
        byte[] wide = new G().input("x", 1, 3, 4096, 2048).output("y", 1, 3, 4096, 2048)
                .add(new G().node("Sign", "s", new String[] { "x" }, "y")).bytes();
        refused("a 3x4096x2048 input", wide, "25165824");
        byte[] deep = new G().input("x", 1, 1L << 20, 1L << 20, 1L << 20).output("y", 1, 2)
                .add(new G().node("Sign", "s", new String[] { "x" }, "y")).bytes();
        refused("a 2^60-element input", deep, "x");
    }

    /** A Reshape whose shape constant asks for a huge activation. */
    @Test(timeout = 60_000)
    public void reshapeToAHugeActivation() {
        G g = new G().input("x", 1, 4).output("y", 1, 2).initLongs("shape", 1, 1L << 40)
                .add(new G().node("Reshape", "r", new String[] { "x", "shape" }, "y"));
        refused("Reshape to 2^40", g.bytes(), "r");
    }

    /**
     * Constant folding that multiplies sizes: [n,1] + [1,n] broadcasts to n^2 values. The file is a
     * few kilobytes, the folded constant would be 2^26 doubles (512 MB): refused with the numbers
     * before the array exists.
     */
    @Test(timeout = 60_000)
    public void broadcastThatWouldBlowUpIsRefused() {
        int n = 1 << 13;
        G g = base();
        g.g.addInitializer(TensorProto.newBuilder().setName("a").setDataType(1).addDims(n).addDims(1)
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[4 * n])));
        g.g.addInitializer(TensorProto.newBuilder().setName("b").setDataType(1).addDims(1).addDims(n)
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[4 * n])));
        g.add(new G().node("Add", "blowup", new String[] { "a", "b" }, "c"));
        g.add(new G().node("Mul", "blowup2", new String[] { "c", "c" }, "d"));
        g.g.addOutput(G.value("d", 1, n, n));
        refused("[8192,1] + [1,8192]", g.bytes(), "blowup", "67108864");
        G c = base();
        c.initLongs("shape", 1L << 26);
        c.add(new G().node("ConstantOfShape", "fill", new String[] { "shape" }, "z"));
        c.add(new G().node("Mul", "use", new String[] { "z", "z" }, "zz"));
        c.g.addOutput(G.value("zz", 1, 1L << 26));
        refused("ConstantOfShape [2^26]", c.bytes(), "fill", "67108864");
    }
}
