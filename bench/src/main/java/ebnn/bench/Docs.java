package ebnn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.spi.CompiledModel;
import ebnn.core.lower.Lowering;
import ebnn.core.plan.MemoryPlanner;
import ebnn.onnx.OnnxImport;
import ebnn.runtime.java.JvmEngine;

/**
 * The parts of docs/BENCHMARKS.md that are read from other sections or drawn: the microcontroller
 * time summary (from the AVR and Cortex-M sections' tables), the plots (SVG written here, no
 * plotting library), and splicing generated fragments between {@code <!-- bench:NAME -->} markers.
 * Usage: Docs mcu DOC RESULTS DOCSDIR HOSTTIMES | Docs splice DOC RESULTS [NAME,NAME...].
 */
public final class Docs {
    private Docs() {
    }

    /** A markdown section's body: from "## title..." to the next "## ". */
    static String section(String doc, String titleStart) {
        int i = doc.indexOf("\n## " + titleStart);
        if (i < 0)
            return "";
        int j = doc.indexOf("\n## ", i + 4);
        return doc.substring(i, j < 0 ? doc.length() : j);
    }

    /** The markdown tables of a text: each a list of rows of trimmed cells (header first, separator dropped). */
    static List<List<String[]>> tables(String text) {
        List<List<String[]>> out = new ArrayList<>();
        List<String[]> cur = null;
        for (String l : text.split("\n")) {
            String t = l.trim();
            if (t.startsWith("|") && t.endsWith("|") && t.length() > 1) {
                String[] cells = t.substring(1, t.length() - 1).split("\\|", -1);
                for (int k = 0; k < cells.length; k++)
                    cells[k] = cells[k].trim().replace("**", "");
                if (cells.length > 0 && cells[0].matches("-+:?|:?-+"))
                    continue;
                if (cur == null) {
                    cur = new ArrayList<>();
                    out.add(cur);
                }
                cur.add(cells);
            } else
                cur = null;
        }
        return out;
    }

    static int col(String[] head, String... keys) {
        for (int i = 0; i < head.length; i++) {
            String h = head[i].toLowerCase(Locale.ROOT);
            boolean all = true;
            for (String k : keys)
                all &= h.contains(k);
            if (all)
                return i;
        }
        return -1;
    }

    static double number(String s) {
        Matcher m = Pattern.compile("-?[0-9][0-9,]*(\\.[0-9]+)?").matcher(s);
        return m.find() ? Double.parseDouble(m.group().replace(",", "")) : Double.NaN;
    }

    /** One per-sample time on a device. */
    record DeviceTime(String model, String device, String measure, double count, double ms, String source) {
    }

    static List<DeviceTime> deviceTimes(String doc, Path root) throws Exception {
        List<DeviceTime> out = new ArrayList<>();
        Map<String, DeviceTime> avr = new LinkedHashMap<>();
        for (List<String[]> t : tables(section(doc, "C back end on AVR"))) {
            String[] h = t.get(0);
            int m = col(h, "model"), d = col(h, "mcu"), c = col(h, "mean cycles");
            if (m < 0 || d < 0 || c < 0)
                continue;
            for (String[] r : t.subList(1, t.size())) {
                String model = r[m].replaceAll(" \\(.*", "");
                Device dev = Device.named(r[d]);
                double cyc = number(r[c]);
                avr.put(model + "@" + r[d], new DeviceTime(model, r[d], "cycles (simavr)", cyc, cyc / dev.clockHz() * 1e3, "AVR section"));
            }
        }
        if (avr.isEmpty()) {
            // not in the doc yet: where AvrSimTest writes them (last row per model and mcu wins)
            Path f = root.resolve("ebnn.codegen.c/target/avr-benchmarks.txt");
            if (Files.exists(f))
                for (List<String[]> t : tables(Files.readString(f))) {
                    String[] h = t.get(0);
                    int m = col(h, "model"), d = col(h, "mcu"), c = col(h, "mean cycles");
                    for (String[] r : t.subList(1, t.size())) {
                        double cyc = number(r[c]);
                        avr.put(r[m] + "@" + r[d], new DeviceTime(r[m], r[d], "cycles (simavr)", cyc, cyc / Device.named(r[d]).clockHz() * 1e3,
                                "ebnn.codegen.c/target/avr-benchmarks.txt"));
                    }
                }
        }
        out.addAll(avr.values());
        for (List<String[]> t : tables(section(doc, "Cortex-M back end"))) {
            String[] h = t.get(0);
            int m = col(h, "model"), d = col(h, "core"), cm = col(h, "cortex-m"), c = col(h, "c -o2"), ms = col(h, "ms");
            if (m < 0 || d < 0 || (cm < 0 && c < 0))
                continue;
            if (ms == cm)
                ms = -1;
            for (String[] r : t.subList(1, t.size())) {
                Device dev;
                try {
                    dev = Device.named(r[d]);
                } catch (RuntimeException e) {
                    continue;
                }
                double n = number(r[cm >= 0 ? cm : c]);
                double est = ms >= 0 ? number(r[ms]) : Double.NaN;
                if (!Double.isNaN(n))
                    out.add(Double.isNaN(est) ? new DeviceTime(r[m], r[d], "instructions (qemu)", n, n / dev.clockHz() * 1e3, "Cortex-M section, 1 instruction per cycle")
                            : new DeviceTime(r[m], r[d], "instructions (qemu)", n, est, "Cortex-M section's estimate (instructions × its assumed CPI)"));
            }
        }
        // the raw per-test tables (QemuCortexMTest's, spliced by the devices step): rows the annotated table lacks,
        // e.g. the trained paper-table models, at the section's assumed CPI per core
        java.util.Set<String> seen = new java.util.HashSet<>();
        out.forEach(t -> seen.add(t.model + "@" + t.device));
        for (List<String[]> t : tables(section(doc, "Cortex-M back end"))) {
            String[] h = t.get(0);
            int m = col(h, "model"), d = col(h, "device"), c = col(h, "instructions / inference");
            if (m < 0 || d < 0 || c < 0)
                continue;
            for (String[] r : t.subList(1, t.size())) {
                Double cpi = CORTEX_M_CPI.get(r[d]);
                if (cpi == null || !seen.add(r[m] + "@" + r[d]))
                    continue;
                double n = number(r[c]);
                out.add(new DeviceTime(r[m], r[d], "instructions (qemu)", n, n * cpi / Device.named(r[d]).clockHz() * 1e3,
                        "Cortex-M section's raw table × its assumed CPI " + cpi));
            }
        }
        return out;
    }

    /** The average cycles per instruction the Cortex-M section assumes per core (its text gives the reasons). */
    static final Map<String, Double> CORTEX_M_CPI = Map.of("cortex-m0", 1.35, "cortex-m3", 1.4, "cortex-m4", 1.3, "cortex-m7", 0.8, "cortex-m33", 1.3);

    /** The paper's MNIST rows (eBNN, EWSN 2017): accuracy %, memory KB, and the name of our model of the family. */
    static final Object[][] PAPER = { { "MLP-1", 91.54, 14.73, "mlp-1" }, { "MLP-2", 84.65, 13.53, "mlp-2" }, { "Conv-1", 94.56, 11.48, "conv-1" },
            { "Conv-2", 96.49, 13.77, "conv-2" }, { "ConvPool-1", 97.44, 12.79, "convpool-1" }, { "ConvPool-2", 97.86, 13.07, "convpool-2" },
            { "Conv-1-LE-I", 91.95, 5.99, "conv-1-le-1" }, { "Conv-1-LE-II", 90.74, 4.63, "conv-1-le-2" } };

    record Point(String name, double accuracy, double kb, String source) {
    }

    /** Column whose header has every key and none of the excluded words. */
    static int colNot(String[] head, String exclude, String... keys) {
        for (int i = 0; i < head.length; i++) {
            String h = head[i].toLowerCase(Locale.ROOT);
            boolean all = !h.contains(exclude);
            for (String k : keys)
                all &= h.contains(k);
            if (all)
                return i;
        }
        return -1;
    }

    /** KB in a cell: the number before "KB" if there is one, else bytes (a number followed by "B") / 1024, else the first number. */
    static double kilobytes(String cell, boolean headerSaysKb) {
        Matcher kb = Pattern.compile("([0-9][0-9,]*(\\.[0-9]+)?)\\s*KB").matcher(cell);
        if (kb.find())
            return Double.parseDouble(kb.group(1).replace(",", ""));
        double n = number(cell);
        return headerSaysKb ? n : n / 1024;
    }

    /**
     * Our trained models from the Training section: a table with our accuracy (a header with "ours"
     * and "%", else an accuracy header without "paper") and our memory (a header with "ours" and
     * flash/RAM/KB/memory, else a KB or memory header without "paper").
     */
    static List<Point> trained(String doc) {
        List<Point> out = new ArrayList<>();
        for (List<String[]> t : tables(section(doc, "Training"))) {
            String[] h = t.get(0);
            int acc = colNot(h, "paper", "ours", "%");
            if (acc < 0)
                acc = colNot(h, "paper", "acc");
            int kb = -1;
            for (String k : new String[] { "flash", "ram", "kb", "memory" })
                if (kb < 0)
                    kb = colNot(h, "paper", "ours", k);
            if (kb < 0)
                kb = colNot(h, "paper", "kb");
            if (kb < 0)
                kb = colNot(h, "paper", "memory");
            if (acc < 0 || kb < 0 || h[acc].toLowerCase(Locale.ROOT).contains("fashion"))
                continue; // the Fashion-MNIST table has the same family names: not MNIST points
            boolean kbHeader = h[kb].toLowerCase(Locale.ROOT).contains("kb");
            for (String[] r : t.subList(1, t.size())) {
                if (r.length <= Math.max(acc, kb))
                    continue;
                double a = number(r[acc]), k = kilobytes(r[kb], kbHeader);
                if (!Double.isNaN(a) && !Double.isNaN(k) && a > 1 && a <= 100)
                    out.add(new Point(r[0] + " (ours)", a, k, "Training section: " + h[acc] + " / " + h[kb]));
            }
        }
        return out;
    }

    static double log10(double v) {
        return Math.log10(v);
    }

    static String accuracyPlot(List<Point> ours, String machine) {
        Svg s = new Svg(1000, 560);
        double x0 = 70, x1 = 640, y0 = 490, y1 = 50;
        double kbLo = Double.MAX_VALUE, kbHi = 0, accLo = 100;
        for (Object[] r : PAPER) {
            kbLo = Math.min(kbLo, (double) r[2]);
            kbHi = Math.max(kbHi, (double) r[2]);
            accLo = Math.min(accLo, (double) r[1]);
        }
        for (Point p : ours) {
            kbLo = Math.min(kbLo, p.kb);
            kbHi = Math.max(kbHi, p.kb);
            accLo = Math.min(accLo, p.accuracy);
        }
        double kbMin = Math.max(0, Math.floor(kbLo) - 2), kbMax = Math.ceil(kbHi) + 1, accMin = Math.floor(accLo) - 1, accMax = 100;
        s.text(500, 25, "Accuracy vs memory on MNIST: eBNN paper rows and ebnn's models", "middle", 15, "font-weight=\"bold\"");
        double kStep = kbMax - kbMin > 20 ? 5 : 1, aStep = accMax - accMin > 20 ? 5 : 1;
        for (double k = kbMin; k <= kbMax + 1e-9; k += kStep) {
            double x = x0 + (k - kbMin) / (kbMax - kbMin) * (x1 - x0);
            s.line(x, y0, x, y1, "#ddd", 1, null).text(x, y0 + 18, String.format(Locale.ROOT, "%.0f", k), "middle", 11, null);
        }
        for (double a = accMin; a <= accMax + 1e-9; a += aStep) {
            double y = y0 - (a - accMin) / (accMax - accMin) * (y0 - y1);
            s.line(x0, y, x1, y, "#ddd", 1, null).text(x0 - 6, y + 4, String.format(Locale.ROOT, "%.0f", a), "end", 11, null);
        }
        s.line(x0, y0, x1, y0, "#000", 1, null).line(x0, y0, x0, y1, "#000", 1, null);
        s.text((x0 + x1) / 2, y0 + 40, "memory (KB)", "middle", 12, null);
        s.text(20, (y0 + y1) / 2, "test accuracy (%)", "middle", 12, "transform=\"rotate(-90 20 " + (y0 + y1) / 2 + ")\"");
        for (Object[] r : PAPER) {
            double x = x0 + ((double) r[2] - kbMin) / (kbMax - kbMin) * (x1 - x0), y = y0 - ((double) r[1] - accMin) / (accMax - accMin) * (y0 - y1);
            s.circle(x, y, 5, "#1f77b4", "#0b3d66").text(x + 8, y + 12, (String) r[0], "start", 10, "fill=\"#0b3d66\"");
        }
        for (Point p : ours) {
            double x = x0 + (p.kb - kbMin) / (kbMax - kbMin) * (x1 - x0), y = y0 - (p.accuracy - accMin) / (accMax - accMin) * (y0 - y1);
            s.square(x, y, 5, "#d62728").text(x - 8, y - 4, p.name.replace(" (ours)", ""), "end", 10, "fill=\"#7a1010\"");
        }
        double ly = 70, lx = 670;
        s.circle(lx, ly, 5, "#1f77b4", "#0b3d66").text(lx + 12, ly + 4, "eBNN paper (Table, Intel Curie)", "start", 11, null);
        s.square(lx, ly + 22, 5, "#d62728").text(lx + 12, ly + 26, "ebnn (this repository)", "start", 11, null);
        int i = 0;
        for (Point p : ours) {
            s.text(lx, ly + 60 + 14 * i++, p.name + ": " + String.format(Locale.ROOT, "%.2f %%, %.2f KB", p.accuracy, p.kb), "start", 9, null);
            if (i == 1 || !p.source.equals(ours.get(Math.max(0, ours.indexOf(p) - 1)).source))
                s.text(lx + 8, ly + 60 + 14 * i++, "(" + p.source + ")", "start", 9, "fill=\"#555\"");
        }
        s.text(lx, ly + 70 + 14 * i, "paper: accuracy / memory rows as quoted in issue 7", "start", 9, "fill=\"#555\"");
        s.text(500, 550, machine, "middle", 9, "fill=\"#555\"");
        return s.toString();
    }

    static String timePlot(List<DeviceTime> times, String machine) {
        int n = times.size();
        Svg s = new Svg(920, 90 + 22 * Math.max(n, 1) + 56);
        double x0 = 300, x1 = 840, top = 60;
        s.text(460, 25, "Time per sample per device (log scale)", "middle", 15, "font-weight=\"bold\"");
        if (n == 0) {
            s.text(410, 80, "no device figures yet in docs/BENCHMARKS.md", "middle", 12, null);
            return s.toString();
        }
        double lo = Double.MAX_VALUE, hi = 0;
        for (DeviceTime t : times) {
            lo = Math.min(lo, t.ms);
            hi = Math.max(hi, t.ms);
        }
        double l0 = Math.floor(log10(lo)), l1 = Math.ceil(log10(hi));
        if (l1 == l0)
            l1 = l0 + 1;
        double bottom = top + 22 * n;
        for (double e = l0; e <= l1; e++) {
            double x = x0 + (e - l0) / (l1 - l0) * (x1 - x0);
            s.line(x, top - 5, x, bottom, "#ccc", 1, null).text(x, bottom + 16, fmtMs(Math.pow(10, e)), "middle", 11, null);
        }
        int i = 0;
        for (DeviceTime t : times) {
            double y = top + 22 * i++;
            double w = (log10(t.ms) - l0) / (l1 - l0) * (x1 - x0);
            String color = t.device.startsWith("atmega") ? "#ff7f0e" : t.device.startsWith("cortex") ? "#2ca02c" : "#9467bd";
            s.rect(x0, y + 3, Math.max(w, 1), 15, color);
            s.text(x0 - 6, y + 15, t.model + " · " + t.device, "end", 11, null);
            s.text(x0 + Math.max(w, 1) + 4, y + 15, String.format(Locale.ROOT, "%s ms", fmt(t.ms)), "start", 10, null);
        }
        s.text(x0 + (x1 - x0) / 2, bottom + 34, "ms per sample. AVR: simavr cycles at 16 MHz (exact); Cortex-M: qemu instruction counts × the Cortex-M",
                "middle", 10, null);
        s.text(x0 + (x1 - x0) / 2, bottom + 48, "section's assumed CPI at the core's clock (estimate); host JVM: jvm back end, one thread, batch 1 (JMH)", "middle", 10, null);
        s.text(460, bottom + 66, machine, "middle", 9, "fill=\"#555\"");
        return s.toString();
    }

    static String fmtMs(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%.0f ms", v) : String.format(Locale.ROOT, "%s ms", fmt(v));
    }

    static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : v >= 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    /** FINN TFC (imported, lowered, JVM runtime) on the MNIST test set, and its memory on the paper's device. */
    static Point finnTfc() {
        BinaryModel b = Lowering.lower(OnnxImport.read(BenchModels.models().resolve("finn_build_dataflow_tfc_w1a1.onnx")).result().model());
        Dataset d = Idx.load(BenchModels.data().resolve("mnist"), true);
        CompiledModel c = new JvmEngine().load(b);
        int[] got = c.classifyBatch(d.samples(), d.count(), null);
        int ok = 0;
        for (int i = 0; i < d.count(); i++)
            ok += got[i] == d.label(i) ? 1 : 0;
        MemoryPlan p = MemoryPlanner.plan(b, Device.named("arduino101"));
        return new Point("FINN TFC-w1a1 (imported)", 100.0 * ok / d.count(), (p.dataFlashBytes() + p.staticRamBytes()) / 1024.0,
                "weights + thresholds + static RAM (arduino101 plan)");
    }

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "mcu" -> mcu(Path.of(a[1]), Path.of(a[2]), Path.of(a[3]), a.length > 4 ? a[4] : "");
            case "splice" -> splice(Path.of(a[1]), Path.of(a[2]), a.length > 3 ? java.util.Set.of(a[3].split(",")) : null);
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    /** The microcontroller summary and both plots. HOSTLINE: the jvm's µs per inference per model (m=v,...), from JMH. */
    static void mcu(Path doc, Path results, Path docsDir, String host) throws Exception {
        String text = Files.readString(doc);
        Path root = doc.toAbsolutePath().getParent().getParent();
        List<DeviceTime> times = deviceTimes(text, root);
        List<DeviceTime> plotted = new ArrayList<>(times);
        for (String kv : host.split(","))
            if (kv.contains("=")) {
                String[] p = kv.split("=");
                double us = Double.parseDouble(p[1]);
                plotted.add(new DeviceTime(p[0], "host JVM", "µs (JMH)", us, us / 1e3, "Versus ONNX Runtime section"));
            }
        // grouped by model (in order of first appearance), then fastest device first
        List<String> order = new ArrayList<>();
        plotted.forEach(t -> {
            if (!order.contains(t.model))
                order.add(t.model);
        });
        plotted.sort(java.util.Comparator.<DeviceTime>comparingInt(t -> order.indexOf(t.model)).thenComparingDouble(t -> -t.ms));
        String machine = "generated by bench/run on " + Machine.describe();
        StringBuilder sb = new StringBuilder();
        boolean cm = times.stream().anyMatch(t -> t.source.startsWith("Cortex"));
        sb.append("Read by `bench/run` from the tables of the sections above (AVR: simavr cycle counts, exact, one run; Cortex-M: qemu instruction "
                + "counts of the `cortex-m` back end, exact, and the time that section estimates from them with its assumed CPI per core — or, where a "
                + "row has no estimate, at one instruction per cycle). ");
        if (!cm)
            sb.append("**The Cortex-M section has no table yet**: its rows appear here, and in the plot, on the next `bench/run` after that section "
                    + "is filled (the summary reads its `| model | core | c -O2 ... | cortex-m -O2 | ...` table, as `InstructionCounts` prints it). ");
        sb.append("The paper's rows follow the table.\n\n");
        sb.append("| model | device | clock | exact count / inference | ms / sample | from |\n|---|---|---|---|---|---|\n");
        for (DeviceTime t : times)
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f MHz | %,.0f %s | **%s** | %s |%n", t.model, t.device, Device.named(t.device).clockHz() / 1e6,
                    t.count, t.measure, fmt(t.ms), t.source));
        sb.append('\n').append(paperRows(times, trained(text)));
        Files.writeString(results.resolve("mcu.md"), sb.toString());
        Files.writeString(docsDir.resolve("bench-time-per-sample.svg"), timePlot(plotted, machine));
        List<Point> ours = new ArrayList<>(trained(text));
        ours.add(finnTfc());
        Files.writeString(docsDir.resolve("bench-accuracy-vs-memory.svg"), accuracyPlot(ours, machine));
        StringBuilder pl = new StringBuilder();
        pl.append("Points of the accuracy plot: paper rows as given in issue 7; ours: ");
        for (Point p : ours)
            pl.append(String.format(Locale.ROOT, "%s %.2f %% / %.2f KB (%s); ", p.name, p.accuracy, p.kb, p.source));
        if (trained(text).isEmpty())
            pl.append("the Training section has no table with an accuracy and a KB column yet, so only the imported FINN TFC is plotted "
                    + "(accuracy measured by the JVM runtime on the 10,000 MNIST test digits, deterministic, one run).");
        Files.writeString(results.resolve("plots.md"), pl.toString() + "\n");
        System.out.print(sb);
        System.out.println(pl);
    }

    /**
     * The paper's MNIST rows (six, and the two low-energy ones) as ebnn runs them: our trained model of each family (Training
     * section) on the Uno's atmega328p (simavr cycles) and on Cortex-M0/M4 (qemu instructions).
     */
    static String paperRows(List<DeviceTime> times, List<Point> ours) {
        String[] devices = { "atmega328p", "cortex-m0", "cortex-m4" };
        StringBuilder sb = new StringBuilder();
        sb.append("The paper's MNIST rows on microcontrollers: our model of each family (the Training section's, trained by `bench/run`) in ms per ")
                .append("sample; AVR exact (simavr cycles at 16 MHz), Cortex-M estimated from exact qemu instruction counts as above.\n\n");
        sb.append("| family | paper: accuracy % / KB (Curie) | ours: accuracy % / KB (Curie plan) |");
        for (String d : devices)
            sb.append(' ').append(d).append(" ms (").append(String.format(Locale.ROOT, "%.0f", Device.named(d).clockHz() / 1e6)).append(" MHz) |");
        sb.append("\n|---|---|---|---|---|---|\n");
        for (Object[] r : PAPER) {
            String family = (String) r[0], name = (String) r[3];
            Point p = ours.stream().filter(o -> o.name().equals(family + " (ours)")).findFirst().orElse(null);
            sb.append(String.format(Locale.ROOT, "| %s | %.2f / %.2f | %s |", family, (double) r[1], (double) r[2],
                    p == null ? "—" : String.format(Locale.ROOT, "%.2f / %.2f", p.accuracy(), p.kb())));
            for (String d : devices) {
                DeviceTime t = times.stream().filter(x -> x.model().equals(name) && x.device().equals(d)).reduce((a, b) -> b).orElse(null);
                sb.append(' ').append(t == null ? "not measured" : "**" + fmt(t.ms()) + "**").append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nOur KB is the whole Curie plan, as in the Training section: for the two low-energy rows that is over the paper's KB by the ")
                .append("planner's fixed Curie estimates alone (9,528 B of code, stack, input and scores); the Training section meets those rows on the model's own bytes. ")
                .append("The paper states the LE rows' Curie times in its table: 23.91 ms (LE-I) and 16.47 ms (LE-II).\n");
        sb.append("\nThe paper's own per-sample times on the Intel Curie (32 MHz) are in a figure; the figures it states in words are \"under ")
                .append("50 ms per sample\" for its 95 % MNIST model within 15 KB (abstract), and issue 3 quotes 17.35 ms for its MLP. ebnn does not ")
                .append("generate Curie (x86 Quark) code, so no row here is measured on that core.\n");
        return sb.toString();
    }

    /** Replaces every {@code <!-- bench:NAME -->...<!-- /bench:NAME -->} block of DOC with RESULTS/NAME.md. */
    static void splice(Path doc, Path results, java.util.Set<String> only) throws Exception {
        String text = Files.readString(doc);
        Matcher m = Pattern.compile("(<!-- bench:([a-z0-9-]+) -->\n)(.*?)(<!-- /bench:\\2 -->)", Pattern.DOTALL).matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Path f = results.resolve(m.group(2) + ".md");
            boolean take = Files.exists(f) && (only == null || only.contains(m.group(2)));
            String body = take ? Files.readString(f) : m.group(3);
            if (!body.endsWith("\n"))
                body += "\n";
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + body + m.group(4)));
        }
        m.appendTail(out);
        Files.writeString(doc, out.toString());
    }
}
