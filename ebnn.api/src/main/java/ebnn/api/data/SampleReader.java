package ebnn.api.data;

import java.util.List;

import ebnn.api.model.Shape;

/**
 * A cursor over the samples of one data source, each already converted to the model's input bytes.
 * Readers stream: at most one sample (plus the labels) is held at a time, except where the file's
 * order forces otherwise (a Fortran-order {@code .npy}). Not thread-safe; close it when done.
 */
public interface SampleReader extends AutoCloseable {
    /** Short description of the source for messages, e.g. {@code fashion-mnist/t10k (IDX)}. */
    String name();

    /** CHW shape of each sample delivered: the model's input shape when one was given. */
    Shape shape();

    /** Number of samples, or -1 when the source only knows at its end (CSV). */
    long count();

    /** True when every sample carries a label. */
    boolean labelled();

    /** Class names by label where the source has them (an image folder's sub-folders), else empty. */
    default List<String> classes() {
        return List.of();
    }

    /** The next sample, or null at the end. Bad data throws {@link DataException}. */
    Sample next();

    @Override
    void close();
}
