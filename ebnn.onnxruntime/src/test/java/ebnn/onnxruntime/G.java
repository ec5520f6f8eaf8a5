package ebnn.onnxruntime;

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

/** Tiny builder for ONNX graphs in tests. */
final class G {
    final GraphProto.Builder g = GraphProto.newBuilder().setName("test");
    private final List<String> outputs = new ArrayList<>();
    int opset = 13;

    static ValueInfoProto value(String name, int elemType, Object... dims) {
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

    G input(String name, Object... dims) {
        g.addInput(value(name, 1, dims));
        return this;
    }

    G output(String name, Object... dims) {
        g.addOutput(value(name, 1, dims));
        return this;
    }

    G init(String name, long[] dims, double... values) {
        g.addInitializer(floats(name, dims, values));
        return this;
    }

    G initLongs(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(7).addDims(values.length);
        for (long v : values)
            t.addInt64Data(v);
        g.addInitializer(t);
        return this;
    }

    G initDouble(String name, double v) {
        g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(11).addDoubleData(v));
        return this;
    }

    static TensorProto floats(String name, long[] dims, double[] values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(1);
        for (long d : dims)
            t.addDims(d);
        for (double v : values)
            t.addFloatData((float) v);
        return t.build();
    }

    NodeProto.Builder node(String op, String name, String[] in, String... out) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
        for (String s : in)
            n.addInput(s);
        for (String s : out)
            n.addOutput(s);
        return n;
    }

    G add(NodeProto.Builder n) {
        g.addNode(n);
        return this;
    }

    static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v)
            a.addInts(x);
        return a.build();
    }

    static AttributeProto i(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto f(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto s(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }

    ModelProto model() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("ebnn-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
    }

    byte[] bytes() {
        return model().toByteArray();
    }
}
