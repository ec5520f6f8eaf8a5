package ebnn.onnx.internal;

/** Softmax, LogSoftmax, ArgMax, TopK at the end: they keep the argmax, so they are dropped. */
final class HeadOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        w.drop(n);
        w.note(n, n.op() + " (argmax-preserving)");
        for (String o : n.proto().getOutputList())
            if (!o.isEmpty())
                w.acts.put(o, a.asTail());
    }
}
