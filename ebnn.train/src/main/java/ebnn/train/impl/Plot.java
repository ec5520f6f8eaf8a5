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
        int w = 780, h = 460, left = 70, right = 210, top = 40, bottom = 60; // the legend sits in the right margin
        List<Candidate> pts = new ArrayList<>();
        for (Candidate c : all)
            if (c.trained())
                pts.add(c);
        double budgetKb = (device.flashBytes() + device.ramBytes()) / 1024.0;
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
        // the budget is always on the plot, unless it is far beyond every candidate (a large device)
        maxKb = Math.ceil(Math.max(maxKb * 1.1, budgetKb <= maxKb * 4 ? budgetKb * 1.05 : 0));
        int pw = w - left - right, ph = h - top - bottom;
        double kbMax = maxKb, lo = minAcc, hi = maxAcc;
        java.util.function.DoubleUnaryOperator X = kb -> left + pw * kb / kbMax;
        java.util.function.DoubleUnaryOperator Y = acc -> top + ph - ph * (acc - lo) / (hi - lo);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                w, h, w, h));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", w, h));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">ebnn discover on %s: validation accuracy vs flash + RAM</text>%n",
                left, esc(device.name())));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", left, top, pw, ph));
        for (int i = 0; i <= 5; i++) {
            double kb = maxKb * i / 5, acc = minAcc + (maxAcc - minAcc) * i / 5;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.1f</text>%n", X.applyAsDouble(kb), h - bottom + 16, kb));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>%n", left - 6, Y.applyAsDouble(acc) + 4, acc));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">memory KB (flash + RAM, planned)</text>%n", left + pw / 2,
                h - 18));
        sb.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">accuracy %%</text>%n",
                top + ph / 2, top + ph / 2));
        boolean budgetShown = budgetKb <= maxKb;
        if (budgetShown) {
            double x = X.applyAsDouble(budgetKb);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c62828\" stroke-dasharray=\"5 3\"/>%n", x,
                    top, x, top + ph));
        }
        // the front as a staircase: from each non-dominated point, flat to the next one's memory, then up to its accuracy
        List<Candidate> front = new ArrayList<>(pts.stream().filter(Candidate::pareto).toList());
        front.sort(Comparator.comparingDouble(Plot::kb).thenComparingDouble(Plot::acc));
        List<Candidate> stairs = new ArrayList<>();
        for (Candidate c : front)
            if (stairs.isEmpty() || acc(c) > acc(stairs.get(stairs.size() - 1)))
                stairs.add(c);
        if (!stairs.isEmpty()) {
            sb.append("<polyline fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"1.5\" points=\"");
            for (int i = 0; i < stairs.size(); i++) {
                Candidate c = stairs.get(i);
                if (i > 0)
                    sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", X.applyAsDouble(kb(c)), Y.applyAsDouble(acc(stairs.get(i - 1)))));
                sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", X.applyAsDouble(kb(c)), Y.applyAsDouble(acc(c))));
            }
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f\"/>%n", (double) left + pw, Y.applyAsDouble(acc(stairs.get(stairs.size() - 1)))));
        }
        for (Candidate c : pts) {
            double x = X.applyAsDouble(kb(c)), y = Y.applyAsDouble(acc(c));
            String color = c.pareto() ? "#1a7f37" : "#888";
            if (c.partial()) // hollow: trained fewer epochs than asked, not comparable with the others
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"white\" stroke=\"%s\" stroke-width=\"1.5\"/>%n", x, y, color));
            else
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", x, y, color));
            String label = esc(c.name()) + (c.partial() ? " (" + esc(c.status().substring("trained ".length())) + ")" : "");
            // labels stay inside the plot: to the left of a point when they would run past its right edge, below points at its top
            boolean flip = x + 7 + 6.5 * (label.length()) > left + pw;
            double ly = y - 6 < top + 10 ? y + 14 : y - 6;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\"%s>%s</text>%n", flip ? x - 7 : x + 7, ly,
                    flip ? " text-anchor=\"end\"" : "", label));
        }
        // legend, right of the plot
        int lx = left + pw + 16, ly = top + 8;
        sb.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#1a7f37\"/><text x=\"%d\" y=\"%d\">Pareto front</text>%n", lx,
                ly, lx + 10, ly + 4));
        sb.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#888\"/><text x=\"%d\" y=\"%d\">dominated</text>%n", lx,
                ly + 18, lx + 10, ly + 22));
        sb.append(String.format(Locale.ROOT,
                "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"white\" stroke=\"#888\" stroke-width=\"1.5\"/><text x=\"%d\" y=\"%d\">partly trained (time budget)</text>%n",
                lx, ly + 36, lx + 10, ly + 40));
        sb.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1a7f37\" stroke-width=\"1.5\"/><text x=\"%d\" y=\"%d\">front (staircase)</text>%n",
                lx - 6, ly + 54, lx + 6, ly + 54, lx + 10, ly + 58));
        sb.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#c62828\" stroke-dasharray=\"5 3\"/><text x=\"%d\" y=\"%d\">%s budget %.1f KB%s</text>%n",
                lx - 6, ly + 72, lx + 6, ly + 72, lx + 10, ly + 76, esc(device.name()), budgetKb, budgetShown ? "" : " (off scale)"));
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
