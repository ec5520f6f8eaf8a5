package ebnn.onnx.internal;

/** The weight check of every linear layer: each output row must hold ±α for one α (values within 1e-5·α are snapped to it). */
final class Binarized {
    private Binarized() {
    }

    static void check(Node n, double[] w, int rows, int cols) {
        for (int o = 0; o < rows; o++) {
            double sum = 0;
            for (int q = 0; q < cols; q++)
                sum += Math.abs(w[o * cols + q]);
            double alpha = sum / cols;
            for (int q = 0; q < cols; q++) {
                double v = Math.abs(w[o * cols + q]);
                if (alpha == 0 || Math.abs(v - alpha) > 1e-5 * alpha)
                    throw n.unsupported("is not binarized: output channel " + o + " has weights " + GraphWalker.fmt(w[o * cols])
                            + (cols > 1 ? ", " + GraphWalker.fmt(w[o * cols + 1]) : "") + (cols > 2 ? ", ..." : "")
                            + " (not ±α for one α); the first non-binarizable layer of this model (a float network?); " + OpTable.TAKES);
            }
            for (int q = 0; q < cols; q++)
                w[o * cols + q] = Math.copySign(alpha, w[o * cols + q]);
        }
    }
}
