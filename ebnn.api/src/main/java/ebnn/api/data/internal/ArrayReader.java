package ebnn.api.data.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import ebnn.api.data.DataException;
import ebnn.api.data.DataOptions;
import ebnn.api.data.Sample;
import ebnn.api.data.SampleReader;
import ebnn.api.model.Layout;
import ebnn.api.model.Shape;

/**
 * Samples of a dense array (IDX, .npy, an .npz member): the first axis counts samples. C-order data
 * stream one sample at a time; Fortran-order data put the sample axis fastest, so they are read whole
 * (after the size was checked against the file) and gathered per sample.
 */
final class ArrayReader implements SampleReader {
    /** What a header says about the array. */
    record Header(long[] dims, DType type, ByteOrder order, boolean fortran) {
        long elements() {
            long n = 1;
            for (long d : dims)
                n = Math.multiplyExact(n, d);
            return n;
        }

        long bytes() {
            return Math.multiplyExact(elements(), type.bytes);
        }

        String describe() {
            return type.label + " " + Arrays.toString(dims).replace(", ", "x");
        }
    }

    private final String name;
    private final Header header;
    private final long count;
    private final int perSample;
    private final Geometry geometry;
    private final Values values;
    private final byte[] labels;
    private final InputStream in;
    private final byte[] whole;
    private final byte[] raw, fileOrder;
    private final AutoCloseable owner;
    private final long[] sampleDims;
    private long next;

    /**
     * @param in      positioned at the first data byte; read whole when the header says Fortran order
     * @param known   data bytes known to be present (file size minus header), or -1 when unknown (gzip)
     * @param idxHwc  the format defines 3-D samples as HWC (IDX4)
     */
    ArrayReader(String name, Header h, InputStream in, long known, boolean idxHwc, DataOptions o, byte[] labels, AutoCloseable owner) {
        this.name = name;
        this.owner = owner;
        long[] dims = h.dims;
        // one sample (classify --input): a leading axis of 1 is the sample axis; an array holding exactly the
        // model's values is one sample without it; anything else counts samples along its first axis as usual
        if (o.single() && !(dims.length >= 2 && dims[0] == 1) && (o.shape() == null || elements(dims) == o.shape().size())) {
            dims = new long[h.dims.length + 1];
            dims[0] = 1;
            System.arraycopy(h.dims, 0, dims, 1, h.dims.length);
        }
        if (dims.length < 2)
            throw new DataException(name + ": a 1-axis array " + h.describe() + " holds no samples (samples need a sample axis and at least one more)");
        this.header = new Header(dims, h.type, h.order, h.fortran);
        long total;
        try {
            total = header.bytes();
        } catch (ArithmeticException e) {
            throw new DataException(name + ": header promises " + h.describe() + ", more than any file holds");
        }
        if (known >= 0 && known != total)
            throw new DataException(name + ": header promises " + h.describe() + " (" + total + " bytes) but the file holds " + known + " data bytes"
                    + (known < total ? " (truncated?)" : ""));
        this.count = dims[0];
        this.sampleDims = Arrays.copyOfRange(dims, 1, dims.length);
        this.geometry = Geometry.of(name, Arrays.copyOfRange(dims, 1, dims.length), idxHwc ? Layout.NHWC : null, o.layout(), o.shape());
        this.perSample = geometry.stored().size();
        if (labels != null && labels.length != count)
            throw new DataException(name + ": " + labels.length + " labels for " + count + " samples");
        this.labels = labels;
        this.values = new Values(o.low(), o.high());
        this.raw = new byte[perSample * h.type.bytes];
        this.fileOrder = new byte[perSample];
        if (h.fortran) {
            if (total > Integer.MAX_VALUE - 16)
                throw new DataException(name + ": a Fortran-order array of " + total + " bytes is too large (C-order arrays of any size stream)");
            try {
                this.whole = Streams.readExactly(in, (int) total, name, "header promises " + h.describe());
            } catch (IOException e) {
                throw new DataException(name + ": cannot read: " + e.getMessage(), e);
            }
            this.in = null;
            closeQuietly(owner);
        } else {
            this.whole = null;
            this.in = in;
        }
    }

    private static long elements(long[] dims) {
        long n = 1;
        for (long d : dims)
            n = d > 0 && n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
        return n;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape shape() {
        return geometry.shape();
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public boolean labelled() {
        return labels != null;
    }

    @Override
    public Sample next() {
        if (next >= count)
            return null;
        long i = next++;
        ByteBuffer b;
        if (whole == null) {
            try {
                int r = in.readNBytes(raw, 0, raw.length);
                if (r < raw.length)
                    throw new EOFException();
            } catch (EOFException e) {
                throw new DataException(name + ": truncated: header promises " + count + " samples (" + header.describe() + ") but the data end in sample " + i);
            } catch (IOException e) {
                throw new DataException(name + ": cannot read sample " + i + ": " + e.getMessage(), e);
            }
            b = ByteBuffer.wrap(raw).order(header.order);
        } else {
            gather(i);
            b = ByteBuffer.wrap(raw).order(header.order);
        }
        if (header.type == DType.U8) {
            System.arraycopy(raw, 0, fileOrder, 0, perSample);
        } else {
            for (int j = 0; j < perSample; j++)
                fileOrder[j] = values.toByte(header.type.get(b, j), name, i, j, sampleDims);
        }
        byte[] out = new byte[perSample];
        geometry.toChw(fileOrder, out);
        return new Sample(i, out, labels == null ? Sample.NO_LABEL : labels[(int) i] & 0xff, name + " sample " + i);
    }

    /** Fortran order: element (i, j1..jk) sits at i + N*(j1 + d1*(j2 + ...)). */
    private void gather(long i) {
        long[] d = header.dims;
        int k = d.length - 1, es = header.type.bytes;
        int[] at = new int[k];
        for (int j = 0; j < perSample; j++) {
            long off = 0, stride = count;
            for (int a = 0; a < k; a++) {
                off += at[a] * stride;
                stride *= d[a + 1];
            }
            System.arraycopy(whole, (int) ((i + off) * es), raw, j * es, es);
            for (int a = k - 1; a >= 0; a--) { // C-order increment of the sample's coordinates
                if (++at[a] < d[a + 1])
                    break;
                at[a] = 0;
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(owner);
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null)
                c.close();
        } catch (Exception e) {
            // nothing to do: the data were read
        }
    }
}
