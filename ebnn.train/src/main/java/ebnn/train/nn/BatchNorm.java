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
    private final float[] batchMean; // the float mean of the last training batch, per channel (the lean pass recomputes x-hat from it)

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
        this.batchMean = new float[channels];
    }

    @Override
    public long scratchBytes() {
        return 4L * xhat.length;
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

    // ---------------------------------------------------------------- the lean pass (see Lean)
    // The same arithmetic as forward(train) and backward, on the exact integer inputs the lean pass
    // keeps instead of x and x-hat: x-hat is recomputed as ((float) x - mean) * invStd, as forward made it.

    /** Batch statistics from the stored integer inputs; updates the running statistics as {@link #forward} does. */
    void leanStatistics(Par par, Lean.Ints x, int batch) {
        final int size = in.size();
        final long n = (long) batch * plane;
        par.parts(channels, c -> {
            double sum = 0;
            for (int b = 0; b < batch; b++) {
                int o = b * size + c * plane;
                for (int p = 0; p < plane; p++)
                    sum += (float) x.get(o + p);
            }
            double mean = sum / n;
            double sq = 0;
            for (int b = 0; b < batch; b++) {
                int o = b * size + c * plane;
                for (int p = 0; p < plane; p++) {
                    double d = (float) x.get(o + p) - mean;
                    sq += d * d;
                }
            }
            double var = sq / n;
            invStd[c] = (float) (1.0 / Math.sqrt(var + EPSILON));
            batchMean[c] = (float) mean;
            runningMean[c] = MOMENTUM * runningMean[c] + (1 - MOMENTUM) * mean;
            runningVar[c] = MOMENTUM * runningVar[c] + (1 - MOMENTUM) * (n > 1 ? var * n / (n - 1) : var);
        });
    }

    /** The training-mode output of channel c for the integer input v. */
    float leanOutput(int c, int v) {
        float h = ((float) v - batchMean[c]) * invStd[c];
        return gamma.w[c] * h + beta.w[c];
    }

    /** The inference-mode output of channel c (running statistics), as {@link #forward} computes it. */
    float inferenceOutput(int c, float x) {
        double g = gamma.w[c], bt = beta.w[c], m = runningMean[c], sd = Math.sqrt(runningVar[c] + EPSILON);
        return (float) (g * (x - m) / sd + bt);
    }

    /**
     * Backward from the gradient at the output ({@code dy}, masked by the sign's straight-through mask when
     * {@code mask} is given) into {@code dx}, the gradient at the input.
     */
    void leanBackward(Par par, Lean.Ints x, Lean.Bits mask, float[] dy, float[] dx, int batch) {
        final int size = in.size();
        final long n = (long) batch * plane;
        par.parts(channels, c -> {
            float fm = batchMean[c], inv = invStd[c];
            double db = 0, dg = 0;
            for (int b = 0; b < batch; b++) {
                int o = b * size + c * plane;
                for (int p = 0; p < plane; p++) {
                    float d = mask == null || mask.get(b, c * plane + p) ? dy[o + p] : 0f;
                    db += d;
                    dg += d * (((float) x.get(o + p) - fm) * inv);
                }
            }
            gamma.g[c] = (float) dg;
            beta.g[c] = (float) db;
            float k = gamma.w[c] * inv / n, fdb = (float) db, fdg = (float) dg, fn = n;
            for (int b = 0; b < batch; b++) {
                int o = b * size + c * plane;
                for (int p = 0; p < plane; p++) {
                    float d = mask == null || mask.get(b, c * plane + p) ? dy[o + p] : 0f;
                    dx[o + p] = k * (fn * d - fdb - (((float) x.get(o + p) - fm) * inv) * fdg);
                }
            }
        });
    }

    int plane() {
        return plane;
    }
}
