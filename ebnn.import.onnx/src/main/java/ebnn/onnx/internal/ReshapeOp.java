package ebnn.onnx.internal;

import java.util.Arrays;

import ebnn.api.model.Shape;

/**
 * A Reshape of the activation. Before any layer, a vector input reshaped to [1,C,H,W] or [1,H,W]
 * makes the model take that image (the same bytes in the same order): PyTorch exports of CNNs fed
 * flattened images.
 */
final class ReshapeOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        long[] t = n.ints("shape", null);
        if (t == null)
            t = w.constInput(n, 1, "shape").longs();
        long[] nd = ConstFolder.reshapeDims(n, a.dims(), a.size(), t);
        if (nd.length == 0 || nd[0] != 1)
            throw n.unsupported("reshapes across the batch dimension (to " + Arrays.toString(nd) + ")");
        if (w.noLayersYet() && a.perm() == null && w.cur.isVector() && (nd.length == 3 || nd.length == 4)) {
            Shape img = nd.length == 4 ? new Shape((int) nd[1], (int) nd[2], (int) nd[3]) : new Shape(1, (int) nd[1], (int) nd[2]);
            w.in.reshapeTo(img);
            w.cur = img;
            w.note(n, "reshape of the input to " + Arrays.toString(nd) + ": the model takes CHW " + img);
            w.out(n, new Act(nd, null, false));
            return;
        }
        w.note(n, "reshape to " + Arrays.toString(nd));
        w.out(n, new Act(nd, a.perm(), false));
    }
}
