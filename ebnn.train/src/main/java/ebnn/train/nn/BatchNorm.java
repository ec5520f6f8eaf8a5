package ebnn.train.nn;

import java.util.List;

import ebnn.api.model.Shape;

/**
 * Batch norm per channel over the batch and the spatial positions. Training uses batch statistics
 * and updates running statistics (momentum 0.9, unbiased variance); inference uses the running
 * statistics with exactly the double-precision formula of {@link ebnn.api.model.FloatEvaluator},
 * so the trainer's own predictions equal the exported model's float evaluation. Each channel's sums
 * run sequentially in sample order, so the result does not depend on the thread count.
 */
public final class BatchNorm extends Op {
    public static final double EPSILON = 1e-4;
    public static final double MOMENTUM = 0.9;

    public final int channels;
    public final Param gamma;
    public final Param beta;
    public final double[] runningMean;
    public final double[] runningVar;
    private final int plane;
    private float[] xhat = new float[0];
    private final float[] invStd;

    public BatchNorm(String name, Shape shape) {
        super(name, shape, shape);
        this.channels = shape.channels();
        this.plane = shape.height() * shape.width();
        this.gamma = new Param(name + ".gamma", channels, false);
        this.beta = new Param(name + ".beta", channels, false);
        java.util.Arrays.fill(gamma.w, 1f);
        this.runningMean = new double[channels];
        this.runningVar = new double[channels];
        java.util.Arrays.fill(runningVar, 1.0);
        this.invStd = new float[channels];
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta);
    }

    @Override
    public void forward(Par par, float[] x, float[] y, int batch, boolean train) {
        final int size = in.size();
        if (!train) {
            par.shards(batch, (s, from, to) -> {
                for (int b = from; b < to; b++)
                    for (int c = 0; c < channels; c++) {
                        double g = gamma.w[c], bt = beta.w[c], m = runningMean[c], sd = Math.sqrt(runningVar[c] + EPSILON);
                        int o = b * size + c * plane;
                        for (int p = 0; p < plane; p++)
                            y[o + p] = (float) (g * (x[o + p] - m) / sd + bt);
                    }
            });
            return;
        }
        if (xhat.length < batch * size)
            xhat = new float[batch * size];
        final long n = (long) batch * plane;
        par.parts(channels, c -> {
            double sum = 0;
            for (int b = 0; b < batch; b++) {
                int o = b * size + c * plane;
                for (int p = 0; p < plane; p++)
                    sum += x[o + p];
            }
            double mean = sum / n;
            double sq = 0;
            for (int b = 0; b < batch; b++) {
                int o = b * size + c * plane;
                for (int p = 0; p < plane; p++) {
                    double d = x[o + p] - mean;
                    sq += d * d;
                }
            }
            double var = sq / n;
            float inv = (float) (1.0 / Math.sqrt(var + EPSILON));
            invStd[c] = inv;
            float fm = (float) mean, g = gamma.w[c], bt = beta.w[c];
            for (int b = 0; b < batch; b++) {
                int o = b * size + c * plane;
                for (int p = 0; p < plane; p++) {
                    float h = (x[o + p] - fm) * inv;
                    xhat[o + p] = h;
                    y[o + p] = g * h + bt;
                }
            }
            runningMean[c] = MOMENTUM * runningMean[c] + (1 - MOMENTUM) * mean;
            runningVar[c] = MOMENTUM * runningVar[c] + (1 - MOMENTUM) * (n > 1 ? var * n / (n - 1) : var);
        });
    }

    @Override
    public void backward(Par par, float[] x, float[] y, float[] dy, float[] dx, int batch) {
        final int size = in.size();
        final long n = (long) batch * plane;
        par.parts(channels, c -> {
            double db = 0, dg = 0;
            for (int b = 0; b < batch; b++) {
                int o = b * size + c * plane;
                for (int p = 0; p < plane; p++) {
                    db += dy[o + p];
                    dg += dy[o + p] * xhat[o + p];
                }
            }
            gamma.g[c] = (float) dg;
            beta.g[c] = (float) db;
            if (dx == null)
                return;
            float k = gamma.w[c] * invStd[c] / n, fdb = (float) db, fdg = (float) dg, fn = n;
            for (int b = 0; b < batch; b++) {
                int o = b * size + c * plane;
                for (int p = 0; p < plane; p++)
                    dx[o + p] = k * (fn * dy[o + p] - fdb - xhat[o + p] * fdg);
            }
        });
    }
}
