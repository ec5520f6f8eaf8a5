package ebnn.onnx.internal;

/**
 * The activation tensor: ONNX dims with the batch (always taken as 1) first, and the permutation
 * from ONNX element order to the IR's CHW order (null: the same order). {@code tail}: it is already
 * the output of a Softmax/TopK/ArgMax head.
 */
record Act(long[] dims, int[] perm, boolean tail) {
    int size() {
        long n = 1;
        for (int i = 1; i < dims.length; i++)
            n *= dims[i];
        return (int) n;
    }

    int irIndex(int j) {
        return perm == null ? j : perm[j];
    }

    Act asTail() {
        return new Act(dims, perm, true);
    }
}
