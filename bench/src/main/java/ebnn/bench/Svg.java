package ebnn.bench;

import java.util.Locale;

/** A minimal SVG writer (no libraries): text, lines, rectangles, circles; y grows downwards. */
final class Svg {
    private final StringBuilder sb = new StringBuilder();
    final int width, height;

    Svg(int width, int height) {
        this.width = width;
        this.height = height;
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", width, height, width, height));
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    Svg text(double x, double y, String s, String anchor, int size, String extra) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" %s>%s</text>%n", x, y, anchor, size,
                extra == null ? "" : extra, esc(s)));
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke, double w, String dash) {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n", x1, y1, x2, y2,
                stroke, w, dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
        return this;
    }

    Svg rect(double x, double y, double w, double h, String fill) {
        sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n", x, y, w, h, fill));
        return this;
    }

    Svg circle(double x, double y, double r, String fill, String stroke) {
        sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"%s\"/>%n", x, y, r, fill, stroke));
        return this;
    }

    Svg square(double x, double y, double r, String fill) {
        return rect(x - r, y - r, 2 * r, 2 * r, fill);
    }

    @Override
    public String toString() {
        return sb + "</svg>\n";
    }
}
