package ebnn.train.api;

import java.nio.file.Path;

import ebnn.api.data.DataException;
import ebnn.api.data.DataOptions;
import ebnn.api.data.DataReaders;
import ebnn.api.data.Dataset;
import ebnn.api.model.InputRange;

/**
 * How every trainer front end (ebnn:train, ebnn:discover, DiscoverOnSpark) reads its data: the
 * training split in memory, the test split beside it, values through the data's range.
 */
public final class TrainingData {
    private TrainingData() {
    }

    /** The data options for {@code range} (null: the default 0..255, raw bytes). */
    public static DataOptions options(DataOptions o, InputRange range) {
        return range == null ? o : o.withRange(range.low(), range.high());
    }

    /**
     * The training samples at {@code path}, all in memory. With no range given, data whose every value is
     * 0 or 1 are refused: they are almost always floats in [0,1] that would silently train as bytes 0 and 1.
     */
    public static Dataset training(Path path, DataOptions o, InputRange range) {
        Dataset d = DataReaders.readAll(path, options(o, range).withTraining(true), Long.MAX_VALUE, true);
        if (range == null && onlyZeroAndOne(d))
            throw new DataException(d.name() + ": every value read is 0 or 1 of the default range 0..255; if the data are floats in [0,1] "
                    + "give --input-range 0,1 (--input-range 0,255 trains on them as bytes)");
        return d;
    }

    /** The test split beside the training split at {@code path} (an IDX folder's t10k-*, an .npz's x_test), or null. */
    public static Dataset testBeside(Path path, Dataset train, DataOptions o, InputRange range) {
        return DataReaders.hasTestSplit(path)
                ? DataReaders.readAll(path, options(o, range).withShape(train.shape()).withTraining(false), Long.MAX_VALUE, true)
                : null;
    }

    /** A separate test set at {@code path}, shaped as the training set. */
    public static Dataset test(Path path, Dataset train, DataOptions o, InputRange range) {
        return DataReaders.readAll(path, options(o, range).withShape(train.shape()).withTraining(false), Long.MAX_VALUE, true);
    }

    private static boolean onlyZeroAndOne(Dataset d) {
        for (byte b : d.samples())
            if ((b & 0xff) > 1)
                return false;
        return d.count() > 0;
    }
}
