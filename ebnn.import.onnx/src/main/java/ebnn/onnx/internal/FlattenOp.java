package ebnn.onnx.internal;

/** Flatten with axis 1 (the batch stays): the element order is unchanged. */
final class FlattenOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        long axis = n.attrInt("axis", 1);
        if (axis < 0)
            axis += a.dims().length;
        if (axis != 1)
            throw n.unsupported("Flatten with axis " + axis + " (only axis 1 keeps the batch)");
        w.note(n, "flatten");
        w.out(n, new Act(new long[] { 1, a.size() }, a.perm(), false));
    }
}
