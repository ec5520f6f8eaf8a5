package ebnn.reference.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorAnnotation;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

/** A small ONNX graph builder for the tests: one float input, constants as initializers, named outputs. */
final class G {
    final GraphProto.Builder g = GraphProto.newBuilder().setName("test");
    final Random rnd;
    private final List<String> customDomains = new ArrayList<>();
    private int next;

    G(String input, long seed, long... shape) {
        rnd = new Random(seed);
        g.addInput(info(input, TensorProto.DataType.FLOAT_VALUE, shape));
    }

    static ValueInfoProto info(String name, int type, long... shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : shape)
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N") : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(s))).build();
    }

    String fresh(String prefix) {
        return prefix + "_" + next++;
    }

    /** A float initializer of the given shape and values. */
    String floats(long[] shape, double... v) {
        String name = fresh("c");
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : shape)
            t.addDims(d);
        for (double x : v)
            t.addFloatData((float) x);
        g.addInitializer(t);
        return name;
    }

    /** A float initializer of random values in [lo, hi). */
    String random(double lo, double hi, long... shape) {
        long n = 1;
        for (long d : shape)
            n *= d;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++)
            v[i] = lo + (hi - lo) * rnd.nextDouble();
        return floats(shape, v);
    }

    String longs(long... v) {
        String name = fresh("i");
        g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(v.length)
                .addAllInt64Data(java.util.Arrays.stream(v).boxed().toList()));
        return name;
    }

    /** A scalar int64 initializer (Gather with a scalar index drops the axis). */
    String longScalar(long v) {
        String name = fresh("s");
        g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(v));
        return name;
    }

    static TensorProto scalarTensor(double v) {
        return TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData((float) v).build();
    }

    /** The one-element 1-D tensor ConstantOfShape takes as its value. */
    static TensorProto oneElement(double v) {
        return TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(1).addFloatData((float) v).build();
    }

    String op(String op, String[] inputs, Object... attrs) {
        return opN(op, 1, inputs, attrs)[0];
    }

    String[] opN(String op, int outputs, String[] inputs, Object... attrs) {
        return opIn("", op, outputs, inputs, attrs);
    }

    String[] opIn(String domain, String op, int outputs, String[] inputs, Object... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(fresh(op)).setDomain(domain);
        for (String i : inputs)
            n.addInput(i);
        String[] outs = new String[outputs];
        for (int k = 0; k < outputs; k++)
            n.addOutput(outs[k] = fresh(op + "_out"));
        for (int k = 0; k < attrs.length; k += 2) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName((String) attrs[k]);
            Object v = attrs[k + 1];
            if (v instanceof Integer || v instanceof Long)
                a.setType(AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
            else if (v instanceof Double || v instanceof Float)
                a.setType(AttributeProto.AttributeType.FLOAT).setF(((Number) v).floatValue());
            else if (v instanceof long[] l)
                a.setType(AttributeProto.AttributeType.INTS).addAllInts(java.util.Arrays.stream(l).boxed().toList());
            else if (v instanceof String s)
                a.setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(s));
            else if (v instanceof TensorProto t)
                a.setType(AttributeProto.AttributeType.TENSOR).setT(t);
            else
                throw new IllegalArgumentException(String.valueOf(v));
            n.addAttribute(a);
        }
        g.addNode(n);
        return outs;
    }

    String op(String op, String a) {
        return op(op, new String[] { a });
    }

    String op(String op, String a, String b) {
        return op(op, new String[] { a, b });
    }

    G output(String name, int type) {
        g.addOutput(ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type))));
        return this;
    }

    G output(String name) {
        return output(name, TensorProto.DataType.FLOAT_VALUE);
    }

    G annotate(String tensor, String key, String value) {
        g.addQuantizationAnnotation(TensorAnnotation.newBuilder().setTensorName(tensor)
                .addQuantParameterTensorNames(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return this;
    }

    byte[] build(int opset) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setProducerName("ebnn-test").setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset));
        for (String d : customDomains)
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(d).setVersion(1));
        return m.build().toByteArray();
    }
}
