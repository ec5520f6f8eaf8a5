package ebnn.onnx.internal;

/** Evaluates one node whose inputs are all constant; {@code in[i]} is null for an absent optional input. */
interface ConstOp {
    /** The node's outputs, in order. */
    Const[] eval(Node n, Const[] in);
}
