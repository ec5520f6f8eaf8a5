package ebnn.api.data;

import java.util.Arrays;

import ebnn.api.InvalidModelException;
import ebnn.api.model.Shape;

/**
 * Samples of unsigned bytes held in memory, stored back to back; one sample is {@code shape.size()}
 * bytes in CHW order (identical to HWC for one channel, as MNIST). {@code labels} is null for an
 * unlabelled set (see {@link #labelled()}).
 */
public record Dataset(String name, Shape shape, int count, byte[] samples, byte[] labels) {
    public Dataset {
        if (samples.length != (long) count * shape.size() || labels != null && labels.length != count)
            throw new InvalidModelException("dataset '" + name + "': " + count + " samples of " + shape + " need "
                    + (long) count * shape.size() + " bytes and " + count + " labels; got " + samples.length + " and "
                    + (labels == null ? "no" : labels.length));
    }

    public boolean labelled() {
        return labels != null;
    }

    public byte[] sample(int i) {
        byte[] out = new byte[shape.size()];
        System.arraycopy(samples, i * shape.size(), out, 0, out.length);
        return out;
    }

    /** Class of sample {@code i}; an unlabelled set has none. */
    public int label(int i) {
        if (labels == null)
            throw new DataException("data set " + name + " has no labels");
        return labels[i] & 0xff;
    }

    /** The first {@code n} samples (or all if fewer). */
    public Dataset head(int n) {
        return slice(0, Math.min(n, count));
    }

    /** Samples [from, to). */
    public Dataset slice(int from, int to) {
        int size = shape.size();
        return new Dataset(name, shape, to - from, Arrays.copyOfRange(samples, from * size, to * size),
                labels == null ? null : Arrays.copyOfRange(labels, from, to));
    }
}
