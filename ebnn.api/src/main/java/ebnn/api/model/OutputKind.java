package ebnn.api.model;

/**
 * What a model's output is. A model whose last layer is a {@link Sign} outputs a bit vector; any
 * other model outputs class scores. The kind is read off the layers (and, in the integer IR, off
 * the last block's output), never stored beside them, so it cannot disagree with them.
 */
public enum OutputKind {
    /** Class scores; the answer is the class, their argmax (ties to the lowest index). */
    CLASSES,
    /**
     * A bit vector: the last layer's signs (bit 1 = +1), as a hidden layer's output, the answer
     * itself (tinier-nn's model.def, which has no classes). Output bit i is the i-th element of
     * the output vector.
     */
    BITS;

    /** The word used in reports: "classes" or "bits". */
    public String word() {
        return this == CLASSES ? "classes" : "bits";
    }
}
