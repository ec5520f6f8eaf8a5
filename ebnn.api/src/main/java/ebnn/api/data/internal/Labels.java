package ebnn.api.data.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import ebnn.api.NotFoundException;
import ebnn.api.data.DataException;

/** Class labels: one integer 0..255 per sample, from an IDX1 file, a .npy or an .npz member. */
final class Labels {
    static final int MAX = 100_000_000;

    private Labels() {
    }

    static byte[] read(Path p) {
        if (!Files.isRegularFile(p))
            throw new NotFoundException("label file not found: " + p);
        try (InputStream in = Streams.open(p)) {
            in.mark(16);
            byte[] head = in.readNBytes(8);
            in.reset();
            boolean raw = !Streams.compressed(p);
            if (Npy.is(head)) {
                long[] hb = new long[1];
                ArrayReader.Header h = Npy.read(in, p.toString(), hb);
                return read(in, h, p.toString(), raw ? Files.size(p) - hb[0] : -1);
            }
            if (IdxHeader.is(head)) {
                ArrayReader.Header h = IdxHeader.read(in, p.toString());
                return read(in, h, p.toString(), raw ? Files.size(p) - 4 - 4L * h.dims().length : -1);
            }
            throw new DataException(p + ": not a label file (expected a .npy or an IDX1 file of class indices)");
        } catch (NoSuchFileException e) {
            throw new NotFoundException("label file not found: " + p);
        } catch (IOException e) {
            throw new DataException("cannot read labels " + p + ": " + e.getMessage(), e);
        }
    }

    /** The labels after a header; {@code known} data bytes present, or -1. */
    static byte[] read(InputStream in, ArrayReader.Header h, String name, long known) throws IOException {
        long[] d = h.dims();
        if (!(d.length == 1 || d.length == 2 && d[1] == 1))
            throw new DataException(name + ": labels must be one class index per sample (shape N or Nx1), not " + h.describe());
        if (d[0] > MAX)
            throw new DataException(name + ": header promises " + d[0] + " labels, more than the limit of " + MAX);
        int n = (int) d[0];
        long bytes = (long) n * h.type().bytes;
        if (known >= 0 && known != bytes)
            throw new DataException(name + ": header promises " + n + " labels (" + bytes + " bytes) but the file holds " + known + " data bytes"
                    + (known < bytes ? " (truncated?)" : ""));
        byte[] raw = Streams.readExactly(in, (int) bytes, name, "header promises " + n + " labels");
        ByteBuffer b = ByteBuffer.wrap(raw).order(h.order());
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            double v = h.type().get(b, i);
            if (!(v >= 0 && v <= 255 && v == Math.rint(v)))
                throw new DataException(name + ": label " + i + " is " + Values.fmt(v) + "; labels are class indices 0..255");
            out[i] = (byte) v;
        }
        return out;
    }
}
