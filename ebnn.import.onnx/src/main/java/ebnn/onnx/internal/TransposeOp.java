package ebnn.onnx.internal;

import java.util.Arrays;

/** A Transpose of the activation: only its element permutation changes (the batch axis stays first). */
final class TransposeOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        int r = a.dims().length;
        long[] p = n.ints("perm", null);
        if (p == null) {
            p = new long[r];
            for (int k = 0; k < r; k++)
                p[k] = r - 1 - k;
        }
        if (p.length != r)
            throw n.invalid("perm " + Arrays.toString(p) + " does not match rank " + r);
        if (p[0] != 0)
            throw n.unsupported("moves the batch axis (perm " + Arrays.toString(p) + ")");
        boolean[] seen = new boolean[r];
        for (long v : p) {
            if (v < 0 || v >= r || seen[(int) v])
                throw n.invalid("perm " + Arrays.toString(p) + " is not a permutation");
            seen[(int) v] = true;
        }
        long[] nd = new long[r];
        for (int k = 0; k < r; k++)
            nd[k] = a.dims()[(int) p[k]];
        long[] os = Const.strides(a.dims());
        int size = a.size();
        int[] perm = new int[size];
        long[] idx = new long[r];
        boolean identity = true;
        for (int j = 0; j < size; j++) {
            long src = 0;
            for (int k = 0; k < r; k++)
                src += idx[k] * os[(int) p[k]];
            perm[j] = a.irIndex((int) src);
            identity &= perm[j] == j;
            for (int k = r - 1; k >= 0; k--) {
                if (++idx[k] < nd[k])
                    break;
                idx[k] = 0;
            }
        }
        w.note(n, "layout " + Arrays.toString(p));
        w.out(n, new Act(nd, identity ? null : perm, false));
    }
}
