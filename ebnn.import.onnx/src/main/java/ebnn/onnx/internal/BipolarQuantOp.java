package ebnn.onnx.internal;

import ebnn.api.model.Params;

/** QONNX BipolarQuant of the activation: a sign times the (per-channel or scalar) scale. */
final class BipolarQuantOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        double[] sc = w.perIrChannel(n, a, w.overAct(n, a, w.constInput(n, 1, "scale")), "scale");
        w.sign(n);
        w.note(n, "BipolarQuant");
        w.affine(n, GraphWalker.compact(sc), Params.of(0));
        w.out(n, a);
    }
}
