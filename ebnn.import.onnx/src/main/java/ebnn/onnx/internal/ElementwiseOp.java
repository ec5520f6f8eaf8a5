package ebnn.onnx.internal;

/** Add, Sub, Mul, Div of the activation by a per-channel or scalar constant: an affine. */
final class ElementwiseOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        if (n.inputs() != 2)
            throw n.invalid("needs 2 inputs");
        boolean actFirst = w.acts.containsKey(n.input(0));
        Const c = w.constInput(n, actFirst ? 1 : 0, "operand");
        double[] v = w.perIrChannel(n, a, w.overAct(n, a, c), n.op() + " constant");
        int ch = v.length;
        double[] scale = new double[ch], shift = new double[ch];
        for (int q = 0; q < ch; q++) {
            switch (n.op()) {
                case "Add" -> {
                    scale[q] = 1;
                    shift[q] = v[q];
                }
                case "Sub" -> {
                    scale[q] = actFirst ? 1 : -1;
                    shift[q] = actFirst ? -v[q] : v[q];
                }
                case "Mul" -> scale[q] = v[q];
                default -> {
                    if (!actFirst)
                        throw n.unsupported("divides a constant by the activation");
                    if (v[q] == 0)
                        throw n.invalid("divides by zero (channel " + q + ")");
                    scale[q] = 1 / v[q];
                }
            }
        }
        w.affine(n, GraphWalker.compact(scale), GraphWalker.compact(shift));
        w.out(n, a);
    }
}
