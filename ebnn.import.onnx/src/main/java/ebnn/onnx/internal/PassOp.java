package ebnn.onnx.internal;

/** Identity, Dropout (inference), Cast: the activation passes unchanged. */
final class PassOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        w.note(n, "no-op");
        w.out(n, a);
    }
}
