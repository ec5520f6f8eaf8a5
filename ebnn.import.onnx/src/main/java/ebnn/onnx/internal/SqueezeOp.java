package ebnn.onnx.internal;

import java.util.Arrays;

/** Squeeze / Unsqueeze of the activation (axes as attribute or input; the batch axis stays). */
final class SqueezeOp implements ActivationOp {
    private final boolean unsqueeze;

    SqueezeOp(boolean unsqueeze) {
        this.unsqueeze = unsqueeze;
    }

    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        long[] axes = n.ints("axes", null);
        if (axes == null && n.has(1))
            axes = w.constInput(n, 1, "axes").longs();
        long[] nd = ConstFolder.squeezeDims(n, a.dims(), axes, unsqueeze, true);
        w.note(n, (unsqueeze ? "unsqueeze" : "squeeze") + " to " + Arrays.toString(nd));
        w.out(n, new Act(nd, a.perm(), false));
    }
}
