package ebnn.train.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.Layout;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Model;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;

/**
 * A chain of training ops with activation buffers for one batch size. The input is the raw pixel
 * value 0..255 as a float (the exported model's input range is 0..255, so the first layer's
 * accumulators are the same integers the device computes).
 */
public final class Net {
    public final String name;
    public final Shape input;
    public final List<Op> ops;
    private int capacity;
    private float[][] acts; // acts[0] = input, acts[i+1] = output of op i
    private float[][] grads;
    private Lean lean; // null: the standard pass, every activation and gradient kept as floats

    public Net(String name, Shape input, List<Op> ops) {
        this.name = name;
        this.input = input;
        this.ops = List.copyOf(ops);
    }

    /**
     * Switches to the memory-lean pass (see {@link Lean}): the input then goes into {@link #inputBytes}, and
     * forward, backward and {@link #scoreGradient()} use the compact stores. The same seed trains the same model.
     * A network of layers the lean pass does not support is a TrainingException naming the layer.
     */
    public void lean() {
        if (lean == null)
            lean = new Lean(this);
    }

    public boolean isLean() {
        return lean != null;
    }

    /** Samples per inference call: 500 for the standard pass; the lean pass keeps to the batch it trained with. */
    public int inferenceChunk(int trainedBatch) {
        return lean != null ? Math.max(1, trainedBatch) : 500;
    }

    /** The lean pass's input buffer (batch × input.size() bytes, the samples as stored). */
    public byte[] inputBytes(int batch) {
        if (lean == null)
            throw new IllegalStateException("not lean");
        return lean.inputBuffer(batch);
    }

    /**
     * Bytes of activation and activation-gradient storage this network holds for the largest batch it ran:
     * every array kept from forward for backward, the gradient buffers and the per-shard work space
     * (not the parameters, their gradients or the optimizer's state, the same in both passes).
     */
    public long storageBytes() {
        long n = 0;
        if (lean != null)
            n += lean.storageBytes();
        for (int i = 0; acts != null && i < acts.length; i++)
            n += 4L * (acts[i] == null ? 0 : acts[i].length) + 4L * (grads[i] == null ? 0 : grads[i].length);
        for (Op op : ops)
            n += op.scratchBytes();
        return n;
    }

    public List<Param> params() {
        List<Param> out = new ArrayList<>();
        for (Op op : ops)
            out.addAll(op.params());
        return out;
    }

    public int classes() {
        return ops.get(ops.size() - 1).out.size();
    }

    /** Latent weights uniform in [−0.5, 0.5) from the seed, in layer order. */
    public void init(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Param p : params())
            if (p.binary)
                for (int i = 0; i < p.w.length; i++)
                    p.w[i] = (float) (r.nextDouble() - 0.5);
    }

    private void ensure(int batch) {
        if (batch <= capacity)
            return;
        capacity = batch;
        acts = new float[ops.size() + 1][];
        grads = new float[ops.size() + 1][];
        acts[0] = new float[batch * input.size()];
        for (int i = 0; i < ops.size(); i++) {
            acts[i + 1] = new float[batch * ops.get(i).out.size()];
            grads[i + 1] = new float[batch * ops.get(i).out.size()];
        }
        grads[0] = null; // nobody needs the gradient of the input
    }

    /** Buffer to copy a batch's input into (batch × input.size() floats, pixel values 0..255). */
    public float[] inputBuffer(int batch) {
        ensure(batch);
        return acts[0];
    }

    /** Runs the batch already placed in {@link #inputBuffer}; returns the scores buffer (batch × classes). */
    public float[] forward(Par par, int batch, boolean train) {
        if (lean != null) {
            for (Op op : ops)
                op.prepare();
            return train ? lean.forwardTrain(par, batch) : lean.infer(par, batch);
        }
        ensure(batch);
        for (Op op : ops)
            op.prepare();
        for (int i = 0; i < ops.size(); i++)
            ops.get(i).forward(par, acts[i], acts[i + 1], batch, train);
        return acts[ops.size()];
    }

    /** Gradient buffer of the scores, to be filled before {@link #backward}. */
    public float[] scoreGradient() {
        return lean != null ? lean.scoreGradient() : grads[ops.size()];
    }

    public void backward(Par par, int batch) {
        if (lean != null) {
            lean.backward(par, batch);
            return;
        }
        for (int i = ops.size() - 1; i >= 0; i--)
            ops.get(i).backward(par, acts[i], acts[i + 1], grads[i + 1], i == 0 ? null : grads[i], batch);
    }

    /**
     * Softmax cross-entropy of the scores against the labels; writes d(mean loss)/d(scores) into
     * {@link #scoreGradient()} and returns {sum of losses, number correct}.
     */
    public double[] softmaxCrossEntropy(float[] scores, int[] labels, int batch) {
        int k = classes();
        float[] g = scoreGradient();
        double loss = 0;
        int correct = 0;
        for (int b = 0; b < batch; b++) {
            int o = b * k;
            float max = scores[o];
            int arg = 0;
            for (int c = 1; c < k; c++)
                if (scores[o + c] > max) {
                    max = scores[o + c];
                    arg = c;
                }
            if (arg == labels[b])
                correct++;
            double sum = 0;
            for (int c = 0; c < k; c++)
                sum += Math.exp(scores[o + c] - max);
            loss += Math.log(sum) - (scores[o + labels[b]] - max);
            for (int c = 0; c < k; c++) {
                double p = Math.exp(scores[o + c] - max) / sum;
                g[o + c] = (float) ((p - (c == labels[b] ? 1 : 0)) / batch);
            }
        }
        return new double[] { loss, correct };
    }

    /**
     * The float-level IR of the trained network: weights exactly ±1 (sign of the latent weight,
     * ties to +1), batch norm with its running statistics, input range 0..255 (raw bytes).
     */
    public Model export(String modelName, List<String> labels) {
        List<Layer> layers = new ArrayList<>();
        Shape s = input;
        for (Op op : ops) {
            if (op instanceof BinaryDense d) {
                if (!s.isVector())
                    layers.add(new Flatten(d.name + ".flatten"));
                double[] w = new double[d.inputs * d.outputs];
                for (int o = 0; o < d.outputs; o++)
                    for (int i = 0; i < d.inputs; i++)
                        w[o * d.inputs + i] = d.binaryWeight(o, i);
                layers.add(new Dense(d.name, d.inputs, d.outputs, Params.of(w), Params.empty()));
            } else if (op instanceof BinaryConv2d c) {
                double[] w = new double[c.weight.w.length];
                for (int i = 0; i < w.length; i++)
                    w[i] = c.weight.w[i] >= 0 ? 1 : -1;
                layers.add(new Conv2d(c.name, c.inChannels, c.outChannels, c.kernel, c.kernel, c.stride, c.stride, Padding.same(c.pad), Params.of(w),
                        Params.empty()));
            } else if (op instanceof MaxPool p) {
                layers.add(new MaxPool2d(p.name, p.kernel, p.kernel, p.stride, p.stride, Padding.NONE));
            } else if (op instanceof BatchNorm b) {
                layers.add(new ebnn.api.model.BatchNorm(b.name, b.channels, Params.of(b.gamma.w), Params.of(b.beta.w),
                        Params.of(b.runningMean), Params.of(b.runningVar), BatchNorm.EPSILON));
            } else if (op instanceof SignAct a) {
                layers.add(new Sign(a.name));
            } else {
                throw new IllegalStateException("no IR for op " + op.getClass().getSimpleName());
            }
            s = op.out;
        }
        return new Model(modelName, new InputSpec(input, Layout.NCHW, 0, 255), layers, labels);
    }

    /**
     * {@link #export(String, List)} declaring that the bytes it was trained on stand for {@code low..high}
     * (the data's range): the model's input is that range, and a leading affine maps it back to the
     * byte values 0..255 the network computed with, so the model still gives the trained decisions for
     * the same bytes (the lowering folds the affine into the first block's byte map). 0..255 is the
     * plain export.
     */
    public Model export(String modelName, List<String> labels, double low, double high) {
        Model m = export(modelName, labels);
        if (low == 0 && high == 255)
            return m;
        double scale = 255 / (high - low);
        List<Layer> layers = new ArrayList<>();
        layers.add(new ebnn.api.model.Affine("input_range", input.channels(), Params.of(scale), Params.of(-low * scale)));
        layers.addAll(m.layers());
        return new Model(modelName, new InputSpec(input, Layout.NCHW, low, high), layers, labels);
    }

}
