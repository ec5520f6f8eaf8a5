package ebnn.api.data;

import java.nio.file.Path;
import java.util.Arrays;

import ebnn.api.data.internal.Formats;

/**
 * The one entry to users' data. The reader is chosen by what the path is, its content first and its
 * name where the content does not say:
 * <ul>
 * <li>a folder of IDX files in MNIST naming ({@code t10k-images-idx3-ubyte[.gz]} and its labels; the
 * training split {@code train-*} with {@link DataOptions#training()}), or a single IDX file of any rank
 * 2..4 and element type (labels beside it by that naming, or {@code --labels});</li>
 * <li>{@code .npy} (uint8, int8, int16, int32, int64, float32, float64; either byte order; C or Fortran
 * order), labels from a second file; {@code .npz} with arrays {@code x}/{@code y} (or named ones, or
 * {@code x_test}/{@code y_test} and {@code x_train}/{@code y_train});</li>
 * <li>a folder {@code DIR/<class>/*.png|jpg|bmp|gif}, or one image file;</li>
 * <li>CSV with a header row (a {@code label} column or the one named).</li>
 * </ul>
 * 3-D samples are CHW or HWC as {@link DataOptions#layout()} says, else as the model's shape implies.
 * Values become the model's input bytes through its input range (uint8 data are the bytes). All
 * problems are {@link DataException}s naming the file, and the sample and position where one is at fault.
 */
public final class DataReaders {
    private DataReaders() {
    }

    /** A streaming reader of the samples at {@code path}. */
    public static SampleReader open(Path path, DataOptions options) {
        return Formats.open(path, options);
    }

    /**
     * All samples (at most {@code limit}) in memory, for commands that need them whole (training).
     * With {@code needLabels}, an unlabelled source is an error.
     */
    public static Dataset readAll(Path path, DataOptions options, long limit, boolean needLabels) {
        try (SampleReader r = open(path, options)) {
            if (needLabels && !r.labelled())
                throw new DataException(r.name() + ": no labels (an .npy needs --labels FILE, an .npz a y array, a CSV a label column)");
            return read(r, limit);
        }
    }

    /** The rest of {@code r}, at most {@code limit} samples, in memory. */
    public static Dataset read(SampleReader r, long limit) {
        int size = r.shape().size();
        long max = Math.min(limit, (Integer.MAX_VALUE - 16) / size);
        long expect = r.count() < 0 ? 1024 : Math.min(r.count(), limit);
        byte[] samples = new byte[(int) Math.min(expect, Math.min(max, (1 << 24) / size + 1)) * size];
        byte[] labels = r.labelled() ? new byte[samples.length / size] : null;
        int n = 0;
        for (Sample s; n < limit && (s = r.next()) != null; n++) {
            if (n >= max)
                throw new DataException(r.name() + ": more than " + max + " samples of " + r.shape() + " do not fit in memory at once");
            if ((long) (n + 1) * size > samples.length) { // grow as samples arrive: a header's count is not trusted for allocation
                int cap = (int) Math.min(max, Math.max(n + 1L, 2L * n));
                samples = Arrays.copyOf(samples, cap * size);
                if (labels != null)
                    labels = Arrays.copyOf(labels, cap);
            }
            System.arraycopy(s.bytes(), 0, samples, n * size, size);
            if (labels != null)
                labels[n] = (byte) s.label();
        }
        return new Dataset(r.name(), r.shape(), n, n * size == samples.length ? samples : Arrays.copyOf(samples, n * size),
                labels == null ? null : labels.length == n ? labels : Arrays.copyOf(labels, n));
    }

    /** True when {@code path} holds a test split beside its training split (an IDX folder, an .npz with x_train and x_test). */
    public static boolean hasTestSplit(Path path) {
        return Formats.hasTestSplit(path);
    }
}
