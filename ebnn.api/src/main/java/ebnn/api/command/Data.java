package ebnn.api.command;

import java.nio.file.Path;
import java.util.Locale;

import ebnn.api.data.DataOptions;
import ebnn.api.data.DataReaders;
import ebnn.api.data.Dataset;
import ebnn.api.data.SampleReader;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layout;

/**
 * The data options every command shares, turned into {@link DataOptions}; which reader a path needs
 * is the data layer's business ({@link DataReaders}), never a command's.
 */
public final class Data {
    private Data() {
    }

    /**
     * Declares the data options every command that reads samples shares ({@code --data} itself is the
     * command's, as what it means differs): {@code .with(Data::options)}.
     */
    public static CommandSpec.Builder options(CommandSpec.Builder b) {
        return b.option("labels", "FILE", "labels of .npy / IDX samples (.npy or IDX1)")
                .option("x", "NAME", "the samples' array of an .npz (default x, or x_test / x_train)")
                .option("y", "NAME", "the labels' array of an .npz (default y, or y_test / y_train)")
                .option("label-column", "NAME", "the CSV column holding the class (default: a column named label)")
                .option("layout", "nchw|nhwc", "how 3-D samples are stored (default: as the model's shape implies)")
                .option("resize", "WxH", "resize images to WxH (never done unless asked)");
    }

    /** The help of a {@code --data PATH} that reads samples in any format. */
    public static final String DATA_HELP = "an IDX folder (t10k-*, train-*) or file, .npy, .npz, a folder DIR/<class>/*.png|jpg|bmp|gif,\n"
            + "an image file or a CSV with a header row";

    /** How to read data for a model with this input (null: the data's own shape, values 0..255). */
    public static DataOptions options(Ctx ctx, InputSpec input) {
        Args a = ctx.args();
        DataOptions o = input == null ? DataOptions.raw() : DataOptions.forInput(input);
        if (a.value("labels") != null)
            o = o.withLabels(ctx.path(a.value("labels")));
        o = o.withArrays(a.value("x"), a.value("y")).withLabelColumn(a.value("label-column"));
        String l = a.value("layout");
        if (l != null) {
            switch (l.trim().toLowerCase(Locale.ROOT)) {
                case "nchw", "chw" -> o = o.withLayout(Layout.NCHW);
                case "nhwc", "hwc" -> o = o.withLayout(Layout.NHWC);
                default -> throw new UsageException("--layout must be nchw or nhwc, not '" + l + "'");
            }
        }
        String r = a.value("resize");
        if (r != null) {
            String[] wh = r.trim().toLowerCase(Locale.ROOT).split("x");
            try {
                int w = Integer.parseInt(wh[0].trim()), h = Integer.parseInt(wh[1].trim());
                if (wh.length != 2 || w <= 0 || h <= 0 || w > 4096 || h > 4096)
                    throw new NumberFormatException();
                o = o.withResize(w, h);
            } catch (RuntimeException e) {
                throw new UsageException("--resize must be WIDTHxHEIGHT, e.g. 28x28, not '" + r + "'");
            }
        }
        return o;
    }

    /** The data at {@code arg}, streaming. */
    public static SampleReader open(Ctx ctx, String arg, DataOptions o) {
        return DataReaders.open(existing(ctx, arg), o);
    }

    /** The data at {@code arg} in memory (at most {@code limit} samples). */
    public static Dataset readAll(Ctx ctx, String arg, DataOptions o, long limit, boolean needLabels) {
        return DataReaders.readAll(existing(ctx, arg), o, limit, needLabels);
    }

    public static Path existing(Ctx ctx, String arg) {
        return ctx.existing(arg, "data");
    }

    /** Samples as the binary model reads them: HWC (a copy only when there is more than one channel). */
    public static byte[] hwc(Dataset d, ebnn.api.model.Shape modelInput) {
        return ebnn.api.data.Samples.chwToHwc(d.samples(), d.count(), modelInput);
    }
}
