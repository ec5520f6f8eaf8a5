package ebnn.onnx.internal;

import java.util.Arrays;
import java.util.Locale;

import ebnn.api.model.Params;

/**
 * FINN/QONNX MultiThreshold with one threshold per channel: out_scale·[x ≥ T] + out_bias, i.e.
 * an affine x − T, a sign, and the affine that maps ±1 to the two output values (none for the
 * bipolar out_scale 2, out_bias −1).
 */
final class MultiThresholdOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        Const t = w.constInput(n, 1, "thresholds");
        if (t.rank() != 2)
            throw n.invalid("thresholds must be 2-D [channels, thresholds], are " + Arrays.toString(t.dims()));
        if (t.dims()[1] != 1)
            throw n.unsupported(t.dims()[1] + " thresholds per channel (a multi-bit activation); " + OpTable.TAKES);
        String dl = n.attrString("data_layout", "NCHW");
        int axis = dl.equals("NHWC") ? a.dims().length - 1 : 1;
        double outScale = n.attrFloat("out_scale", 1), outBias = n.attrFloat("out_bias", 0);
        if (outScale == 0)
            throw n.unsupported("out_scale 0 (constant output)");
        double[] thr = w.perIrChannel(n, a, w.alongAxis(n, a, axis, t.values()), "threshold");
        double[] neg = new double[thr.length];
        boolean zero = true;
        for (int q = 0; q < thr.length; q++) {
            neg[q] = -thr[q];
            zero &= thr[q] == 0;
        }
        // count(x >= T) = (sign(x - T) + 1) / 2 exactly (x - T >= 0 iff x >= T for finite doubles)
        if (!zero)
            w.affine(n, Params.of(1), GraphWalker.compact(neg));
        w.sign(n);
        w.note(n, String.format(Locale.ROOT, "MultiThreshold 1 threshold/channel, out %s*s%+.3g", GraphWalker.fmt(outScale), outBias));
        if (!(outScale == 2 && outBias == -1))
            w.affine(n, Params.of(outScale / 2), Params.of(outScale / 2 + outBias));
        w.out(n, a);
    }
}
