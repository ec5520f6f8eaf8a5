package ebnn.onnx.internal;

import java.util.Arrays;

import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Padding;

/** MaxPool (2-D, unit dilations, no indices output): a maxpool layer. */
final class MaxPoolOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        Spatial.requireFeatureMap(w, n, a, "MaxPool");
        Spatial.unitDilations(n);
        if (n.proto().getOutputCount() > 1 && !n.proto().getOutput(1).isEmpty() && w.consumers.containsKey(n.proto().getOutput(1)))
            throw n.unsupported("uses the MaxPool indices output");
        long[] ks = n.ints("kernel_shape", null);
        if (ks == null || ks.length != 2)
            throw n.invalid("kernel_shape " + (ks == null ? "missing" : Arrays.toString(ks)));
        long[] st = n.ints("strides", new long[] { 1, 1 });
        if (st.length != 2 || ks[0] <= 0 || ks[1] <= 0 || ks[0] > 64 || ks[1] > 64 || st[0] <= 0 || st[1] <= 0 || st[0] > 64 || st[1] > 64)
            throw n.unsupported("kernel " + Arrays.toString(ks) + " strides " + Arrays.toString(st));
        int kh = (int) ks[0], kw = (int) ks[1], sh = (int) st[0], sw = (int) st[1];
        Padding pad = Spatial.pads(n, w.cur.height(), w.cur.width(), kh, kw, sh, sw);
        if (n.attrInt("ceil_mode", 0) != 0) {
            int hp = w.cur.height() + pad.top() + pad.bottom() - kh, wp = w.cur.width() + pad.left() + pad.right() - kw;
            if (hp % sh != 0 || wp % sw != 0)
                throw n.unsupported("ceil_mode=1 where it changes the output size");
        }
        w.add(new MaxPool2d(n.name(), kh, kw, sh, sw, pad), n);
        w.out(n, new Act(new long[] { 1, w.cur.channels(), w.cur.height(), w.cur.width() }, null, false));
    }
}
