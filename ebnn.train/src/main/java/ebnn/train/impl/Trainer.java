package ebnn.train.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import ebnn.api.data.Dataset;
import ebnn.api.model.Shape;
import ebnn.train.api.BatchStats;
import ebnn.train.api.EpochStats;
import ebnn.train.api.TrainListener;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainResult;
import ebnn.train.api.TrainingCancelledException;
import ebnn.train.api.TrainingException;
import ebnn.train.nn.Adam;
import ebnn.train.nn.Net;
import ebnn.train.nn.Par;
import ebnn.train.nn.Param;

/**
 * The training loop, for samples of any shape (channels × height × width images or flat feature vectors): seeded shuffling, optional shift augmentation, softmax cross-entropy, Adam with
 * a cosine learning-rate schedule, per-epoch validation. Everything random comes from the seed and
 * every reduction has a fixed order, so a seed gives the same model bytes on 1 or 2 threads.
 */
public final class Trainer {
    private Trainer() {
    }

    /** A trained network and its result (the network gives the trainer's own inference). */
    public record Trained(Net net, TrainResult result) {
    }

    public static TrainResult train(TrainOptions o, Dataset all, Dataset test, TrainListener listener) {
        return trainNet(o, all, test, listener).result();
    }

    public static Trained trainNet(TrainOptions o, Dataset all, Dataset test, TrainListener listener) {
        if (listener == null)
            listener = TrainListener.NONE;
        if (o.validation() >= all.count())
            throw new TrainingException("validation split of " + o.validation() + " leaves no training samples of " + all.count());
        Dataset train = o.validation() > 0 ? all.slice(0, all.count() - o.validation()) : all;
        Dataset val = o.validation() > 0 ? all.slice(all.count() - o.validation(), all.count()) : null;
        int classes = classes(all, test);
        Shape in = all.shape();
        if (o.shift() > 0 && 2 * o.shift() >= Math.min(in.height(), in.width()))
            throw new TrainingException(in.isVector() || in.height() == 1 || in.width() == 1
                    ? "shift augmentation moves images; the samples of " + all.name() + " are " + in + ", a flat row of features: train without a shift"
                    : "a shift of " + o.shift() + " pixels would move the " + in + " images of " + all.name() + " out of view (at most "
                            + (Math.min(in.height(), in.width()) - 1) / 2 + ")");
        Net net = build(o, all, classes);
        try (Par par = new Par(o.threads())) {
            return new Trained(net, run(net, o, train, val, test, par, listener));
        }
    }

    /** The initialised network of the options, in the lean pass when asked (which refuses a layer it does not support). */
    private static Net build(TrainOptions o, Dataset all, int classes) {
        Net net = Architectures.build(o.arch(), all.shape(), classes);
        net.init(o.seed());
        if (o.lean())
            net.lean();
        return net;
    }

    /** What {@link #train} refuses before its first step (architecture, shift, validation split, --lean's layers), without training. */
    public static void check(TrainOptions o, Dataset all, Dataset test) {
        if (o.validation() >= all.count())
            throw new TrainingException("validation split of " + o.validation() + " leaves no training samples of " + all.count());
        build(o, all, classes(all, test));
    }

    static int classes(Dataset a, Dataset b) {
        int max = 0;
        for (int i = 0; i < a.count(); i++)
            max = Math.max(max, a.label(i));
        if (b != null) {
            if (!b.shape().equals(a.shape()))
                throw new TrainingException("test set " + b.name() + " has samples of " + b.shape() + ", training set " + a.shape());
            for (int i = 0; i < b.count(); i++)
                max = Math.max(max, b.label(i));
        }
        return Math.max(2, max + 1);
    }

    private static TrainResult run(Net net, TrainOptions o, Dataset train, Dataset val, Dataset test, Par par, TrainListener listener) {
        int n = train.count(), batch = Math.min(o.batchSize(), n);
        int stepsPerEpoch = n / batch; // full batches only: the permutation changes every epoch
        int epochs = o.epochs();
        long totalSteps = (long) epochs * stepsPerEpoch;
        Adam adam = new Adam(net.params());
        List<EpochStats> history = new ArrayList<>();
        int size = train.shape().size();
        int[] labels = new int[batch];
        long step = 0, storage = 0;
        long t0 = System.nanoTime();
        double valAcc = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long e0 = System.nanoTime();
            SplittableRandom rnd = new SplittableRandom(o.seed() * 1_000_003L + epoch);
            int[] perm = permutation(n, rnd);
            double loss = 0, correct = 0, lr = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                float[] x = net.isLean() ? null : net.inputBuffer(batch);
                byte[] xb = net.isLean() ? net.inputBytes(batch) : null;
                for (int b = 0; b < batch; b++) {
                    int idx = perm[s * batch + b];
                    labels[b] = train.label(idx);
                    int dy = o.shift() > 0 ? rnd.nextInt(2 * o.shift() + 1) - o.shift() : 0;
                    int dx = o.shift() > 0 ? rnd.nextInt(2 * o.shift() + 1) - o.shift() : 0;
                    if (xb != null)
                        shifted(train, idx, xb, b * size, dy, dx);
                    else if (o.shift() > 0)
                        shifted(train, idx, x, b * size, dy, dx);
                    else
                        copy(train, idx, x, b * size);
                }
                float[] scores = net.forward(par, batch, true);
                double[] lc = net.softmaxCrossEntropy(scores, labels, batch);
                loss += lc[0];
                correct += lc[1];
                net.backward(par, batch);
                lr = o.finalLearningRate()
                        + 0.5 * (o.learningRate() - o.finalLearningRate()) * (1 + Math.cos(Math.PI * step / Math.max(1, totalSteps)));
                adam.step(par, lr);
                if (step == 0)
                    storage = net.storageBytes(); // what one training batch holds (the buffers are reused from here on)
                step++;
                listener.batch(new BatchStats(net.name, epoch, epochs, (s + 1) * batch, stepsPerEpoch * batch, loss / ((s + 1) * batch),
                        (System.nanoTime() - e0) / 1e9));
                if (listener.cancelled())
                    throw new TrainingCancelledException(String.format(java.util.Locale.ROOT,
                            "%s: training interrupted at epoch %d of %d, after %,d of %,d samples", net.name, epoch, epochs, (s + 1) * batch,
                            stepsPerEpoch * batch));
            }
            double secs = (System.nanoTime() - e0) / 1e9;
            if (val != null)
                valAcc = accuracy(net, par, val, batch);
            int seen = stepsPerEpoch * batch;
            EpochStats st = new EpochStats(net.name, epoch, epochs, loss / seen, correct / seen, valAcc, lr, seen / Math.max(secs, 1e-9),
                    secs);
            history.add(st);
            listener.epoch(st);
            if (epoch == 1 && o.timeLimitMillis() > 0) {
                // wall-clock limit: fix the epoch count now that one epoch's cost is known; the schedule follows
                int fit = (int) Math.max(1, Math.floor(o.timeLimitMillis() / 1000.0 / Math.max(secs * (val != null ? 1.1 : 1), 1e-6)));
                if (fit < epochs) {
                    listener.message(net.name + ": time limit allows " + fit + " of " + epochs + " epochs");
                    epochs = fit;
                    totalSteps = (long) epochs * stepsPerEpoch;
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double testAcc = test == null ? Double.NaN : accuracy(net, par, test, batch);
        long params = 0;
        for (Param p : net.params())
            params += p.w.length;
        String spec = Architectures.spec(o.arch());
        return new TrainResult(net.export(net.name, List.of(), o.inputLow(), o.inputHigh()), spec, history, testAcc, valAcc, seconds, params, storage);
    }

    static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++)
            p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static void copy(Dataset d, int idx, float[] x, int off) {
        byte[] s = d.samples();
        int size = d.shape().size(), base = idx * size;
        for (int i = 0; i < size; i++)
            x[off + i] = s[base + i] & 0xff;
    }

    /** The sample's bytes moved by (dy, dx) pixels, zero filled (the lean pass's input; (0, 0) copies). */
    static void shifted(Dataset d, int idx, byte[] x, int off, int dy, int dx) {
        Shape sh = d.shape();
        byte[] s = d.samples();
        int H = sh.height(), W = sh.width(), base = idx * sh.size();
        if (dy == 0 && dx == 0) {
            System.arraycopy(s, base, x, off, sh.size());
            return;
        }
        for (int c = 0; c < sh.channels(); c++)
            for (int y = 0; y < H; y++) {
                int sy = y - dy;
                for (int xx = 0; xx < W; xx++) {
                    int sx = xx - dx;
                    x[off + (c * H + y) * W + xx] = sy < 0 || sy >= H || sx < 0 || sx >= W ? 0 : s[base + (c * H + sy) * W + sx];
                }
            }
    }

    /** The sample moved by (dy, dx) pixels, zero filled. */
    static void shifted(Dataset d, int idx, float[] x, int off, int dy, int dx) {
        Shape sh = d.shape();
        byte[] s = d.samples();
        int H = sh.height(), W = sh.width(), base = idx * sh.size();
        for (int c = 0; c < sh.channels(); c++)
            for (int y = 0; y < H; y++) {
                int sy = y - dy;
                for (int xx = 0; xx < W; xx++) {
                    int sx = xx - dx;
                    x[off + (c * H + y) * W + xx] = sy < 0 || sy >= H || sx < 0 || sx >= W ? 0f : s[base + (c * H + sy) * W + sx] & 0xff;
                }
            }
    }

    /** Predicted classes with the trainer's own inference (running batch-norm statistics). */
    public static int[] predict(Net net, Par par, Dataset d) {
        return predict(net, par, d, 500);
    }

    static int[] predict(Net net, Par par, Dataset d, int batch) {
        int n = d.count(), chunk = net.inferenceChunk(batch), size = d.shape().size(), k = net.classes();
        int[] out = new int[n];
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            load(net, d, from, m, size);
            float[] scores = net.forward(par, m, false);
            for (int b = 0; b < m; b++) {
                int best = 0;
                for (int c = 1; c < k; c++)
                    if (scores[b * k + c] > scores[b * k + best])
                        best = c;
                out[from + b] = best;
            }
        }
        return out;
    }

    /** Scores with the trainer's own inference for the first {@code m} samples. */
    public static float[] scores(Net net, Par par, Dataset d, int m) {
        load(net, d, 0, m, d.shape().size());
        return Arrays.copyOf(net.forward(par, m, false), m * net.classes());
    }

    /** Samples [from, from + m) into the network's input buffer (floats, or bytes for the lean pass). */
    private static void load(Net net, Dataset d, int from, int m, int size) {
        if (net.isLean()) {
            System.arraycopy(d.samples(), from * size, net.inputBytes(m), 0, m * size);
            return;
        }
        float[] x = net.inputBuffer(m);
        for (int b = 0; b < m; b++)
            copy(d, from + b, x, b * size);
    }

    public static double accuracy(Net net, Par par, Dataset d) {
        return accuracy(net, par, d, 500);
    }

    static double accuracy(Net net, Par par, Dataset d, int batch) {
        int[] p = predict(net, par, d, batch);
        int ok = 0;
        for (int i = 0; i < p.length; i++)
            if (p[i] == d.label(i))
                ok++;
        return p.length == 0 ? Double.NaN : (double) ok / p.length;
    }
}
