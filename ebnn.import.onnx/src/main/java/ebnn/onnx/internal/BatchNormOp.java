package ebnn.onnx.internal;

import java.util.Arrays;

import ebnn.api.model.BatchNorm;
import ebnn.api.model.Params;

/** BatchNormalization in inference mode (channel axis 1): a batchnorm layer. */
final class BatchNormOp implements ActivationOp {
    @Override
    public void translate(GraphWalker w, Node n, Act a) {
        if (n.attrInt("training_mode", 0) != 0)
            throw n.unsupported("BatchNormalization in training mode");
        if (n.inputs() < 5)
            throw n.invalid("needs 5 inputs (X, scale, B, mean, var)");
        double eps = n.attrFloat("epsilon", 1e-5);
        double[][] p = new double[4][];
        String[] names = { "scale", "B", "mean", "var" };
        for (int q = 0; q < 4; q++) {
            Const c = w.constInput(n, q + 1, names[q]);
            if (c.rank() > 1)
                throw n.invalid(names[q] + " must be a vector, has shape " + Arrays.toString(c.dims()));
            p[q] = w.perIrChannel(n, a, w.alongAxis(n, a, 1, c.values()), names[q]);
        }
        w.add(new BatchNorm(n.name(), w.cur.channels(), Params.of(p[0]), Params.of(p[1]), Params.of(p[2]), Params.of(p[3]), eps), n);
        w.out(n, a);
    }
}
