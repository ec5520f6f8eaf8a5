package ebnn.api.data.internal;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;

import ebnn.api.data.DataException;
import ebnn.api.data.DataOptions;
import ebnn.api.data.Sample;
import ebnn.api.data.SampleReader;
import ebnn.api.model.Shape;

/**
 * Image files (PNG, JPEG, BMP, GIF through javax.imageio): one file, a folder with one sub-folder
 * per class (class index = position of the sub-folder's name in sorted order), or a folder of
 * images without sub-folders (unlabelled). Gray and colour
 * images are converted to the model's channels (luma for gray, replicated gray for RGB); a size
 * other than the model's is an error unless a resize was asked for.
 */
final class Images implements SampleReader {
    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final String name;
    private final List<Path> files;
    private final int[] labels;
    private final List<String> classes;
    private final DataOptions o;
    private int channels, height, width;
    private Shape shape;
    private int next;

    private Images(String name, List<Path> files, int[] labels, List<String> classes, DataOptions o) {
        this.name = name;
        this.files = files;
        this.labels = labels;
        this.classes = classes;
        this.o = o;
        Shape t = o.shape();
        if (t != null && !Geometry.flat(t)) {
            if (t.channels() != 1 && t.channels() != 3)
                throw new DataException(name + ": images give 1 (gray) or 3 (RGB) channels; the model takes " + t);
            channels = t.channels();
            height = o.resizeHeight() > 0 ? o.resizeHeight() : t.height();
            width = o.resizeWidth() > 0 ? o.resizeWidth() : t.width();
        } else {
            // no model shape to follow (or a flat one): the first image decides, later ones must agree
            BufferedImage first = decode(files.get(0));
            channels = gray(first) ? 1 : 3;
            height = o.resizeHeight() > 0 ? o.resizeHeight() : first.getHeight();
            width = o.resizeWidth() > 0 ? o.resizeWidth() : first.getWidth();
            if (t != null && t.size() != channels * height * width && t.size() == height * width)
                channels = 1;
        }
        Shape own = new Shape(channels, height, width);
        shape = t == null ? own : Geometry.compatible(name, own, t, false);
    }

    static boolean is(byte[] h) {
        return h.length >= 4 && ((h[0] & 0xff) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G' // PNG
                || (h[0] & 0xff) == 0xff && (h[1] & 0xff) == 0xd8 // JPEG
                || h[0] == 'G' && h[1] == 'I' && h[2] == 'F' && h[3] == '8' // GIF
                || h[0] == 'B' && h[1] == 'M'); // BMP
    }

    static SampleReader single(Path p, DataOptions o) {
        return new Images(p.getFileName().toString(), List.of(p), null, List.of(), o);
    }

    static SampleReader folder(Path dir, DataOptions o) throws IOException {
        List<Path> classDirs = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path c : s)
                if (Files.isDirectory(c) && !c.getFileName().toString().startsWith("."))
                    classDirs.add(c);
        }
        classDirs.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        if (classDirs.isEmpty()) { // images without class folders: unlabelled, in name order
            List<Path> flat = images(dir);
            if (!flat.isEmpty())
                return new Images(dir.getFileName() + " (images)", flat, null, List.of(), o);
        }
        if (classDirs.isEmpty())
            throw new DataException(dir + ": neither an IDX folder (t10k-*/train-* files) nor an image folder (" + dir + "/<class>/*.png|jpg|bmp|gif)");
        if (classDirs.size() > 256)
            throw new DataException(dir + ": " + classDirs.size() + " class folders; labels are 0..255");
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (int k = 0; k < classDirs.size(); k++) {
            classes.add(classDirs.get(k).getFileName().toString());
            List<Path> in = images(classDirs.get(k));
            files.addAll(in);
            for (int i = 0; i < in.size(); i++)
                labels.add(k);
        }
        if (files.isEmpty())
            throw new DataException(dir + ": no images (.png, .jpg, .bmp, .gif) in its class folders " + classes);
        return new Images(dir.getFileName() + " (images)", files, labels.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(classes), o);
    }

    /** The image files of a folder, by name. */
    private static List<Path> images(Path dir) throws IOException {
        List<Path> in = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path f : s)
                if (Files.isRegularFile(f) && EXTENSIONS.contains(Formats.extension(f)))
                    in.add(f);
        }
        in.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return in;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public long count() {
        return files.size();
    }

    @Override
    public boolean labelled() {
        return labels != null;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public Sample next() {
        if (next >= files.size())
            return null;
        int i = next++;
        Path f = files.get(i);
        BufferedImage img = decode(f);
        int w = img.getWidth(), h = img.getHeight();
        if (o.resizeWidth() == 0 && (w != width || h != height))
            throw new DataException(f + ": image is " + w + "x" + h + " but " + (o.shape() != null ? "the model takes " + width + "x" + height
                    : "the first image is " + width + "x" + height) + " (resize with --resize " + width + "x" + height + ")");
        byte[] chw = pixels(img, channels);
        if (w != width || h != height)
            chw = resize(chw, channels, h, w, height, width);
        return new Sample(i, chw, labels == null ? Sample.NO_LABEL : labels[i], f.toString());
    }

    @Override
    public void close() {
    }

    static BufferedImage decode(Path f) {
        try {
            BufferedImage img = ImageIO.read(f.toFile());
            if (img == null)
                throw new DataException(f + ": unreadable image (no reader for its format)");
            return img;
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException d)
                throw d;
            throw new DataException(f + ": unreadable image: " + AbstractMessage.of(e));
        }
    }

    private static boolean gray(BufferedImage img) {
        return !(img.getColorModel() instanceof IndexColorModel) && img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    /** CHW bytes with {@code c} channels (1: luma, 3: RGB). Gray samples are read from the raster: getRGB would apply a gamma. */
    static byte[] pixels(BufferedImage img, int c) {
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        byte[] out = new byte[c * plane];
        if (gray(img)) {
            Raster r = img.getRaster();
            int bits = img.getColorModel().getComponentSize(0);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int v = r.getSample(x, y, 0);
                    v = bits > 8 ? v >> (bits - 8) : bits < 8 ? v * 255 / ((1 << bits) - 1) : v;
                    for (int k = 0; k < c; k++)
                        out[k * plane + y * w + x] = (byte) v;
                }
            return out;
        }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y), r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
                if (c == 1) {
                    out[y * w + x] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
                } else {
                    out[y * w + x] = (byte) r;
                    out[plane + y * w + x] = (byte) g;
                    out[2 * plane + y * w + x] = (byte) b;
                }
            }
        return out;
    }

    /** Bilinear resampling with pixel centres aligned; integer rounding so every JVM gives the same bytes. */
    static byte[] resize(byte[] src, int c, int h, int w, int nh, int nw) {
        byte[] out = new byte[c * nh * nw];
        for (int k = 0; k < c; k++)
            for (int y = 0; y < nh; y++) {
                double sy = Math.max(0, Math.min(h - 1, (y + 0.5) * h / nh - 0.5));
                int y0 = (int) sy, y1 = Math.min(h - 1, y0 + 1);
                double fy = sy - y0;
                for (int x = 0; x < nw; x++) {
                    double sx = Math.max(0, Math.min(w - 1, (x + 0.5) * w / nw - 0.5));
                    int x0 = (int) sx, x1 = Math.min(w - 1, x0 + 1);
                    double fx = sx - x0;
                    int base = k * h * w;
                    double v = (1 - fy) * ((1 - fx) * (src[base + y0 * w + x0] & 0xff) + fx * (src[base + y0 * w + x1] & 0xff))
                            + fy * ((1 - fx) * (src[base + y1 * w + x0] & 0xff) + fx * (src[base + y1 * w + x1] & 0xff));
                    out[k * nh * nw + y * nw + x] = (byte) Math.round(v);
                }
            }
        return out;
    }
}
