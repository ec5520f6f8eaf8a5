package ebnn.onnx.internal;

/**
 * FINN XnorPopcountMatMul on {0,1} activations with {0,1} weights [K, M]:
 * popcount(xnor(x, w)) = Σ x·(2w − 1) + Σ (1 − w), a dense layer with ±1 weights and that bias.
 */
final class XnorPopcountOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        Const wt = w.constInput(n, 1, "weights");
        if (wt.rank() != 2)
            throw n.invalid("weights must be 2-D");
        int k = (int) wt.dims()[0], m = (int) wt.dims()[1];
        double[] b = new double[m * k];
        double[] bias = new double[m];
        for (int j = 0; j < k; j++)
            for (int o = 0; o < m; o++) {
                double v = wt.get(j * m + o);
                if (v != 0 && v != 1)
                    throw n.invalid("XnorPopcountMatMul weights must be 0 or 1, found " + v);
                b[j * m + o] = 2 * v - 1;
                bias[o] += 1 - v;
            }
        MatMulOp.dense(w, n, a, new Const(wt.dims(), b, false), bias, "XnorPopcountMatMul");
    }
}
