package ebnn.onnx.internal;

import ebnn.api.model.Params;

/**
 * Greater(x, c) / Less(x, c) of the activation and a constant: a sign of x - c (or c - x) mapped to
 * {0,1}; with the Where that follows (PyTorch's hand-written sign, x > 0 ? +1 : -1) it is a sign.
 * They differ from ebnn's sign only where x equals c exactly (ebnn gives the upper value there).
 */
final class CompareOp implements ActivationOp {
    private final boolean greater;

    CompareOp(boolean greater) {
        this.greater = greater;
    }

    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        if (!w.acts.containsKey(n.input(0)))
            throw n.unsupported("compares a constant with the activation; expected the activation first");
        double[] c = w.perIrChannel(n, a, w.overAct(n, a, w.constInput(n, 1, "operand")), n.op() + " constant");
        double[] shift = new double[c.length];
        for (int q = 0; q < c.length; q++)
            shift[q] = greater ? -c[q] : c[q];
        w.affine(n, Params.of(greater ? 1 : -1), GraphWalker.compact(shift));
        w.sign(n);
        w.affine(n, Params.of(0.5), Params.of(0.5));
        w.note(n, n.op() + " as a sign to {0,1} (x " + (greater ? ">" : "<") + " c; ebnn's sign gives the upper value at x = c)");
        w.comparisons.add(n.output());
        w.out(n, a);
    }
}
