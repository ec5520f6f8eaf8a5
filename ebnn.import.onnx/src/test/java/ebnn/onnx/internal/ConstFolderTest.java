package ebnn.onnx.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.Test;

import com.google.protobuf.ByteString;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * The constant folder op by op, against values worked out by hand from the ONNX operator
 * definitions (broadcasting, integer semantics, opset variants), and the tensor types files carry.
 */
public class ConstFolderTest {

    static Const c(long[] dims, double... v) {
        return new Const(dims, v, false);
    }

    static Const ci(long[] dims, double... v) {
        return new Const(dims, v, true);
    }

    static long[] d(long... v) {
        return v;
    }

    static Const[] eval(String op, List<AttributeProto> attrs, int outputs, Const... in) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName("n");
        for (int i = 0; i < in.length; i++)
            b.addInput(in[i] == null ? "" : "i" + i);
        for (int i = 0; i < outputs; i++)
            b.addOutput("o" + i);
        b.addAllAttribute(attrs);
        Node n = new Node(0, b.build());
        OpTable.Entry e = OpTable.lookup(n);
        assertNotNull(op + " is in the op table", e);
        assertNotNull(op + " has a constant evaluator", e.onConstants());
        return e.onConstants().eval(n, in);
    }

    static Const one(String op, Const... in) {
        return eval(op, List.of(), 1, in)[0];
    }

    static Const one(String op, List<AttributeProto> attrs, Const... in) {
        return eval(op, attrs, 1, in)[0];
    }

    static void same(Const want, Const got) {
        assertArrayEquals("dims", want.dims(), got.dims());
        assertArrayEquals("values", want.values(), got.values(), 1e-12);
        assertEquals("integer", want.integer(), got.integer());
    }

    @Test
    public void everyOpTheIssueListsIsFolded() {
        for (String op : List.of("Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Reciprocal", "Neg", "Abs", "Exp", "Log", "Min", "Max", "Clip", "Sign",
                "Floor", "Ceil", "Round", "Relu", "Where", "Equal", "Less", "Greater", "Not", "And", "Or", "Shape", "Size", "Reshape", "Flatten",
                "Squeeze", "Unsqueeze", "Transpose", "Concat", "Split", "Slice", "Gather", "Expand", "Tile", "ConstantOfShape", "Range", "Identity",
                "Cast", "Pad", "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "MatMul", "Gemm")) {
            OpTable.Entry e = OpTable.lookup(new Node(0, NodeProto.newBuilder().setOpType(op).build()));
            assertTrue(op, e != null && e.onConstants() != null);
        }
    }

    @Test
    public void elementwiseMathBroadcastsMultidirectionally() {
        Const col = c(d(2, 1), 1, 2), row = c(d(3), 10, 20, 30);
        same(c(d(2, 3), 11, 21, 31, 12, 22, 32), one("Add", col, row));
        same(c(d(2, 3), -9, -19, -29, -8, -18, -28), one("Sub", col, row));
        same(c(d(2, 3), 10, 20, 30, 20, 40, 60), one("Mul", col, row));
        same(c(d(2), 4, 0.0625), one("Pow", c(d(2), 2, 0.25), c(d(), 2)));
        same(c(d(2), 3, 0.5), one("Pow", c(d(2), 9, 0.25), c(d(), 0.5)));
        same(c(d(2), 3, 0.5), one("Sqrt", c(d(2), 9, 0.25)));
        same(c(d(2), 0.25, -2), one("Reciprocal", c(d(2), 4, -0.5)));
        same(c(d(3), 1, 0, 2), one("Abs", c(d(3), -1, 0, 2)));
        same(c(d(1), 1), one("Exp", c(d(1), 0)));
        same(c(d(1), 0), one("Log", c(d(1), 1)));
        same(c(d(3), -1, 0, 1), one("Sign", c(d(3), -3, 0, 0.5)));
        same(c(d(4), 2, -2, 2, 4), one("Round", c(d(4), 2.5, -2.5, 1.5, 3.5))); // half to even
        same(c(d(2), 1, -2), one("Floor", c(d(2), 1.5, -1.5)));
        same(c(d(2), 2, -1), one("Ceil", c(d(2), 1.5, -1.5)));
        same(c(d(3), 0, 0, 2), one("Relu", c(d(3), -1, 0, 2)));
        same(c(d(3), 1, 2, 3), one("Min", c(d(3), 1, 5, 3), c(d(), 4), c(d(3), 9, 2, 9)));
        same(c(d(2), 4, 5), one("Max", c(d(2), 1, 5), c(d(), 4)));
        same(c(d(3), 0, 1.5, 2), one("Clip", c(d(3), -1, 1.5, 7), c(d(), 0), c(d(), 2)));
        same(c(d(3), 0, 1.5, 2), one("Clip", List.of(G.f("min", 0), G.f("max", 2)), c(d(3), -1, 1.5, 7))); // opset 6
    }

    @Test
    public void integerSemantics() {
        same(ci(d(4), 2, -2, 3, -3), one("Div", ci(d(4), 7, -7, 9, -9), ci(d(), 3))); // truncation toward zero
        same(c(d(1), 3.5), one("Div", c(d(1), 7), ci(d(), 2)));
        same(ci(d(3), 1, 2, -1), one("Mod", ci(d(3), 7, -7, 7), ci(d(3), 3, 3, -4))); // Python sign of the divisor
        same(ci(d(2), 1, -1), one("Mod", List.of(G.i("fmod", 1)), ci(d(2), 7, -7), ci(d(), 3)));
        same(ci(d(3), -1, 0, 3), one("Cast", List.of(G.i("to", Tensors.INT32)), c(d(3), -1.7, 0.2, 3.9)));
        same(ci(d(2), -56, 100), one("Cast", List.of(G.i("to", Tensors.INT8)), ci(d(2), 200, 100))); // wraps
        same(ci(d(2), 200, 56), one("Cast", List.of(G.i("to", Tensors.UINT8)), ci(d(2), -56, 312)));
        same(ci(d(3), 1, 0, 1), one("Cast", List.of(G.i("to", Tensors.BOOL)), c(d(3), -2, 0, 0.1)));
        same(c(d(1), 0.0999755859375), one("Cast", List.of(G.i("to", Tensors.FLOAT16)), c(d(1), 0.1)));
        same(c(d(1), (float) 0.1), one("Cast", List.of(G.i("to", Tensors.FLOAT)), c(d(1), 0.1)));
    }

    @Test
    public void comparisonsAndLogicGiveBool() {
        Const a = c(d(3), 1, 2, 3), b = c(d(), 2);
        same(ci(d(3), 0, 1, 0), one("Equal", a, b));
        same(ci(d(3), 1, 0, 0), one("Less", a, b));
        same(ci(d(3), 0, 0, 1), one("Greater", a, b));
        same(ci(d(3), 0, 1, 1), one("GreaterOrEqual", a, b));
        same(ci(d(2), 0, 1), one("Not", ci(d(2), 1, 0)));
        same(ci(d(4), 0, 0, 0, 1), one("And", ci(d(4), 0, 0, 1, 1), ci(d(4), 0, 1, 0, 1)));
        same(ci(d(4), 0, 1, 1, 1), one("Or", ci(d(4), 0, 0, 1, 1), ci(d(4), 0, 1, 0, 1)));
        same(ci(d(4), 0, 1, 1, 0), one("Xor", ci(d(4), 0, 0, 1, 1), ci(d(4), 0, 1, 0, 1)));
        same(c(d(2, 2), 1, -1, 1, -1), one("Where", ci(d(2), 1, 0), c(d(), 1), c(d(2, 1), -1, -1)));
    }

    @Test
    public void shapeOps() {
        Const x = c(d(2, 3), 1, 2, 3, 4, 5, 6);
        same(ci(d(2), 2, 3), one("Shape", x));
        same(ci(d(1), 3), one("Shape", List.of(G.i("start", -1)), x));
        same(ci(d(), 6), one("Size", x));
        same(c(d(3, 2), 1, 2, 3, 4, 5, 6), one("Reshape", x, ci(d(2), -1, 2)));
        same(c(d(2, 3), 1, 2, 3, 4, 5, 6), one("Reshape", x, ci(d(2), 0, -1)));
        same(c(d(6, 1), 1, 2, 3, 4, 5, 6), one("Flatten", List.of(G.i("axis", 2)), x));
        same(c(d(1, 2, 1, 3), 1, 2, 3, 4, 5, 6), one("Unsqueeze", x, ci(d(2), 0, 2)));
        same(c(d(1, 2, 1, 3), 1, 2, 3, 4, 5, 6), one("Unsqueeze", List.of(G.ints("axes", 0, 2)), x)); // opset < 13
        same(c(d(2, 3), 1, 2, 3, 4, 5, 6), one("Squeeze", c(d(1, 2, 1, 3), 1, 2, 3, 4, 5, 6)));
        same(c(d(3, 2), 1, 4, 2, 5, 3, 6), one("Transpose", x));
        same(c(d(2, 4), 1, 2, 3, 9, 4, 5, 6, 9), one("Concat", List.of(G.i("axis", 1)), x, c(d(2, 1), 9, 9)));
        Const[] parts = eval("Split", List.of(G.i("axis", 1)), 2, x, ci(d(2), 1, 2));
        same(c(d(2, 1), 1, 4), parts[0]);
        same(c(d(2, 2), 2, 3, 5, 6), parts[1]);
        Const[] halves = eval("Split", List.of(G.i("axis", 0)), 2, x);
        same(c(d(1, 3), 4, 5, 6), halves[1]);
        same(c(d(2, 1), 3, 6), one("Slice", x, ci(d(1), -1), ci(d(1), Long.MAX_VALUE), ci(d(1), 1)));
        same(c(d(1, 3), 6, 5, 4), one("Slice", x, ci(d(2), 1, -1), ci(d(2), 2, -4), ci(d(2), 0, 1), ci(d(2), 1, -1)));
        same(c(d(2, 2), 3, 1, 6, 4), one("Gather", List.of(G.i("axis", 1)), x, ci(d(2), -1, 0)));
        same(c(d(2, 2), 7, 8, 7, 8), one("Expand", c(d(2), 7, 8), ci(d(2), 2, 1)));
        same(c(d(2, 4), 1, 2, 1, 2, 3, 4, 3, 4), one("Tile", c(d(2, 2), 1, 2, 3, 4), ci(d(2), 1, 2)));
        Const cos = eval("ConstantOfShape", List.of(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                .setT(Tensors.longs("v", 5)).build()), 1, ci(d(2), 2, 2))[0];
        same(ci(d(2, 2), 5, 5, 5, 5), cos);
        same(ci(d(4), 1, 4, 7, 10), one("Range", ci(d(), 1), ci(d(), 11), ci(d(), 3)));
        same(c(d(3), 2, 1.5, 1), one("Range", c(d(), 2), c(d(), 0.9), c(d(), -0.5)));
        same(x, one("Identity", x));
        same(c(d(2, 5), 0, 1, 2, 3, 0, 0, 4, 5, 6, 0), one("Pad", x, ci(d(4), 0, 1, 0, 1)));
        same(c(d(2, 5), 1, 1, 2, 3, 3, 4, 4, 5, 6, 6), one("Pad", List.of(G.s("mode", "edge")), x, ci(d(4), 0, 1, 0, 1)));
        same(c(d(2, 5), 2, 1, 2, 3, 2, 5, 4, 5, 6, 5), one("Pad", List.of(G.s("mode", "reflect")), x, ci(d(4), 0, 1, 0, 1)));
    }

    @Test
    public void reductionsAndLinearAlgebra() {
        Const x = c(d(2, 3), 1, 2, 3, 4, 5, 6);
        same(c(d(1, 3), 5, 7, 9), one("ReduceSum", x, ci(d(1), 0)));
        same(c(d(2), 6, 15), one("ReduceSum", List.of(G.i("keepdims", 0)), x, ci(d(1), -1)));
        same(c(d(1, 1), 3.5), one("ReduceMean", x));
        same(c(d(2, 1), 3, 6), one("ReduceMax", List.of(G.ints("axes", 1)), x));
        same(c(d(1, 3), 1, 2, 3), one("ReduceMin", List.of(G.ints("axes", 0)), x));
        same(c(d(), 720), one("ReduceProd", List.of(G.i("keepdims", 0)), x));
        same(c(d(2, 2), 22, 28, 49, 64), one("MatMul", x, c(d(3, 2), 1, 2, 3, 4, 5, 6)));
        same(c(d(2), 14, 32), one("MatMul", x, c(d(3), 1, 2, 3))); // 1-D second operand
        // batched: [2,1,2] x [2,1] broadcast
        same(c(d(2, 1, 1), 5, 11), one("MatMul", c(d(2, 1, 2), 1, 2, 3, 4), c(d(2, 1), 1, 2)));
        // alpha·x·Bᵀ + beta·C: 2·[14, 32] + 3·1
        same(c(d(2, 1), 31, 67), one("Gemm", List.of(G.f("alpha", 2), G.f("beta", 3), G.i("transB", 1)), x, c(d(1, 3), 1, 2, 3), c(d(), 1)));
    }

    @Test
    public void qonnxQuantizers() {
        same(c(d(3), 0.5, -0.5, 0.5), qonnx2("BipolarQuant", c(d(3), 2, -1, 0), c(d(), 0.5)));
        // 4-bit signed: clamp to [-8, 7] steps of 0.25, half to even
        same(c(d(4), 1.75, -2, 0.5, 0), quant(c(d(4), 9, -3, 0.625, 0.1), 0.25, 4, true, false));
        // 1-bit signed is bipolar (QONNX)
        same(c(d(3), 0.5, -0.5, 0.5), quant(c(d(3), 0.3, -2, 0), 0.5, 1, true, true));
        // 2-bit unsigned narrow: {0, 1, 2} steps
        same(c(d(3), 0, 2, 1), quant(c(d(3), -5, 9, 1.2), 1, 2, false, true));
    }

    private static Const qonnx2(String op, Const a, Const b) {
        NodeProto n = NodeProto.newBuilder().setOpType(op).setDomain("qonnx.custom_op.general").setName("q").addInput("a").addInput("b")
                .addOutput("o").build();
        return OpTable.lookup(new Node(0, n)).onConstants().eval(new Node(0, n), new Const[] { a, b })[0];
    }

    private static Const quant(Const x, double scale, double bits, boolean signed, boolean narrow) {
        NodeProto n = NodeProto.newBuilder().setOpType("Quant").setDomain("onnx.brevitas").setName("q").addInput("x").addInput("s")
                .addInput("z").addInput("b").addOutput("o").addAttribute(G.i("signed", signed ? 1 : 0)).addAttribute(G.i("narrow", narrow ? 1 : 0))
                .build();
        return OpTable.lookup(new Node(0, n)).onConstants().eval(new Node(0, n), new Const[] { x, c(d(), scale), c(d(), 0), c(d(), bits) })[0];
    }

    /** Every number type, as raw_data and as the typed fields. */
    @Test
    public void everyTensorTypeDecodes() {
        double[] want = { -2, 0, 3 };
        for (int type : new int[] { Tensors.FLOAT, Tensors.DOUBLE, Tensors.FLOAT16, Tensors.INT8, Tensors.INT16, Tensors.INT32, Tensors.INT64 }) {
            TensorProto typed = typed(type, want), raw = raw(type, want);
            assertArrayEquals(Tensors.typeName(type) + " typed", want, Tensors.decode(typed, "t").values(), 0);
            assertArrayEquals(Tensors.typeName(type) + " raw", want, Tensors.decode(raw, "t").values(), 0);
        }
        double[] unsigned = { 0, 1, 255 };
        assertArrayEquals("uint8 raw", unsigned, Tensors.decode(raw(Tensors.UINT8, unsigned), "t").values(), 0);
        assertArrayEquals("uint8 typed", unsigned, Tensors.decode(typed(Tensors.UINT8, unsigned), "t").values(), 0);
        double[] bools = { 1, 0, 1 };
        assertArrayEquals("bool raw", bools, Tensors.decode(raw(Tensors.BOOL, bools), "t").values(), 0);
        assertTrue(Tensors.decode(raw(Tensors.BOOL, bools), "t").integer());
        assertEquals(0.0999755859375, Tensors.halfToFloat(Tensors.floatToHalf(0.1f)), 0);
        assertEquals(65504, Tensors.halfToFloat(Tensors.floatToHalf(65504f)), 0);
        assertEquals(5.960464477539063E-8, Tensors.halfToFloat(Tensors.floatToHalf(6e-8f)), 0); // subnormal
    }

    static TensorProto typed(int type, double[] v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName("t").setDataType(type).addDims(v.length);
        for (double x : v)
            switch (type) {
                case Tensors.FLOAT -> t.addFloatData((float) x);
                case Tensors.DOUBLE -> t.addDoubleData(x);
                case Tensors.INT64 -> t.addInt64Data((long) x);
                case Tensors.FLOAT16 -> t.addInt32Data(Tensors.floatToHalf((float) x));
                default -> t.addInt32Data((int) x);
            }
        return t.build();
    }

    static TensorProto raw(int type, double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v)
            switch (type) {
                case Tensors.FLOAT -> b.putFloat((float) x);
                case Tensors.DOUBLE -> b.putDouble(x);
                case Tensors.INT64 -> b.putLong((long) x);
                case Tensors.INT32 -> b.putInt((int) x);
                case Tensors.INT16 -> b.putShort((short) x);
                case Tensors.FLOAT16 -> b.putShort((short) Tensors.floatToHalf((float) x));
                default -> b.put((byte) x);
            }
        b.flip();
        return TensorProto.newBuilder().setName("t").setDataType(type).addDims(v.length).setRawData(ByteString.copyFrom(b)).build();
    }
}
