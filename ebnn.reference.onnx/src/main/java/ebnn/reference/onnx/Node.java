package ebnn.reference.onnx;

import java.util.List;
import java.util.Map;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ebnn.api.UnsupportedModelException;

/** One graph node as the interpreter runs it: its op, its value names (empty = absent optional input) and attributes. */
record Node(String name, String domain, String op, List<String> inputs, List<String> outputs, Map<String, AttributeProto> attrs,
        int opset) {

    long i(String attr, long fallback) {
        AttributeProto a = attrs.get(attr);
        return a == null ? fallback : a.getI();
    }

    double f(String attr, double fallback) {
        AttributeProto a = attrs.get(attr);
        return a == null ? fallback : a.getF();
    }

    String s(String attr, String fallback) {
        AttributeProto a = attrs.get(attr);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    /** An ints attribute, or null when absent. */
    long[] ints(String attr) {
        AttributeProto a = attrs.get(attr);
        if (a == null)
            return null;
        long[] v = new long[a.getIntsCount()];
        for (int k = 0; k < v.length; k++)
            v[k] = a.getInts(k);
        return v;
    }

    UnsupportedModelException error(String what) {
        return new UnsupportedModelException("node '" + name + "' (" + (domain.isEmpty() ? "" : domain + ".") + op + "): " + what);
    }
}
