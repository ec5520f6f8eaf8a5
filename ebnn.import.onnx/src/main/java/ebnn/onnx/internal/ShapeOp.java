package ebnn.onnx.internal;

/** Shape of the activation: a constant (the batch taken as 1), so dynamic-batch reshapes fold. */
final class ShapeOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        w.consts.put(n.output(), Const.vector(ConstFolder.shapeOf(n, a.dims())));
        w.note(n, "shape of the activation (batch taken as 1)");
    }
}
