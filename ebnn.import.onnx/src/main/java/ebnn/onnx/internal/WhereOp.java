package ebnn.onnx.internal;

/** Where(cond, A, B) on a {0,1} activation (after Greater/Less) with constants A, B: B + (A - B)·cond. */
final class WhereOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        if (n.inputs() != 3 || !w.acts.containsKey(n.input(0)))
            throw n.unsupported("Where on the activation must take the condition from the activation and two constants");
        if (!w.comparisons.contains(n.input(0)))
            throw n.unsupported("Where whose condition is not a Greater/Less of the activation");
        double[] x = w.perIrChannel(n, a, w.overAct(n, a, w.constInput(n, 1, "value if true")), "Where value");
        double[] y = w.perIrChannel(n, a, w.overAct(n, a, w.constInput(n, 2, "value if false")), "Where value");
        double[] s = new double[x.length];
        for (int q = 0; q < s.length; q++)
            s[q] = x[q] - y[q];
        w.affine(n, GraphWalker.compact(s), GraphWalker.compact(y));
        w.note(n, "Where: the two values of the sign");
        w.out(n, a);
    }
}
