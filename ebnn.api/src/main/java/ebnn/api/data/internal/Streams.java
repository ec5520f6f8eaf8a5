package ebnn.api.data.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import ebnn.api.data.DataException;

final class Streams {
    private Streams() {
    }

    static boolean gzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** The first bytes of a file, after gzip decompression when it is gzip-compressed. */
    static byte[] head(Path p, int n) throws IOException {
        try (InputStream in = open(p)) {
            return in.readNBytes(n);
        }
    }

    /** A buffered stream of the file's content, decompressed when it starts with the gzip magic. */
    static InputStream open(Path p) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        in.mark(2);
        byte[] m = in.readNBytes(2);
        in.reset();
        return gzip(m) ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    static boolean compressed(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return gzip(in.readNBytes(2));
        }
    }

    /**
     * Exactly {@code n} bytes; the buffer grows as data arrive, so a header that lies about its size
     * cannot make us allocate what it promises.
     */
    static byte[] readExactly(InputStream in, int n, String file, String what) throws IOException {
        byte[] buf = new byte[Math.min(n, 1 << 20)];
        int filled = 0;
        while (filled < n) {
            if (filled == buf.length)
                buf = Arrays.copyOf(buf, (int) Math.min(n, (long) buf.length * 2));
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0)
                throw new DataException(file + ": truncated: " + what + " (" + n + " bytes) but the data end after " + filled);
            filled += r;
        }
        return buf;
    }
}
