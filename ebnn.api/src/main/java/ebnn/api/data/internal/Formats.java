package ebnn.api.data.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import ebnn.api.NotFoundException;
import ebnn.api.data.DataException;
import ebnn.api.data.DataOptions;
import ebnn.api.data.SampleReader;

/** Chooses a reader by what a path is: its content first, its name where the content does not say. */
public final class Formats {
    private static final Pattern IDX_IMAGES = Pattern.compile("(.+)-images[-.]idx[2-4]-ubyte(\\.gz)?");

    private Formats() {
    }

    public static SampleReader open(Path p, DataOptions o) {
        if (!Files.exists(p))
            throw new NotFoundException("data not found: " + p);
        try {
            if (Files.isDirectory(p))
                return folder(p, o);
            byte[] head = Streams.head(p, 8);
            String ext = extension(p);
            if (Npy.is(head))
                return npy(p, o);
            if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
                return npz(p, o);
            if (IdxHeader.is(head))
                return idx(p, p.getFileName().toString(), labelsFor(p, o), o);
            if (Images.is(head)) {
                noLabels(o, p);
                return Images.single(p, o);
            }
            switch (ext) {
                case "npy", "npz", "png", "jpg", "jpeg", "bmp", "gif" -> throw new DataException(p + ": not a ." + ext + " file (its content does not start as one)");
                case "gz", "idx", "ubyte" -> throw new DataException(p + ": not an IDX file (magic " + IdxHeader.hex(head) + ")");
                default -> {
                }
            }
            if (ext.equals("csv") || ext.equals("txt") || ext.equals("tsv") || text(head)) {
                noLabels(o, p);
                return Csv.open(p, o);
            }
            throw new DataException(p + ": not a data file ebnn reads (IDX, .npy, .npz, PNG/JPEG/BMP/GIF image, CSV, or a folder of them)");
        } catch (NoSuchFileException e) {
            throw new NotFoundException("file not found: " + e.getFile());
        } catch (IOException e) {
            throw new DataException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** True for an IDX folder with both a training and a test split. */
    public static boolean hasTestSplit(Path p) {
        if (Files.isDirectory(p))
            return idxPair(p, false) != null && idxPair(p, true) != null;
        try {
            byte[] head = Streams.head(p, 4);
            if (head.length == 4 && head[0] == 'P' && head[1] == 'K') {
                try (ZipFile z = new ZipFile(p.toFile())) {
                    return z.getEntry("x_train.npy") != null && z.getEntry("x_test.npy") != null;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static SampleReader folder(Path dir, DataOptions o) throws IOException {
        Path[] pair = idxPair(dir, o.training());
        if (pair != null)
            return idx(pair[0], dir.getFileName() + "/" + pair[0].getFileName().toString().replaceFirst("-images.*", ""), Labels.read(pair[1]), o);
        if (anyIdx(dir))
            throw new NotFoundException("no " + (o.training() ? "training (train-*)" : "test (t10k-*)") + " IDX images and labels in " + dir);
        noLabels(o, dir);
        return Images.folder(dir, o);
    }

    /** The images and labels file of a split in an MNIST-style folder, or null. */
    static Path[] idxPair(Path dir, boolean training) {
        List<String> prefixes = training ? List.of("train", "train10k") : List.of("t10k", "test");
        List<Path> files = list(dir);
        for (String prefix : prefixes)
            for (Path f : files) {
                Matcher m = IDX_IMAGES.matcher(f.getFileName().toString());
                if (m.matches() && m.group(1).equals(prefix)) {
                    Path labels = sibling(f);
                    if (labels != null)
                        return new Path[] { f, labels };
                }
            }
        return null;
    }

    private static boolean anyIdx(Path dir) {
        return list(dir).stream().anyMatch(f -> IDX_IMAGES.matcher(f.getFileName().toString()).matches());
    }

    /** The labels file beside an images file: {@code X-images-idx3-ubyte[.gz]} to {@code X-labels-idx1-ubyte[.gz]}. */
    static Path sibling(Path images) {
        Matcher m = IDX_IMAGES.matcher(images.getFileName().toString());
        if (!m.matches())
            return null;
        String base = images.getFileName().toString();
        String l = base.replaceFirst("-images([-.])idx[2-4]-ubyte", "-labels$1idx1-ubyte");
        for (String name : new String[] { l, l.endsWith(".gz") ? l.substring(0, l.length() - 3) : l + ".gz" }) {
            Path c = images.resolveSibling(name);
            if (Files.isRegularFile(c))
                return c;
        }
        return null;
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path f : s)
                if (Files.isRegularFile(f))
                    out.add(f);
        } catch (IOException e) {
            throw new DataException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    private static byte[] labelsFor(Path images, DataOptions o) {
        if (o.labels() != null)
            return Labels.read(o.labels());
        Path s = sibling(images);
        return s == null ? null : Labels.read(s);
    }

    private static SampleReader idx(Path p, String name, byte[] labels, DataOptions o) throws IOException {
        InputStream in = Streams.open(p);
        try {
            ArrayReader.Header h = IdxHeader.read(in, p.toString());
            if (h.dims().length == 1)
                throw new DataException(p + ": an IDX1 file holds labels or one value per sample, not samples; give it with --labels");
            long known = Streams.compressed(p) ? -1 : Files.size(p) - 4 - 4L * h.dims().length;
            // IDX always counts samples along its first axis, even as one file to classify
            return new ArrayReader(name + " (IDX)", h, in, known, h.dims().length == 4, o.withSingle(false), labels, in);
        } catch (RuntimeException | IOException e) {
            in.close();
            throw e;
        }
    }

    private static SampleReader npy(Path p, DataOptions o) throws IOException {
        byte[] labels = o.labels() == null ? null : Labels.read(o.labels());
        InputStream in = Streams.open(p);
        try {
            long[] hb = new long[1];
            ArrayReader.Header h = Npy.read(in, p.toString(), hb);
            long known = Streams.compressed(p) ? -1 : Files.size(p) - hb[0];
            return new ArrayReader(p.getFileName() + " (.npy)", h, in, known, false, o, labels, in);
        } catch (RuntimeException | IOException e) {
            in.close();
            throw e;
        }
    }

    private static SampleReader npz(Path p, DataOptions o) throws IOException {
        ZipFile z;
        try {
            z = new ZipFile(p.toFile());
        } catch (ZipException e) {
            throw new DataException(p + ": not a readable .npz (zip) file: " + e.getMessage());
        }
        try {
            List<String> arrays = new ArrayList<>();
            z.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".npy")).forEach(n -> arrays.add(n.substring(0, n.length() - 4)));
            if (arrays.isEmpty())
                throw new DataException(p + ": a zip file without .npy arrays, not an .npz");
            String split = o.training() ? "_train" : "_test";
            String x = pick(p, arrays, o.xName(), "--x", "x", "x" + split);
            String y = o.labels() != null ? null : pick(p, arrays, o.yName(), "--y", "y", "y" + split);
            if (x == null)
                throw new DataException(p + ": no sample array (x or x" + split + "); it holds " + String.join(", ", arrays) + " (choose one with --x NAME)");
            byte[] labels = o.labels() != null ? Labels.read(o.labels()) : null;
            if (y != null) {
                ZipEntry ye = z.getEntry(y + ".npy");
                try (InputStream in = z.getInputStream(ye)) {
                    long[] hb = new long[1];
                    ArrayReader.Header h = Npy.read(in, p + ":" + y, hb);
                    labels = Labels.read(in, h, p + ":" + y, ye.getSize() < 0 ? -1 : ye.getSize() - hb[0]);
                }
            }
            ZipEntry xe = z.getEntry(x + ".npy");
            InputStream in = new java.io.BufferedInputStream(z.getInputStream(xe), 1 << 16);
            long[] hb = new long[1];
            ArrayReader.Header h = Npy.read(in, p + ":" + x, hb);
            return new ArrayReader(p.getFileName() + ":" + x + " (.npz)", h, in, xe.getSize() < 0 ? -1 : xe.getSize() - hb[0], false, o, labels, z);
        } catch (RuntimeException | IOException e) {
            z.close();
            throw e;
        }
    }

    /** The array named by the option, else the first default present; an error when a named one is absent. */
    private static String pick(Path p, List<String> arrays, String named, String option, String... defaults) {
        if (named != null) {
            String n = named.endsWith(".npy") ? named.substring(0, named.length() - 4) : named;
            if (!arrays.contains(n))
                throw new DataException(p + ": no array '" + n + "' (" + option + "); it holds " + String.join(", ", arrays));
            return n;
        }
        for (String d : defaults)
            if (arrays.contains(d))
                return d;
        return null;
    }

    private static void noLabels(DataOptions o, Path p) {
        if (o.labels() != null)
            throw new DataException("--labels is for .npy, .npz and IDX samples; " + p + " carries its own labels (image folders: the sub-folder, CSV: --label-column)");
    }

    static String extension(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1);
    }

    private static boolean text(byte[] head) {
        if (head.length == 0)
            return false;
        for (byte b : head)
            if (b < 0x09 || b > 0x7e || b > 0x0d && b < 0x20)
                return false;
        return true;
    }
}
