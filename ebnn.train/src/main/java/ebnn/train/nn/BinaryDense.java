package ebnn.train.nn;

import java.util.List;

import ebnn.api.model.Shape;

/**
 * Fully connected layer with binary weights: the forward pass uses sign(latent) (ties to +1),
 * the backward pass hands the gradient straight through to the latent weights (STE). No bias: the
 * batch norm that always follows absorbs it. Latent weights are stored transposed, [in][out], so
 * the inner loops run over outputs without reductions (they vectorize) and zero inputs (background
 * pixels of the first layer) are skipped.
 */
public final class BinaryDense extends Op {
    public final int inputs;
    public final int outputs;
    public final Param weight;
    private final float[] wb;
    private final float[][] shardGrad = new float[Par.SHARDS][];

    public BinaryDense(String name, int inputs, int outputs) {
        super(name, Shape.vector(inputs), Shape.vector(outputs));
        this.inputs = inputs;
        this.outputs = outputs;
        this.weight = new Param(name + ".weight", inputs * outputs, true);
        this.wb = new float[inputs * outputs];
    }

    @Override
    public List<Param> params() {
        return List.of(weight);
    }

    @Override
    public void prepare() {
        float[] w = weight.w;
        for (int i = 0; i < w.length; i++)
            wb[i] = w[i] >= 0 ? 1f : -1f;
    }

    /** The binary weight used between input i and output o. */
    public float binaryWeight(int o, int i) {
        return weight.w[i * outputs + o] >= 0 ? 1f : -1f;
    }

    @Override
    public void forward(Par par, float[] x, float[] y, int batch, boolean train) {
        final int nin = inputs, nout = outputs;
        par.shards(batch, (s, from, to) -> {
            for (int b = from; b < to; b++)
                forwardSample(x, b * nin, y, b * nout, s);
        });
    }

    @Override
    void forwardSample(float[] x, int xo, float[] y, int yo, int s) {
        final int nin = inputs, nout = outputs;
        java.util.Arrays.fill(y, yo, yo + nout, 0f);
        for (int i = 0; i < nin; i++) {
            float xi = x[xo + i];
            if (xi == 0f)
                continue;
            int wo = i * nout;
            for (int o = 0; o < nout; o++)
                y[yo + o] += xi * wb[wo + o];
        }
    }

    @Override
    public void backward(Par par, float[] x, float[] y, float[] dy, float[] dx, int batch) {
        final int nin = inputs, nout = outputs;
        par.shards(batch, (s, from, to) -> {
            beginShard(s);
            for (int b = from; b < to; b++)
                backwardSample(x, b * nin, dy, b * nout, dx, b * nin, s);
        });
        finishGradients(par);
    }

    @Override
    void beginShard(int s) {
        if (shardGrad[s] == null)
            shardGrad[s] = new float[inputs * outputs];
        else
            java.util.Arrays.fill(shardGrad[s], 0f);
    }

    @Override
    void finishGradients(Par par) {
        sumShards(par, shardGrad, weight.g);
    }

    @Override
    void backwardSample(float[] x, int xo, float[] dy, int yo, float[] dx, int dxo, int s) {
        final int nin = inputs, nout = outputs;
        float[] gs = shardGrad[s];
        for (int i = 0; i < nin; i++) {
            float xi = x[xo + i];
            if (xi == 0f)
                continue;
            int wo = i * nout;
            for (int o = 0; o < nout; o++)
                gs[wo + o] += xi * dy[yo + o];
        }
        if (dx != null)
            for (int i = 0; i < nin; i++) {
                int wo = i * nout;
                float acc = 0f;
                for (int o = 0; o < nout; o++)
                    acc += wb[wo + o] * dy[yo + o];
                dx[dxo + i] = acc;
            }
    }

    /** g = shard 0 + shard 1 + ... in shard order, split over the threads by index range. */
    static void sumShards(Par par, float[][] shards, float[] g) {
        int n = g.length;
        par.parts(Par.SHARDS, part -> {
            int from = Par.shardStart(n, part), to = Par.shardStart(n, part + 1);
            for (int k = from; k < to; k++) {
                float acc = 0f;
                for (int s = 0; s < Par.SHARDS; s++)
                    if (shards[s] != null)
                        acc += shards[s][k];
                g[k] = acc;
            }
        });
    }
}
