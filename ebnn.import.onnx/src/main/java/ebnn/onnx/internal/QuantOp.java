package ebnn.onnx.internal;

/**
 * QONNX Quant of the activation. Bit width 1 is a binarization: signed, it is bipolar
 * (±1 − zero point, times the scale); unsigned, a threshold at half a step to {0, 1}. On the input,
 * a wider Quant is accepted when it keeps every one of the 256 byte values. Anything else is a
 * multi-bit activation and is refused.
 */
final class QuantOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        Const[] q = { w.constInput(n, 1, "scale"), w.constInput(n, 2, "zero point"), w.constInput(n, 3, "bit width") };
        if (q[1].size() != 1 || q[2].size() != 1)
            throw n.unsupported("Quant with per-channel zero point or bit width");
        double bits = q[2].get(0), zp = q[1].get(0);
        boolean signed = n.attrInt("signed", 1) != 0, narrow = n.attrInt("narrow", 0) != 0;
        if (bits == 1) {
            double[] sc = w.perIrChannel(n, a, w.overAct(n, a, q[0]), "scale");
            double[] pre = new double[sc.length], preShift = new double[sc.length], s = new double[sc.length], t = new double[sc.length];
            for (int c = 0; c < sc.length; c++) {
                if (sc[c] <= 0)
                    throw n.unsupported("1-bit Quant with scale " + sc[c]);
                pre[c] = 1 / sc[c];
                preShift[c] = signed ? zp : zp - 0.5;
                s[c] = signed ? sc[c] : sc[c] / 2;
                t[c] = signed ? -zp * sc[c] : sc[c] / 2 - zp * sc[c];
            }
            if (!signed && narrow)
                throw n.unsupported("unsigned narrow 1-bit Quant (a constant output)");
            w.affine(n, GraphWalker.compact(pre), GraphWalker.compact(preShift));
            w.sign(n);
            w.affine(n, GraphWalker.compact(s), GraphWalker.compact(t));
            w.note(n, signed ? "1-bit signed Quant: sign × scale" : "1-bit unsigned Quant: {0, scale} (a threshold at half a step)");
            w.out(n, a);
            return;
        }
        if (!w.noLayersYet())
            throw n.unsupported("quantizes activations to " + (long) bits + " bits (a multi-bit activation, not a binarized network); " + OpTable.TAKES);
        if (q[0].size() != 1)
            throw n.unsupported("per-channel Quant on the input");
        String mode = n.attrString("rounding_mode", "ROUND");
        for (int b = 0; b < 256; b++) {
            double x = w.in.valueSeen(b);
            double y = ConstFolder.quant(n, x, q[0].get(0), zp, bits, signed, narrow, mode);
            if (Math.abs(y - x) > 1e-9 * Math.max(1, Math.abs(x)))
                throw n.unsupported("Quant on the input changes input value " + x + " to " + y
                        + "; only a Quant that keeps all 256 byte values is supported (give the right --input-range?)");
        }
        w.note(n, "Quant on the input is exact for all byte values (no-op)");
        w.out(n, a);
    }
}
