package ebnn.train.api;

/**
 * How to train.
 *
 * @param arch              a name from {@link TrainingService#architectures()} or a layer spec (see {@link Architecture#spec()})
 * @param epochs            passes over the training samples
 * @param batchSize         samples per step
 * @param learningRate      Adam's initial learning rate
 * @param finalLearningRate learning rate at the end of the cosine schedule
 * @param seed              seeds initialization, shuffling and augmentation: same seed, same model bytes
 *                          (whatever {@code threads} is), unless {@code timeLimitMillis} cuts epochs
 * @param threads           worker threads (results do not depend on it)
 * @param validation        samples held out from the end of the training set for validation (0 = none)
 * @param shift             augmentation: each training sample moved by a random offset of up to {@code shift} pixels in
 *                          x and y (0 = none; images only, not flat feature vectors; small shifts help the conv families on
 *                          small training sets)
 * @param timeLimitMillis   0 for none; else epochs are reduced after the first one so training ends within it
 * @param lean              the memory-lean pass: binarized activations and straight-through masks kept as bits for the
 *                          backward pass, batch-norm inputs as 16/32-bit integers, pool winners as bytes, weight gradients
 *                          from the binary inputs; the same model as without it, in a fraction of the activation memory
 * @param inputLow          the value the training data's byte 0 stands for (the data's range, as the data layer read
 *                          it: {@code --input-range}); the trained model declares it. Default 0 (raw bytes)
 * @param inputHigh         the value byte 255 stands for; default 255 (since 1.3)
 */
public record TrainOptions(String arch, int epochs, int batchSize, double learningRate, double finalLearningRate, long seed,
        int threads, int validation, int shift, long timeLimitMillis, boolean lean, double inputLow, double inputHigh) {
    public TrainOptions {
        if (!Double.isFinite(inputLow) || !Double.isFinite(inputHigh) || !(inputHigh > inputLow))
            throw new TrainingException("input range must be finite with high > low, not " + inputLow + ".." + inputHigh);
        if (arch == null || arch.isBlank())
            throw new TrainingException("architecture must be given");
        if (epochs <= 0 || batchSize <= 0 || threads <= 0 || validation < 0 || timeLimitMillis < 0)
            throw new TrainingException("epochs, batch size and threads must be positive, validation and time limit >= 0");
        if (shift < 0 || shift > 8)
            throw new TrainingException("shift must be 0..8 pixels, not " + shift);
        if (!(learningRate > 0) || !(finalLearningRate >= 0))
            throw new TrainingException("learning rates must be positive");
    }

    /** Defaults: 10 epochs, batch 100, lr 0.01 → 0.0001, seed 1, both cores, no validation, no augmentation. */
    public static TrainOptions defaults(String arch) {
        return new TrainOptions(arch, 10, 100, 0.01, 0.0001, 1, Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())), 0,
                0, 0, false, 0, 255);
    }

    public TrainOptions withEpochs(int e) {
        return new TrainOptions(arch, e, batchSize, learningRate, finalLearningRate, seed, threads, validation, shift, timeLimitMillis, lean, inputLow, inputHigh);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(arch, epochs, batchSize, learningRate, finalLearningRate, s, threads, validation, shift, timeLimitMillis, lean, inputLow, inputHigh);
    }

    public TrainOptions withThreads(int t) {
        return new TrainOptions(arch, epochs, batchSize, learningRate, finalLearningRate, seed, t, validation, shift, timeLimitMillis, lean, inputLow, inputHigh);
    }

    public TrainOptions withArch(String a) {
        return new TrainOptions(a, epochs, batchSize, learningRate, finalLearningRate, seed, threads, validation, shift, timeLimitMillis, lean, inputLow, inputHigh);
    }

    public TrainOptions withValidation(int v) {
        return new TrainOptions(arch, epochs, batchSize, learningRate, finalLearningRate, seed, threads, v, shift, timeLimitMillis, lean, inputLow, inputHigh);
    }

    public TrainOptions withAugment(boolean a) {
        return new TrainOptions(arch, epochs, batchSize, learningRate, finalLearningRate, seed, threads, validation, a ? 2 : 0, timeLimitMillis, lean, inputLow, inputHigh);
    }

    /** Random shifts of up to {@code pixels} (0 = no augmentation). */
    public TrainOptions withShift(int pixels) {
        return new TrainOptions(arch, epochs, batchSize, learningRate, finalLearningRate, seed, threads, validation, pixels, timeLimitMillis, lean, inputLow, inputHigh);
    }

    /** Whether training samples are shifted at random. */
    public boolean augment() {
        return shift > 0;
    }

    public TrainOptions withTimeLimit(long ms) {
        return new TrainOptions(arch, epochs, batchSize, learningRate, finalLearningRate, seed, threads, validation, shift, ms, lean, inputLow, inputHigh);
    }

    public TrainOptions withLearningRate(double lr, double finalLr) {
        return new TrainOptions(arch, epochs, batchSize, lr, finalLr, seed, threads, validation, shift, timeLimitMillis, lean, inputLow, inputHigh);
    }

    /** The memory-lean pass (see {@link #lean}). */
    public TrainOptions withLean(boolean l) {
        return new TrainOptions(arch, epochs, batchSize, learningRate, finalLearningRate, seed, threads, validation, shift, timeLimitMillis, l, inputLow, inputHigh);
    }

    /**
     * The range the training samples' bytes stand for (byte 0 is {@code low}, 255 is {@code high}): the
     * trained model declares it, and still computes from the same bytes.
     *
     * @since 1.3
     */
    public TrainOptions withInputRange(double low, double high) {
        return new TrainOptions(arch, epochs, batchSize, learningRate, finalLearningRate, seed, threads, validation, shift, timeLimitMillis, lean,
                low, high);
    }

    public TrainOptions withBatchSize(int b) {
        return new TrainOptions(arch, epochs, b, learningRate, finalLearningRate, seed, threads, validation, shift, timeLimitMillis, lean, inputLow, inputHigh);
    }
}
