package ebnn.onnx.internal;

/** An op that on the activation path means the network is not binarized (folded when on constants). */
final class RefuseOp implements ActivationOp {
    private final String reason;

    RefuseOp(String reason) {
        this.reason = reason;
    }

    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        throw n.unsupported(reason + " (a float layer, not a binarized network); " + OpTable.TAKES);
    }
}
