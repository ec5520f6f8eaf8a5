package ebnn.api.data;

import ebnn.api.InvalidModelException;
import ebnn.api.model.Shape;

/**
 * Labelled samples of unsigned bytes, stored back to back; one sample is {@code shape.size()} bytes
 * in CHW order (identical to HWC for one channel, as MNIST).
 */
public record Dataset(String name, Shape shape, int count, byte[] samples, byte[] labels) {
    public Dataset {
        if (samples.length != (long) count * shape.size() || labels.length != count)
            throw new InvalidModelException("dataset '" + name + "': " + count + " samples of " + shape + " need "
                    + (long) count * shape.size() + " bytes and " + count + " labels; got " + samples.length + " and " + labels.length);
    }

    public byte[] sample(int i) {
        byte[] out = new byte[shape.size()];
        System.arraycopy(samples, i * shape.size(), out, 0, out.length);
        return out;
    }

    public int label(int i) {
        return labels[i] & 0xff;
    }

    /** The first {@code n} samples (or all if fewer). */
    public Dataset head(int n) {
        int k = Math.min(n, count);
        return new Dataset(name, shape, k, java.util.Arrays.copyOf(samples, k * shape.size()), java.util.Arrays.copyOf(labels, k));
    }

    /** Samples [from, to). */
    public Dataset slice(int from, int to) {
        int size = shape.size();
        return new Dataset(name, shape, to - from, java.util.Arrays.copyOfRange(samples, from * size, to * size),
                java.util.Arrays.copyOfRange(labels, from, to));
    }
}
