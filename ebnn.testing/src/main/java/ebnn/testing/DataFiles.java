package ebnn.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

/**
 * Writers of the data files users bring (NumPy .npy/.npz, PNG folders, CSV, IDX), written here from
 * the formats' specifications so that the readers are tested against files made independently of
 * them: every element type and byte order, C and Fortran order, stored and deflated zip entries.
 */
public final class DataFiles {
    private DataFiles() {
    }

    /**
     * A .npy file (format 1.0) of {@code values} given in C order for {@code shape}.
     *
     * @param descr NumPy type string: {@code |u1}, {@code |i1}, {@code <i2}, {@code >i4}, {@code <f4}, {@code >f8}, ...
     */
    public static byte[] npy(String descr, boolean fortran, long[] shape, double[] values) {
        long n = 1;
        for (long d : shape)
            n *= d;
        if (n != values.length)
            throw new IllegalArgumentException(values.length + " values for shape " + java.util.Arrays.toString(shape));
        byte[] header = npyHeader(descr, fortran, shape);
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        char kind = descr.charAt(1);
        int size = descr.charAt(2) - '0';
        ByteBuffer b = ByteBuffer.allocate(header.length + (int) n * size).order(order);
        b.put(header);
        for (int i = 0; i < n; i++) {
            double v = values[fortran ? cIndexOfFortran(i, shape) : i];
            switch (kind + "" + size) {
                case "u1", "i1" -> b.put((byte) (long) v);
                case "i2", "u2" -> b.putShort((short) (long) v);
                case "i4", "u4" -> b.putInt((int) (long) v);
                case "i8" -> b.putLong((long) v);
                case "f4" -> b.putFloat((float) v);
                case "f8" -> b.putDouble(v);
                default -> throw new IllegalArgumentException("descr " + descr);
            }
        }
        return b.array();
    }

    /** The magic, version 1.0 and the header dict of a .npy, padded to 64 bytes as NumPy writes it. */
    public static byte[] npyHeader(String descr, boolean fortran, long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape)
            dims.append(d).append(", ");
        String s = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + s + ", }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0 }).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    /** The C-order index of the element at Fortran-order position {@code f}. */
    private static int cIndexOfFortran(int f, long[] shape) {
        long c = 0, rest = f;
        long[] at = new long[shape.length];
        for (int a = 0; a < shape.length; a++) {
            at[a] = rest % shape[a];
            rest /= shape[a];
        }
        for (int a = 0; a < shape.length; a++)
            c = c * shape[a] + at[a];
        return (int) c;
    }

    /** An .npz: each array stored ({@code deflate} false) or deflated, named NAME.npy. */
    public static byte[] npz(Map<String, byte[]> arrays, boolean deflate) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(bytes)) {
                for (var e : arrays.entrySet()) {
                    ZipEntry ze = new ZipEntry(e.getKey() + ".npy");
                    if (!deflate) {
                        ze.setMethod(ZipEntry.STORED);
                        ze.setSize(e.getValue().length);
                        CRC32 crc = new CRC32();
                        crc.update(e.getValue());
                        ze.setCrc(crc.getValue());
                    }
                    z.putNextEntry(ze);
                    z.write(e.getValue());
                    z.closeEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An IDX file: type 0x08 (ubyte), 0x09, 0x0B, 0x0C, 0x0D (float) or 0x0E (double), big-endian. */
    public static byte[] idx(int type, int[] dims, double[] values) {
        int size = switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw new IllegalArgumentException("IDX type " + type);
        };
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length * size);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims)
            b.putInt(d);
        for (double v : values)
            switch (type) {
                case 0x08, 0x09 -> b.put((byte) (long) v);
                case 0x0B -> b.putShort((short) (long) v);
                case 0x0C -> b.putInt((int) (long) v);
                case 0x0D -> b.putFloat((float) v);
                default -> b.putDouble(v);
            }
        return b.array();
    }

    /** A PNG of CHW bytes: gray for one channel, RGB for three. */
    public static void png(Path file, byte[] chw, int channels, int height, int width) {
        BufferedImage img = new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                if (channels == 1)
                    img.getRaster().setSample(x, y, 0, chw[p] & 0xff);
                else
                    img.setRGB(x, y, (chw[p] & 0xff) << 16 | (chw[plane + p] & 0xff) << 8 | chw[2 * plane + p] & 0xff);
            }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(img, "png", file.toFile()))
                throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A PNG folder DIR/&lt;class&gt;/NNNNN.png of the first {@code count} samples; class folders are named
     * {@code c00}, {@code c01}, ... so that their sorted order is the label order.
     */
    public static void pngFolder(Path dir, byte[] chw, byte[] labels, int count, int channels, int height, int width) {
        int size = channels * height * width;
        for (int i = 0; i < count; i++)
            png(dir.resolve(String.format(Locale.ROOT, "c%02d/%05d.png", labels[i] & 0xff, i)),
                    java.util.Arrays.copyOfRange(chw, i * size, (i + 1) * size), channels, height, width);
    }

    /** A CSV with a header: {@code label} (when labels are given) and one column per value, each value {@code byte * scale}. */
    public static void csv(Path file, byte[] samples, byte[] labels, int count, int size, double scale) {
        try (OutputStream o = Files.newOutputStream(file)) {
            StringBuilder sb = new StringBuilder(labels != null ? "label" : "");
            for (int j = 0; j < size; j++)
                sb.append(sb.length() == 0 ? "" : ",").append("v").append(j);
            sb.append('\n');
            for (int i = 0; i < count; i++) {
                if (labels != null)
                    sb.append(labels[i] & 0xff);
                for (int j = 0; j < size; j++) {
                    double v = (samples[i * size + j] & 0xff) * scale;
                    sb.append(labels != null || j > 0 ? "," : "").append(scale == 1 ? Long.toString((long) v) : Double.toString(v));
                }
                sb.append('\n');
                o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                sb.setLength(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes as doubles, each {@code byte * scale + offset}. */
    public static double[] values(byte[] b, int from, int count, double scale, double offset) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++)
            v[i] = (b[from + i] & 0xff) * scale + offset;
        return v;
    }

    /** CHW samples reordered to HWC (what NHWC arrays hold). */
    public static byte[] toHwc(byte[] chw, int count, int c, int h, int w) {
        byte[] out = new byte[chw.length];
        int plane = h * w, n = c * plane;
        for (int i = 0; i < count; i++)
            for (int k = 0; k < c; k++)
                for (int p = 0; p < plane; p++)
                    out[i * n + p * c + k] = chw[i * n + k * plane + p];
        return out;
    }
}
