package ebnn.onnx.internal;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ebnn.api.InvalidModelException;
import ebnn.api.UnsupportedModelException;

/** One graph node with its index, attribute access and messages that name it. */
record Node(int index, NodeProto proto) {

    String op() {
        return proto.getOpType();
    }

    String name() {
        if (!proto.getName().isEmpty())
            return proto.getName();
        return proto.getOutputCount() > 0 ? proto.getOutput(0) : proto.getOpType() + "_" + index;
    }

    String describe() {
        String dom = OpTable.displayDomain(proto.getDomain());
        return "node " + index + " '" + name() + "' (op " + proto.getOpType() + (dom.equals("ai.onnx") ? "" : ", domain " + dom) + ")";
    }

    int inputs() {
        return proto.getInputCount();
    }

    String input(int i) {
        return proto.getInput(i);
    }

    boolean has(int i) {
        return proto.getInputCount() > i && !proto.getInput(i).isEmpty();
    }

    String output() {
        return proto.getOutputCount() > 0 ? proto.getOutput(0) : "";
    }

    UnsupportedModelException unsupported(String what) {
        return new UnsupportedModelException(describe() + ": " + what);
    }

    InvalidModelException invalid(String what) {
        return new InvalidModelException(describe() + ": " + what);
    }

    AttributeProto attr(String name) {
        for (AttributeProto a : proto.getAttributeList())
            if (a.getName().equals(name))
                return a;
        return null;
    }

    long attrInt(String name, long def) {
        AttributeProto a = attr(name);
        return a == null ? def : a.getI();
    }

    double attrFloat(String name, double def) {
        AttributeProto a = attr(name);
        return a == null ? def : a.getF();
    }

    String attrString(String name, String def) {
        AttributeProto a = attr(name);
        return a == null ? def : a.getS().toStringUtf8();
    }

    long[] ints(String name, long[] def) {
        AttributeProto a = attr(name);
        if (a == null)
            return def;
        long[] v = new long[a.getIntsCount()];
        for (int i = 0; i < v.length; i++)
            v[i] = a.getInts(i);
        return v;
    }

    float[] floats(String name) {
        AttributeProto a = attr(name);
        if (a == null)
            return null;
        float[] v = new float[a.getFloatsCount()];
        for (int i = 0; i < v.length; i++)
            v[i] = a.getFloats(i);
        return v;
    }
}
