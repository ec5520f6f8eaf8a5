package ebnn.onnx.internal;

/** ONNX Sign: ebnn's sign (an exact 0 gives +1 in ebnn, 0 in ONNX). */
final class SignOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        w.sign(n);
        w.note(n, "Sign (an exact 0 gives +1 in ebnn, 0 in ONNX)");
        w.out(n, a);
    }
}
