package ebnn.train.impl;

import java.util.ArrayList;
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
 * The training loop: seeded shuffling, optional shift augmentation, softmax cross-entropy, Adam with
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
        Net net = Architectures.build(o.arch(), all.shape(), classes);
        net.init(o.seed());
        try (Par par = new Par(o.threads())) {
            return new Trained(net, run(net, o, train, val, test, par, listener));
        }
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
        long step = 0;
        long t0 = System.nanoTime();
        double valAcc = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long e0 = System.nanoTime();
            SplittableRandom rnd = new SplittableRandom(o.seed() * 1_000_003L + epoch);
            int[] perm = permutation(n, rnd);
            double loss = 0, correct = 0, lr = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                float[] x = net.inputBuffer(batch);
                for (int b = 0; b < batch; b++) {
                    int idx = perm[s * batch + b];
                    labels[b] = train.label(idx);
                    if (o.shift() > 0)
                        shifted(train, idx, x, b * size, rnd.nextInt(2 * o.shift() + 1) - o.shift(), rnd.nextInt(2 * o.shift() + 1) - o.shift());
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
                valAcc = accuracy(net, par, val);
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
        double testAcc = test == null ? Double.NaN : accuracy(net, par, test);
        long params = 0;
        for (Param p : net.params())
            params += p.w.length;
        String spec = Architectures.spec(o.arch());
        return new TrainResult(net.export(net.name, List.of()), spec, history, testAcc, valAcc, seconds, params);
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
        int n = d.count(), chunk = 500, size = d.shape().size(), k = net.classes();
        int[] out = new int[n];
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            float[] x = net.inputBuffer(m);
            for (int b = 0; b < m; b++)
                copy(d, from + b, x, b * size);
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
        int size = d.shape().size();
        float[] x = net.inputBuffer(m);
        for (int b = 0; b < m; b++)
            copy(d, b, x, b * size);
        return net.forward(par, m, false).clone();
    }

    public static double accuracy(Net net, Par par, Dataset d) {
        int[] p = predict(net, par, d);
        int ok = 0;
        for (int i = 0; i < p.length; i++)
            if (p[i] == d.label(i))
                ok++;
        return p.length == 0 ? Double.NaN : (double) ok / p.length;
    }
}
