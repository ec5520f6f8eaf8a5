package ebnn.train.nn;

import java.util.List;

import ebnn.api.model.Shape;

/**
 * One training layer on a batch stored as one flat float array, sample after sample, each sample
 * in CHW order. Forward and backward run over fixed shards of the batch (see {@link Par}).
 */
public abstract class Op {
    public final String name;
    public final Shape in;
    public final Shape out;

    protected Op(String name, Shape in, Shape out) {
        this.name = name;
        this.in = in;
        this.out = out;
    }

    public List<Param> params() {
        return List.of();
    }

    /** Called once per step before forward: derive what the step uses from the parameters (signs of latent weights). */
    public void prepare() {
    }

    /** y = f(x) for B samples; {@code train} selects batch statistics (BN) and keeps what backward needs. */
    public abstract void forward(Par par, float[] x, float[] y, int batch, boolean train);

    /** Accumulates parameter gradients (overwriting {@link Param#g}) and writes dx unless it is null. */
    public abstract void backward(Par par, float[] x, float[] y, float[] dy, float[] dx, int batch);

    /** Bytes of the activation work space the op holds (buffers it keeps between forward and backward, per-shard scratch). */
    public long scratchBytes() {
        return 0;
    }

    // per-sample kernels of the binary layers, for the lean pass (Lean): the batch methods above are loops over them
    void forwardSample(float[] x, int xo, float[] y, int yo, int shard) {
        throw new UnsupportedOperationException(name);
    }

    void beginShard(int shard) {
        throw new UnsupportedOperationException(name);
    }

    void backwardSample(float[] x, int xo, float[] dy, int yo, float[] dx, int dxo, int shard) {
        throw new UnsupportedOperationException(name);
    }

    void finishGradients(Par par) {
        throw new UnsupportedOperationException(name);
    }
}
