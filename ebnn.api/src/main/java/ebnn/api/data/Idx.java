package ebnn.api.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import ebnn.api.ModelFormatException;
import ebnn.api.NotFoundException;
import ebnn.api.model.Shape;

/**
 * Reads IDX files (the MNIST format): unsigned-byte images (magic 0x00000803) and labels
 * (0x00000801), gzip-compressed or raw. Headers are checked against the data actually present
 * before anything large is allocated.
 */
public final class Idx {
    private static final int MAX_ITEMS = 10_000_000;

    private Idx() {
    }

    /**
     * Loads the test ("t10k") or training split from a directory holding MNIST-style names
     * ({@code t10k-images-idx3-ubyte[.gz]}, {@code train-images-...} or {@code train10k-images-...}).
     */
    public static Dataset load(Path dir, boolean test) {
        if (!Files.isDirectory(dir))
            throw new NotFoundException("data directory not found: " + dir);
        List<String> prefixes = test ? List.of("t10k") : List.of("train", "train10k");
        for (String p : prefixes) {
            Path images = find(dir, p + "-images-idx3-ubyte");
            Path labels = find(dir, p + "-labels-idx1-ubyte");
            if (images != null && labels != null)
                return read(dir.getFileName() + "/" + p, images, labels);
        }
        throw new NotFoundException("no " + (test ? "test (t10k-*)" : "training (train-*)") + " IDX files in " + dir);
    }

    private static Path find(Path dir, String base) {
        for (String suffix : new String[] { ".gz", "" }) {
            Path p = dir.resolve(base + suffix);
            if (Files.isRegularFile(p))
                return p;
        }
        return null;
    }

    /** Reads an image file and its label file into one dataset. */
    public static Dataset read(String name, Path images, Path labels) {
        try (DataInputStream img = open(images); DataInputStream lab = open(labels)) {
            int magic = img.readInt();
            if (magic != 0x00000803)
                throw new ModelFormatException(images + ": not an IDX image file (magic 0x" + Integer.toHexString(magic) + ", expected 0x803)");
            int n = img.readInt(), h = img.readInt(), w = img.readInt();
            int lmagic = lab.readInt();
            if (lmagic != 0x00000801)
                throw new ModelFormatException(labels + ": not an IDX label file (magic 0x" + Integer.toHexString(lmagic) + ", expected 0x801)");
            int ln = lab.readInt();
            if (n < 0 || n > MAX_ITEMS || h <= 0 || w <= 0 || h > 4096 || w > 4096 || (long) n * h * w > Integer.MAX_VALUE - 16)
                throw new ModelFormatException(images + ": implausible header, " + n + " images of " + h + "x" + w);
            if (ln != n)
                throw new ModelFormatException(labels + " holds " + ln + " labels but " + images + " holds " + n + " images");
            byte[] pixels = readExactly(img, n * h * w, images, n + " images of " + h + "x" + w);
            byte[] labs = readExactly(lab, n, labels, n + " labels");
            if (img.read() != -1)
                throw new ModelFormatException(images + ": more bytes than the header's " + n + " images of " + h + "x" + w);
            return new Dataset(name, new Shape(1, h, w), n, pixels, labs);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("file not found: " + e.getFile());
        } catch (EOFException e) {
            throw new ModelFormatException(images + " or " + labels + ": file ends inside the header");
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + images + " / " + labels + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readExactly(InputStream in, int n, Path file, String what) throws IOException {
        // Grow in chunks so a header that lies about its size cannot make us allocate it all up front.
        byte[] buf = new byte[Math.min(n, 1 << 20)];
        int filled = 0;
        while (filled < n) {
            if (filled == buf.length)
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(n, (long) buf.length * 2));
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0)
                throw new ModelFormatException(file + ": header promises " + what + " (" + n + " bytes) but the file has only " + filled);
            filled += r;
        }
        return buf;
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        in.mark(2);
        int b1 = in.read(), b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b)
            in = new GZIPInputStream(in, 1 << 16);
        return new DataInputStream(in);
    }
}
