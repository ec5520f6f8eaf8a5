package ebnn.train.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import ebnn.api.Device;
import ebnn.train.api.Candidate;

/** Accuracy against memory (flash + RAM) of discover's candidates as a self-contained SVG. */
public final class Plot {
    private Plot() {
    }

    public static String svg(Device device, List<Candidate> all) {
        int w = 720, h = 440, left = 70, right = 30, top = 40, bottom = 60;
        List<Candidate> pts = new ArrayList<>();
        for (Candidate c : all)
            if (c.trained())
                pts.add(c);
        double maxKb = 1, minAcc = 100, maxAcc = 0;
        for (Candidate c : pts) {
            maxKb = Math.max(maxKb, kb(c));
            minAcc = Math.min(minAcc, acc(c));
            maxAcc = Math.max(maxAcc, acc(c));
        }
        if (pts.isEmpty()) {
            minAcc = 0;
            maxAcc = 100;
        }
        minAcc = Math.max(0, Math.floor(minAcc - 1));
        maxAcc = Math.min(100, Math.ceil(maxAcc + 0.5));
        if (maxAcc <= minAcc)
            maxAcc = minAcc + 1;
        double budgetKb = (device.flashBytes() + device.ramBytes()) / 1024.0;
        maxKb = Math.ceil(maxKb * 1.1);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                w, h, w, h));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", w, h));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">ebnn discover on %s: validation accuracy vs flash + RAM</text>%n",
                left, esc(device.name())));
        int pw = w - left - right, ph = h - top - bottom;
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", left, top, pw, ph));
        for (int i = 0; i <= 5; i++) {
            double kb = maxKb * i / 5, a = minAcc + (maxAcc - minAcc) * i / 5;
            double x = left + pw * i / 5.0, y = top + ph - ph * i / 5.0;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.1f</text>%n", x, h - bottom + 16, kb));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>%n", left - 6, y + 4, a));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">memory KB (flash + RAM, planned)</text>%n", left + pw / 2,
                h - 18));
        sb.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">accuracy %%</text>%n",
                top + ph / 2, top + ph / 2));
        if (budgetKb <= maxKb) {
            double x = left + pw * budgetKb / maxKb;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"red\" stroke-dasharray=\"4 3\"/>%n", x, top, x,
                    top + ph));
        }
        List<Candidate> front = new ArrayList<>(pts.stream().filter(Candidate::pareto).toList());
        front.sort(Comparator.comparingDouble(Plot::kb));
        if (front.size() > 1) {
            sb.append("<polyline fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"1.5\" points=\"");
            for (Candidate c : front)
                sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + pw * kb(c) / maxKb, top + ph - ph * (acc(c) - minAcc) / (maxAcc - minAcc)));
            sb.append("\"/>\n");
        }
        for (Candidate c : pts) {
            double x = left + pw * kb(c) / maxKb, y = top + ph - ph * (acc(c) - minAcc) / (maxAcc - minAcc);
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", x, y, c.pareto() ? "#1a7f37" : "#888"));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>%n", x + 6, y - 4, esc(c.name())));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static double kb(Candidate c) {
        return (c.flashBytes() + c.ramBytes()) / 1024.0;
    }

    private static double acc(Candidate c) {
        double v = Double.isNaN(c.validationAccuracy()) ? c.testAccuracy() : c.validationAccuracy();
        return Double.isNaN(v) ? 0 : 100 * v;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
