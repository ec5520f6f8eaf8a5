package ebnn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.Block;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputKind;

/**
 * Turns JMH's CSV results (one run with -t 1, one with -t = cores) into the markdown of the "JVM
 * runtime" and "Versus ONNX Runtime" sections, with the work counts that give MACs per cycle.
 * Arguments: T1.csv TN.csv THREADS OUTDIR "LOAD-BEFORE" "LOAD-AFTER" FORKS WARMUP ITERATIONS.
 */
public final class JmhReport {
    record Row(String bench, int threads, int samples, double score, double error, String unit, int batch, String model) {
    }

    static List<Row> read(Path csv) throws Exception {
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        String[] head = split(lines.get(0));
        int iBatch = -1, iModel = -1;
        for (int i = 0; i < head.length; i++) {
            if (head[i].equals("Param: batch"))
                iBatch = i;
            if (head[i].equals("Param: model"))
                iModel = i;
        }
        for (String l : lines.subList(1, lines.size())) {
            String[] f = split(l);
            String b = f[0].substring(f[0].indexOf("JvmVsOrt.") + "JvmVsOrt.".length()); // e.g. "jvm" or "jvm:gc.alloc.rate.norm"
            rows.add(new Row(b, Integer.parseInt(f[2]), Integer.parseInt(f[3]), num(f[4]), num(f[5]), f[6], Integer.parseInt(f[iBatch]), f[iModel]));
        }
        return rows;
    }

    private static double num(String s) {
        return s.isEmpty() || s.equals("NaN") ? Double.NaN : Double.parseDouble(s);
    }

    private static String[] split(String l) {
        List<String> out = new ArrayList<>();
        for (String s : l.split(",", -1))
            out.add(s.startsWith("\"") ? s.substring(1, s.length() - 1) : s);
        return out.toArray(new String[0]);
    }

    /** Work of one inference: binary MACs (bit inputs), byte MACs (byte inputs). */
    record Work(long binary, long bytes) {
    }

    static Work work(BinaryModel m) {
        long bin = 0, byt = 0;
        for (Block b : m.blocks()) {
            long macs = 0;
            boolean bytes = false;
            if (b instanceof ConvBlock c) {
                macs = (long) c.convShape().height() * c.convShape().width() * c.outChannels() * c.weights().cols();
                bytes = c.inputKind() == InputKind.BYTES;
            } else if (b instanceof DenseBlock d) {
                macs = (long) d.outputs() * d.inputs();
                bytes = d.inputKind() == InputKind.BYTES;
            }
            if (bytes)
                byt += macs;
            else
                bin += macs;
        }
        return new Work(bin, byt);
    }

    static Row find(List<Row> rows, String bench, String model, int batch) {
        for (Row r : rows)
            if (r.bench.equals(bench) && r.model.equals(model) && r.batch == batch)
                return r;
        return null;
    }

    /** µs per inference (per op / batch / threads: throughput of all threads together) with its 99.9 % CI half-width. */
    static String perInf(Row r, boolean bold) {
        if (r == null)
            return "—";
        double k = (double) r.batch * r.threads;
        String v = fmt(r.score / k);
        return (bold ? "**" + v + "**" : v) + " ± " + fmt(r.error / k);
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "?" : v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    static String alloc(Row r) {
        if (r == null || Double.isNaN(r.score))
            return "—";
        return String.format(Locale.ROOT, "%,.0f", r.score / r.batch);
    }

    /** What the load before the run says about the figures (the benchmark itself adds up to {@code cores} to the load). */
    static String loadNote(String loadBefore, int cores) {
        double oneMinute;
        try {
            oneMinute = Double.parseDouble(loadBefore.split("[ /]+")[0]);
        } catch (RuntimeException e) {
            return "load unknown; the ratios compare the two engines measured in the same run.";
        }
        return oneMinute > cores
                ? "other processes shared the cores, so absolute times are inflated and noisy; the ratios compare the two engines measured in the same run."
                : "no other heavy work ran (the figures' spread is the machine's own); the ratios compare the two engines measured in the same run.";
    }

    static String ratio(Row ort, Row jvm) {
        if (ort == null || jvm == null)
            return "—";
        return String.format(Locale.ROOT, "%.1f×", ort.score / jvm.score);
    }

    public static void main(String[] a) throws Exception {
        List<Row> t1 = read(Path.of(a[0])), tn = read(Path.of(a[1]));
        int threads = Integer.parseInt(a[2]);
        Path outDir = Path.of(a[3]);
        String loadBefore = a[4], loadAfter = a[5], forks = a[6], wi = a[7], it = a[8];
        double hz = Machine.clockHz();
        Map<String, Work> work = new HashMap<>();
        for (String m : BenchModels.NAMES)
            work.put(m, work(BenchModels.load(m, 1).binary()));

        String how = String.format(Locale.ROOT, "JMH 1.37, average time, %s fork(s), %s warm-up + %s measured iterations (figures: mean ± 99.9 %% "
                + "confidence half-width over the measured iterations, per inference = per call / batch / threads), `-prof gc` for allocation. "
                + "Machine: %s. Load average (1/5/15 min) before the run %s, after %s: %s",
                forks, wi, it, Machine.describe(), loadBefore, loadAfter, loadNote(loadBefore, threads));

        StringBuilder vs = new StringBuilder();
        vs.append(how).append("\n\n");
        vs.append("| model | batch | threads | jvm µs / inference | ONNX Runtime µs / inference | jvm speed-up | jvm B allocated / inference | ORT B allocated / inference |\n");
        vs.append("|---|---|---|---|---|---|---|---|\n");
        for (String m : BenchModels.NAMES)
            for (int batch : new int[] { 1, 64 }) {
                vs.append(line(m, batch, "1", find(t1, "jvm", m, batch), find(t1, "ort", m, batch), t1));
                vs.append(line(m, batch, threads + " (one call each)", find(tn, "jvm", m, batch), find(tn, "ort", m, batch), tn));
                vs.append(line(m, batch, threads + " (library: classifyBatch / intra-op)", find(t1, "jvmPar", m, batch), find(t1, "ortPar", m, batch), t1));
            }
        vs.append("\nTargets:\n\n");
        Row tj = find(t1, "jvm", "tfc", 1), to = find(t1, "ort", "tfc", 1);
        vs.append(String.format(Locale.ROOT, "- TFC ≥ 10× ONNX Runtime single-sample (batch 1, one thread): **%s** — %s.%n", ratio(to, tj),
                tj != null && to != null && to.score / tj.score >= 10 ? "met" : "missed"));
        for (int batch : new int[] { 1, 64 }) {
            Row gj = find(t1, "jvm", "gtsrb", batch), go = find(t1, "ort", "gtsrb", batch);
            vs.append(String.format(Locale.ROOT, "- Larq GTSRB faster than ONNX Runtime at batch %d (one thread): jvm %s µs vs ORT %s µs per inference, **%s** — %s.%n",
                    batch, gj == null ? "?" : fmt(gj.score / batch), go == null ? "?" : fmt(go.score / batch), ratio(go, gj),
                    gj != null && go != null && go.score > gj.score ? "met" : "missed"));
        }
        Files.writeString(outDir.resolve("versus.md"), vs.toString());

        StringBuilder jv = new StringBuilder();
        jv.append(how).append("\n\n");
        jv.append(String.format(Locale.ROOT, "Work per inference and the rate reached on one thread, batch 1 (clock %.0f MHz nominal). "
                + "The bound for the bit layers is one 64-bit `popcnt` per cycle per core (x86 issues scalar popcnt on one port; JDK 17's C2 does not vectorise "
                + "`Long.bitCount`), i.e. **64 binary MACs per cycle**; the rate below charges the whole inference time to the MACs, so it is a lower bound of the "
                + "kernels' own rate.%n%n", hz / 1e6));
        jv.append("| model | binary MACs | byte MACs (first layer) | jvm µs / inference (1 thread) | binary+byte MACs per cycle | of the 64/cycle bound | jvm all cores µs / inference | B allocated / inference |\n");
        jv.append("|---|---|---|---|---|---|---|---|\n");
        for (String m : BenchModels.NAMES) {
            Work w = work.get(m);
            Row r = find(t1, "jvm", m, 1), rn = find(tn, "jvm", m, 64);
            double cycles = r == null ? Double.NaN : r.score * 1e-6 * hz;
            double rate = (w.binary + w.bytes) / cycles;
            jv.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %.1f | %.0f %% | %s | %s |%n", m, w.binary, w.bytes, perInf(r, true), rate, 100 * rate / 64,
                    perInf(rn, false), alloc(find(t1, "jvm:gc.alloc.rate.norm", m, 1))));
        }
        Files.writeString(outDir.resolve("jvm.md"), jv.toString());
        System.out.print(jv);
        System.out.print(vs);
    }

    private static String line(String m, int batch, String threads, Row jvm, Row ort, List<Row> rows) {
        String jb = jvm == null ? null : jvm.bench, ob = ort == null ? null : ort.bench;
        return String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", m, batch, threads, perInf(jvm, true), perInf(ort, false),
                ratio(ort, jvm), jb == null ? "—" : alloc(find(rows, jb + ":gc.alloc.rate.norm", m, batch)),
                ob == null ? "—" : alloc(find(rows, ob + ":gc.alloc.rate.norm", m, batch)));
    }
}
