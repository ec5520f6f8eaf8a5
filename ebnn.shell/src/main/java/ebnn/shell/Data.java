package ebnn.shell;

import java.nio.file.Path;

import ebnn.api.InvalidModelException;
import ebnn.api.NotFoundException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.model.Shape;

/** Loads the IDX test split a command was pointed at and lays it out as the integer model reads it. */
public final class Data {
    private Data() {
    }

    /** The test split (t10k-*) of {@code dir}, checked against the model's input shape. */
    public static Dataset testSet(Ctx ctx, String dir, BinaryModel model) {
        Path p = ctx.path(dir);
        if (!java.nio.file.Files.exists(p))
            throw new NotFoundException("data directory not found: " + p);
        Dataset d = Idx.load(p, true);
        if (d.shape().size() != model.input().size() || d.shape().height() != model.input().height()
                || d.shape().width() != model.input().width())
            throw new InvalidModelException("data set " + d.name() + " has samples of " + d.shape() + " but model '" + model.name()
                    + "' takes " + model.input());
        return d;
    }

    /** Samples as the binary model reads them: HWC (a copy only when there is more than one channel). */
    public static byte[] hwc(Dataset d, Shape modelInput) {
        return ebnn.api.data.Samples.chwToHwc(d.samples(), d.count(), modelInput);
    }
}
