package ebnn.train.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.data.Dataset;
import ebnn.api.data.DataOptions;
import ebnn.api.data.DataReaders;
import ebnn.api.spi.Toolchain;
import ebnn.api.command.Args;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.command.Data;
import ebnn.api.command.Json;
import ebnn.api.command.MemoryBounds;
import ebnn.api.command.Progress;
import ebnn.api.command.Table;
import ebnn.api.command.UsageException;
import ebnn.train.api.Architecture;
import ebnn.train.api.BatchStats;
import ebnn.train.api.EpochStats;
import ebnn.train.api.TrainListener;
import ebnn.train.api.TrainingCancelledException;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainResult;
import ebnn.train.api.TrainingData;
import ebnn.train.api.TrainingService;

/**
 * {@code ebnn:train}: trains a binarized network of a named architecture on a labelled data set (IDX,
 * .npy/.npz, images, CSV) and writes it as .ebnn. It lives in the trainer's bundle, so the shell has
 * it exactly when the trainer is installed.
 */
@Component(service = Command.class)
public class TrainCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("train",
            "train a binarized network of a named architecture (mlp-1, convpool-2, tfc, ...) in this JVM")
            .required("arch", "NAME|SPEC", "a name from --list, or a spec like conv:16:3,pool:2:2,dense:64")
            .with(TrainCommand::dataOptions)
            .option("epochs", "N", "passes over the training set (default 10)")
            .option("seed", "S", "same seed, same model bytes (default 1)")
            .option("out", "FILE.ebnn", "where to write the model (default ARCH.ebnn); checked before training")
            .option("name", "NAME", "the model's name (default: the architecture's, e.g. convpool-1); ebnn:compile's\n"
                    + "default C symbol comes from the file name")
            .flag("force", "replace the --out file if it exists (else refused before training)")
            .flag("keep-float", "write the float model (batch norms as float64) for continued training; by default the\n"
                    + "file holds each block's integer thresholds and the scores' exact affine: about the\n"
                    + "device's bytes, lowering to the identical integer model")
            .with(TrainCommand::trainingOptions)
            .option("threads", "N", "worker threads (default: up to 2 cores; results do not depend on it)")
            .option("validation", "N", "hold out the last N training samples for per-epoch validation (default 0)")
            .option("device", "D", "also plan the trained model's memory on device D (flash + RAM, as ebnn:memory);\n"
                    + "with a test set, the accuracy reported is the lowered INTEGER model's (jvm runtime);\n"
                    + "the trainer's float inference is reported beside it")
            .flag("json", "one JSON object per epoch and a final one, on standard output")
            .standalone("list", "list the named architectures")
            .build();

    @Reference
    private TrainingService training;

    @Reference
    private Toolchain toolchain;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int execute(Ctx ctx) {
        Args a = ctx.args();
        if (a.flag("list"))
            return list(ctx);
        TrainOptions o = options(a, a.required("arch"));
        if (a.value("name") != null && a.value("name").isBlank())
            throw new UsageException("--name must not be empty");
        Path out = ctx.outputFile(a.value("out", safe(a.required("arch")) + ".ebnn"));
        Dataset train = trainingSet(ctx);
        Dataset test = testSet(ctx, train);
        Device device = a.value("device") == null ? null : toolchain.device(a.value("device"));
        training.check(o, train, test);
        if (device != null)
            training.checkFits(o.arch(), train, test, device);
        if (!ctx.json())
            ctx.progress(String.format(Locale.ROOT, "training %s on %,d samples of %s (%s), %d epochs, seed %d, %d thread(s)", o.arch(),
                    train.count() - o.validation(), train.name(), train.shape(), o.epochs(), o.seed(), o.threads()));
        TrainResult r;
        try {
            r = training.train(o, train, test, listener(ctx));
        } catch (TrainingCancelledException e) {
            throw new TrainingCancelledException(e.getMessage() + "; nothing written" + (Files.exists(out) ? ", " + out + " left as it was" : ""));
        }
        ebnn.api.model.Model model = r.model();
        if (a.value("name") != null)
            model = new ebnn.api.model.Model(a.value("name").trim(), model.input(), model.layers(), model.labels());
        toolchain.writeModel(model, out, a.flag("keep-float") ? ebnn.api.spi.ModelForm.FLOAT : ebnn.api.spi.ModelForm.THRESHOLDS);
        BinaryModel lowered = toolchain.lower(model);
        double integerAccuracy = Double.NaN;
        if (test != null) {
            int[] pred = toolchain.engine("jvm").load(lowered).classifyBatch(Data.hwc(test, lowered.input()), test.count(), null);
            int ok = 0;
            for (int i = 0; i < pred.length; i++)
                if (pred[i] == test.label(i))
                    ok++;
            integerAccuracy = (double) ok / test.count();
        }
        String generator = device == null ? null : toolchain.defaultGenerator(device);
        MemoryPlan plan = device == null ? null : toolchain.planAsCompiled(lowered, device, generator);
        if (ctx.json()) {
            ctx.out().println(Json.line(Json.obj("event", "done", "arch", o.arch(), "spec", r.spec(), "model", model.name(), "out",
                    out.toString(), "seed", o.seed(), "epochs", r.history().size(), "seconds", r.seconds(), "parameters", r.parameters(),
                    "validationAccuracy", r.validationAccuracy(), "testAccuracy", integerAccuracy, "floatTestAccuracy", r.testAccuracy(),
                    "lean", o.lean(), "activationBytes", r.activationBytes(),
                    "device", device == null ? null : device.name(), "flashBytes", plan == null ? null : plan.flashBytes(), "ramBytes",
                    plan == null ? null : plan.ramBytes(), "fits", plan == null ? null : plan.fits())));
        } else {
            ctx.out().printf(Locale.ROOT, "trained %s (%s): %s%s, %.1f s, %,d parameters -> %s%n", model.name(), r.spec(),
                    Double.isNaN(integerAccuracy) ? "no test set"
                            : String.format(Locale.ROOT, "test accuracy %.2f %% on %,d samples (integer model, jvm runtime; float %.2f %%)",
                                    100 * integerAccuracy, test.count(), 100 * r.testAccuracy()),
                    Double.isNaN(r.validationAccuracy()) ? "" : String.format(Locale.ROOT, ", validation %.2f %%", 100 * r.validationAccuracy()),
                    r.seconds(), r.parameters(), out);
            if (plan != null)
                ctx.out().printf(Locale.ROOT, "memory on %s: flash %,d B + RAM %,d B = %,d B (%.2f KB)%s%n", device.name(), plan.flashBytes(),
                        plan.ramBytes(), plan.flashBytes() + plan.ramBytes(), (plan.flashBytes() + plan.ramBytes()) / 1024.0,
                        plan.fits() ? ", fits" : ", DOES NOT FIT: " + plan.overflows());
            if (plan != null)
                ctx.out().println(MemoryBounds.line(generator));
        }
        return OK;
    }

    private int list(Ctx ctx) {
        List<Architecture> archs = training.architectures();
        if (ctx.json()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Architecture x : archs)
                rows.add(Json.obj("name", x.name(), "spec", x.spec(), "description", x.description()));
            ctx.printJson(rows);
        } else {
            Table t = new Table("NAME", "SPEC", "DESCRIPTION");
            for (Architecture x : archs)
                t.row(x.name(), x.spec(), x.description());
            ctx.out().print(t);
        }
        return OK;
    }

    /** Training options from the shared flags of train and discover. */
    static TrainOptions options(Args a, String arch) {
        TrainOptions o = TrainOptions.defaults(arch).withEpochs(a.positiveInt("epochs", 10)).withBatchSize(a.positiveInt("batch", 100));
        if (a.value("seed") != null) {
            try {
                o = o.withSeed(Long.parseLong(a.value("seed").trim()));
            } catch (NumberFormatException e) {
                throw new UsageException("--seed must be an integer, not '" + a.value("seed") + "'");
            }
        }
        if (a.value("threads") != null)
            o = o.withThreads(a.positiveInt("threads", 1));
        if (a.value("validation") != null)
            o = o.withValidation(nonNegative(a, "validation"));
        o = o.withLearningRate(positiveDouble(a, "lr", o.learningRate()), positiveDouble(a, "final-lr", o.finalLearningRate()));
        o = o.withAugment(a.flag("augment")).withLean(a.flag("lean"));
        if (a.inputRange() != null)
            o = o.withInputRange(a.inputRange().low(), a.inputRange().high());
        if (a.value("shift") != null) {
            int shift = nonNegative(a, "shift");
            if (shift > 8)
                throw new UsageException("--shift must be 0..8 pixels, not " + shift);
            o = o.withShift(shift);
        }
        return o;
    }

    static int nonNegative(Args a, String name) {
        try {
            int v = Integer.parseInt(a.value(name).trim());
            if (v < 0)
                throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number >= 0, not '" + a.value(name) + "'");
        }
    }

    static double positiveDouble(Args a, String name, double fallback) {
        String v = a.value(name);
        if (v == null)
            return fallback;
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d > 0) || !Double.isFinite(d))
                throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a positive number, not '" + v + "'");
        }
    }

    /** The training samples of --data (an IDX folder's or .npz's training split), in memory: training needs them all. */
    static Dataset trainingSet(Ctx ctx) {
        return TrainingData.training(Data.existing(ctx, ctx.args().required("data")), Data.options(ctx, null), ctx.args().inputRange());
    }

    /** The test set: --test (labels from --test-labels), else the test split beside the training split, else none. */
    static Dataset testSet(Ctx ctx, Dataset train) {
        Args a = ctx.args();
        DataOptions o = Data.options(ctx, null);
        if (a.value("test") != null)
            return TrainingData.test(Data.existing(ctx, a.value("test")), train,
                    o.withLabels(a.value("test-labels") == null ? null : ctx.path(a.value("test-labels"))), a.inputRange());
        if (a.value("test-labels") != null)
            throw new UsageException("--test-labels goes with --test FILE");
        return TrainingData.testBeside(Data.existing(ctx, a.required("data")), train, o, a.inputRange());
    }

    /** Options of the training data: --data, --test and the shared data options (train and discover). */
    static CommandSpec.Builder dataOptions(CommandSpec.Builder b) {
        return b.required("data", "PATH", "training samples: an IDX folder (train-* or train10k-*; its t10k-* is the final test), .npy\n"
                + "(--labels FILE), .npz (x_train/y_train with x_test/y_test, or x/y), an image folder, a CSV")
                .option("test", "PATH", "a separate test set in any format (reported, never used to choose)")
                .option("test-labels", "FILE", "the labels of a --test .npy")
                .option(Args.INPUT_RANGE, "LOW,HIGH", "what the data's values span (default 0,255: raw bytes; e.g. 0,1 for float images\n"
                        + "in [0,1]): values become bytes through it and the trained model declares it")
                .with(Data::options);
    }

    /** How each network is trained (train and discover). */
    static CommandSpec.Builder trainingOptions(CommandSpec.Builder b) {
        return b.option("batch", "N", "samples per step (default 100)")
                .option("lr", "X", "Adam's initial learning rate (default 0.01), cosine to --final-lr")
                .option("final-lr", "X", "the learning rate at the end (default 0.0001)")
                .flag("augment", "random shifts of up to 2 pixels (same as --shift 2)")
                .option("shift", "N", "random shifts of up to N pixels in x and y (0..8, default 0)")
                .flag("lean", "memory-lean training: activations and straight-through masks kept as bits for the backward\n"
                        + "pass, weight gradients from the binary inputs; the same model bytes, a fraction of the memory");
    }

    static String safe(String arch) {
        return arch.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "_");
    }

    static TrainListener listener(Ctx ctx) {
        Progress progress = Progress.of(ctx);
        return new TrainListener() {
            @Override
            public void epoch(EpochStats s) {
                if (ctx.json()) {
                    synchronized (ctx) {
                        ctx.out().println(Json.line(Json.obj("event", "epoch", "arch", s.arch(), "epoch", s.epoch(), "epochs", s.epochs(), "loss",
                                s.loss(), "trainAccuracy", s.trainAccuracy(), "validationAccuracy", s.validationAccuracy(), "learningRate",
                                s.learningRate(), "samplesPerSecond", s.samplesPerSecond(), "seconds", s.seconds())));
                        ctx.out().flush();
                    }
                    return;
                }
                int width = 20, filled = (int) Math.round(width * (double) s.epoch() / s.epochs());
                progress.line(String.format(Locale.ROOT, "%-12s epoch %3d/%-3d [%s%s] loss %.4f  train %.2f %%%s  %,.0f samples/s  %.1f s", s.arch(),
                        s.epoch(), s.epochs(), "#".repeat(filled), ".".repeat(width - filled), s.loss(), 100 * s.trainAccuracy(),
                        Double.isNaN(s.validationAccuracy()) ? "" : String.format(Locale.ROOT, "  val %.2f %%", 100 * s.validationAccuracy()),
                        s.samplesPerSecond(), s.seconds()));
            }

            @Override
            public void batch(BatchStats b) {
                progress.update(b.arch(), "epoch", b.epoch(), b.epochs(), b.samples(), b.epochSamples(), b.seconds(), b.loss());
            }

            @Override
            public void message(String line) {
                if (!ctx.json())
                    progress.line(line);
            }

            @Override
            public boolean cancelled() {
                return ctx.cancelled();
            }
        };
    }
}
