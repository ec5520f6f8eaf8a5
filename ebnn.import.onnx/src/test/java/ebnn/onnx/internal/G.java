package ebnn.onnx.internal;

import java.util.ArrayList;
import java.util.List;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

/** Tiny builder for ONNX graphs in tests (also used by ebnn.onnxruntime's tests through this module's test jar). */
public final class G {
    public final GraphProto.Builder g = GraphProto.newBuilder().setName("test");
    private final List<String> outputs = new ArrayList<>();
    public int opset = 13;

    public static ValueInfoProto value(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String p)
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(p));
            else
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s))).build();
    }

    public G input(String name, Object... dims) {
        g.addInput(value(name, 1, dims));
        return this;
    }

    public G output(String name, Object... dims) {
        g.addOutput(value(name, 1, dims));
        return this;
    }

    public G init(String name, long[] dims, double... values) {
        g.addInitializer(Tensors.floats(name, dims, values));
        return this;
    }

    public G initLongs(String name, long... values) {
        g.addInitializer(Tensors.longs(name, values));
        return this;
    }

    public G initDouble(String name, double v) {
        g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(Tensors.DOUBLE).addDoubleData(v));
        return this;
    }

    public NodeProto.Builder node(String op, String name, String[] in, String... out) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
        for (String s : in)
            n.addInput(s);
        for (String s : out)
            n.addOutput(s);
        return n;
    }

    public G add(NodeProto.Builder n) {
        g.addNode(n);
        return this;
    }

    public static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v)
            a.addInts(x);
        return a.build();
    }

    public static AttributeProto i(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static AttributeProto f(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    public static AttributeProto s(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }

    public ModelProto model() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("ebnn-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
    }

    public byte[] bytes() {
        return model().toByteArray();
    }
}
