package ebnn.onnx.internal;

import java.util.Arrays;

import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.Params;

/** MatMul / Gemm of the activation (a row vector) by constant weights [K, M]: a dense layer. */
final class MatMulOp implements ActivationOp {
    private final boolean gemm;

    MatMulOp(boolean gemm) {
        this.gemm = gemm;
    }

    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        Const wt = w.constInput(n, 1, "weights");
        double alpha = 1, beta = 1;
        boolean transB = false;
        if (gemm) {
            if (n.attrInt("transA", 0) != 0)
                throw n.unsupported("Gemm with transA=1");
            transB = n.attrInt("transB", 0) != 0;
            alpha = n.attrFloat("alpha", 1);
            beta = n.attrFloat("beta", 1);
        }
        if (wt.rank() != 2)
            throw n.unsupported("weights of shape " + Arrays.toString(wt.dims()) + " (only 2-D weights)");
        if (transB)
            wt = ConstOps.transpose(wt, new int[] { 1, 0 }, n.describe());
        if (alpha != 1) {
            double[] v = wt.values().clone();
            for (int q = 0; q < v.length; q++)
                v[q] *= alpha;
            wt = new Const(wt.dims(), v, false);
        }
        int m = (int) wt.dims()[1];
        double[] bias = null;
        if (gemm && n.has(2)) {
            double[] e = ConstOps.expand(w.constInput(n, 2, "bias"), new long[] { 1, m }, n.describe());
            bias = new double[m];
            for (int o = 0; o < m; o++)
                bias[o] = beta * e[o];
        }
        dense(w, n, a, wt, bias, n.op());
    }

    /** A dense layer from ONNX weights [K, M] acting on the activation as a row vector. */
    static void dense(GraphWalker w, Node n, Act a, Const wt, double[] bias, String what) {
        long[] d = a.dims();
        for (int k = 1; k < d.length - 1; k++)
            if (d[k] != 1)
                throw n.unsupported(what + " on a " + Arrays.toString(d) + " tensor (only on vectors)");
        int kIn = (int) d[d.length - 1];
        if (d.length < 2 || wt.dims()[0] != kIn)
            throw n.invalid(what + " weights " + Arrays.toString(wt.dims()) + " do not match input " + Arrays.toString(d));
        int m = (int) wt.dims()[1];
        if (!w.cur.isVector())
            w.add(new Flatten(n.name() + "/flatten"), n);
        double[] ir = new double[m * kIn];
        for (int j = 0; j < kIn; j++) {
            int irIn = a.irIndex(j);
            for (int o = 0; o < m; o++)
                ir[o * kIn + irIn] = wt.get(j * m + o);
        }
        Binarized.check(n, ir, m, kIn);
        w.add(new Dense(n.name(), kIn, m, Params.of(ir), bias == null ? Params.empty() : Params.of(bias)), n);
        w.out(n, new Act(new long[] { 1, m }, null, false));
    }
}
