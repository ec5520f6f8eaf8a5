package ebnn.onnx.internal;

import java.util.Arrays;

import ebnn.api.model.Conv2d;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;

/** Conv (2-D, group 1, unit dilations) by constant ±α weights: a conv2d layer, with the zero padding of a Pad before it. */
final class ConvOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        Spatial.requireFeatureMap(w, n, a, "Conv");
        Const wt = w.constInput(n, 1, "weights");
        if (wt.rank() != 4)
            throw n.unsupported("weights of shape " + Arrays.toString(wt.dims()) + " (only 2-D convolutions)");
        if (n.attrInt("group", 1) != 1)
            throw n.unsupported("grouped/depthwise convolution (group " + n.attrInt("group", 1) + ")");
        Spatial.unitDilations(n);
        int out = (int) wt.dims()[0], in = (int) wt.dims()[1], kh = (int) wt.dims()[2], kw = (int) wt.dims()[3];
        if (in != w.cur.channels())
            throw n.invalid("weights " + Arrays.toString(wt.dims()) + " expect " + in + " input channels, the input has " + w.cur.channels());
        long[] st = n.ints("strides", new long[] { 1, 1 });
        long[] ks = n.ints("kernel_shape", null);
        if (ks != null && (ks.length != 2 || ks[0] != kh || ks[1] != kw))
            throw n.invalid("kernel_shape " + Arrays.toString(ks) + " does not match weights " + Arrays.toString(wt.dims()));
        if (st.length != 2 || st[0] <= 0 || st[1] <= 0 || st[0] > 64 || st[1] > 64)
            throw n.unsupported("strides " + Arrays.toString(st));
        Padding pad = Spatial.pads(n, w.cur.height(), w.cur.width(), kh, kw, (int) st[0], (int) st[1]);
        if (w.pendingPad != null) {
            Padding p = w.pendingPad;
            pad = new Padding(pad.top() + p.top(), pad.left() + p.left(), pad.bottom() + p.bottom(), pad.right() + p.right());
            w.note(n, "with the zero padding of " + w.nodes.get(w.pendingPadNode).describe());
            w.pendingPad = null;
        }
        double[] weights = wt.values().clone();
        Params bias = Params.empty();
        if (n.has(2)) {
            Const b = w.constInput(n, 2, "bias");
            if (b.size() != out)
                throw n.invalid("bias has " + b.size() + " values for " + out + " output channels");
            bias = Params.of(b.values().clone());
        }
        Binarized.check(n, weights, out, in * kh * kw);
        w.add(new Conv2d(n.name(), in, out, kh, kw, (int) st[0], (int) st[1], pad, Params.of(weights), bias), n);
        w.out(n, new Act(new long[] { 1, w.cur.channels(), w.cur.height(), w.cur.width() }, null, false));
    }
}
