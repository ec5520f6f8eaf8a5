package ebnn.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import ebnn.api.NotFoundException;
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
    public static final String HELP = "--data PATH      an IDX folder (t10k-*, train-*) or file, .npy, .npz, a folder DIR/<class>/*.png|jpg|bmp|gif,\n"
            + "                 an image file or a CSV with a header row\n"
            + "--labels FILE    labels of .npy / IDX samples (.npy or IDX1)\n"
            + "--x NAME --y NAME  arrays of an .npz (default x and y, or x_test/y_test, x_train/y_train)\n"
            + "--label-column C  the CSV column holding the class (default: a column named label)\n"
            + "--layout L       nchw or nhwc: how 3-D samples are stored (default: as the model's shape implies)\n"
            + "--resize WxH     resize images to WxH (never done unless asked)";

    private Data() {
    }

    /** Adds the shared data options to a command's options. */
    public static Args.Options options(Args.Options o) {
        return o.option("labels", "FILE").option("x", "NAME").option("y", "NAME").option("label-column", "NAME").option("layout", "nchw|nhwc")
                .option("resize", "WxH");
    }

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
        Path p = ctx.path(arg);
        if (!Files.exists(p))
            throw new NotFoundException("data not found: " + p);
        return p;
    }

    /** Samples as the binary model reads them: HWC (a copy only when there is more than one channel). */
    public static byte[] hwc(Dataset d, ebnn.api.model.Shape modelInput) {
        return ebnn.api.data.Samples.chwToHwc(d.samples(), d.count(), modelInput);
    }
}
