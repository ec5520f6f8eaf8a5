package ebnn.reference.onnx;

/** One op's semantics: outputs from inputs (null for an absent optional input) and the node's attributes. */
@FunctionalInterface
interface Op {
    Tensor[] run(Node node, Tensor[] inputs);
}
