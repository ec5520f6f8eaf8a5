package ebnn.onnx.internal;

/** Translates one node on the activation path (its activation input is {@code a}) into IR layers. */
interface ActivationOp {
    void translate(GraphWalker w, Node n, Act a);
}
