package ebnn.onnx.internal;

import java.util.Arrays;

import ebnn.api.model.Padding;

/** Zero Pad of height and width on the activation: merged into the Conv that must follow. */
final class PadOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        Spatial.requireFeatureMap(w, n, a, "Pad");
        String mode = n.attrString("mode", "constant");
        if (!mode.equals("constant"))
            throw n.unsupported("Pad mode " + mode);
        long[] pads = n.ints("pads", null);
        double value = n.attrFloat("value", 0);
        if (pads == null)
            pads = w.constInput(n, 1, "pads").longs();
        if (n.has(2))
            value = w.constInput(n, 2, "constant value").get(0);
        if (n.has(3))
            throw n.unsupported("Pad with axes");
        if (value != 0 || pads.length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0)
            throw n.unsupported("Pad " + Arrays.toString(pads) + " value " + value + " (only zero padding of height and width)");
        for (long p : pads)
            if (p < 0 || p > 64)
                throw n.unsupported("Pad " + Arrays.toString(pads));
        w.pendingPad = new Padding((int) pads[2], (int) pads[3], (int) pads[6], (int) pads[7]);
        w.pendingPadNode = n.index();
        w.note(n, "zero padding merged into the next Conv");
        // the act keeps the unpadded IR shape; the following conv applies the padding
        w.out(n, new Act(a.dims(), null, false));
    }
}
