package ebnn.onnx.internal;

import ebnn.api.model.Params;

/** Neg of the activation: an affine of scale -1. */
final class NegOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        w.affine(n, Params.of(-1), Params.of(0));
        w.out(n, a);
    }
}
