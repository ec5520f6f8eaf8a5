package ebnn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.core.format.EbnnFormat;
import ebnn.core.lower.Lowering;
import ebnn.core.plan.MemoryPlanner;
import ebnn.runtime.java.JvmEngine;

/**
 * The Training section's table of the paper's MNIST rows, from the models bench/run has just
 * trained with {@code ebnn:train --json} (or, for a row not trained in this run, the model
 * committed under examples/models): each model's integer accuracy on the 10,000 test digits (the
 * jvm runtime, checked against the figure ebnn:train printed), its memory plan on the paper's
 * device, the training time and samples/s of its log, and whether a retrained model has the same
 * bytes as the committed one (training is deterministic). Exit status 1 when a row misses the
 * paper or a retrained model differs from the committed one.
 * Usage: TrainingReport WORKDIR COMMITTEDDIR COMMANDS OUT.md [fashion DATADIR]
 * (COMMANDS: one "name|ebnn:train options" line per row, as bench/run runs them). With {@code fashion}
 * the rows were trained on the full Fashion-MNIST in DATADIR (60,000 / 10,000): the paper has no
 * accuracy for it, so a row is checked against the paper's memory only, and nothing is compared
 * with examples/models (those are the MNIST models).
 */
public final class TrainingReport {
    private TrainingReport() {
    }

    /** The paper's rows (eBNN, EWSN 2017): family, our --arch name, accuracy %, memory KB. */
    static final String[][] ROWS = { { "MLP-1", "mlp-1", "91.54", "14.73" }, { "MLP-2", "mlp-2", "84.65", "13.53" },
            { "Conv-1", "conv-1", "94.56", "11.48" }, { "Conv-2", "conv-2", "96.49", "13.77" }, { "ConvPool-1", "convpool-1", "97.44", "12.79" },
            { "ConvPool-2", "convpool-2", "97.86", "13.07" }, { "Conv-1-LE-I", "conv-1-le-1", "91.95", "5.99" },
            { "Conv-1-LE-II", "conv-1-le-2", "90.74", "4.63" } };

    /**
     * Rows whose paper KB is below the planner's fixed estimates for the Curie alone (8,192 B code + 512 B stack, plus
     * the 784 B input and 40 B scores of every MNIST model): no model can meet them counted as the other rows are, so
     * they are met on the model's own bytes (weights + thresholds + input + bit buffers + scores: the plan without its
     * code and stack estimates), and the table gives the full plan beside it.
     */
    static boolean belowFixedEstimates(String[] row) {
        return row[1].startsWith("conv-1-le-");
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(?:\"([^\"]*)\"|([^,}\\s]+))").matcher(json);
        return !m.find() ? null : m.group(1) != null ? m.group(1) : m.group(2);
    }

    public static void main(String[] a) throws Exception {
        Path work = Path.of(a[0]), committed = Path.of(a[1]);
        List<String> commands = Files.readAllLines(Path.of(a[2])).stream().filter(l -> l.contains("|")).toList();
        Path out = Path.of(a[3]);
        if (a.length > 4 && !"fashion".equals(a[4]))
            throw new IllegalArgumentException("dataset must be fashion (or absent for MNIST), not " + a[4]);
        if (a.length > 4) {
            fashion(work, commands, out, Path.of(a[5]));
            return;
        }
        Dataset test = Idx.load(BenchModels.data().resolve("mnist"), true);
        Device curie = Device.named("arduino101");
        StringBuilder t = new StringBuilder();
        List<String> problems = new ArrayList<>();
        int met = 0, retrained = 0, same = 0, comparable = 0;
        t.append("| family | our shape (spec) | paper accuracy % | **ours %** (integer, 10k test) | paper KB | **ours: flash + RAM** | epochs | training time | samples/s | model |\n");
        t.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (String[] row : ROWS) {
            String name = row[1];
            Path trained = work.resolve(name + ".ebnn"), log = work.resolve(name + ".json"), kept = committed.resolve(name + ".ebnn");
            boolean now = Files.exists(trained) && Files.exists(log);
            Path file = now ? trained : kept;
            if (!Files.exists(file)) {
                problems.add(name + ": not trained in this run and not committed");
                t.append("| ").append(row[0]).append(" | | ").append(row[2]).append(" | **not trained** | ").append(row[3]).append(" | | | | | |\n");
                continue;
            }
            BinaryModel m = Lowering.lower(EbnnFormat.read(file));
            int[] got = new JvmEngine().load(m).classifyBatch(test.samples(), test.count(), null);
            int ok = 0;
            for (int i = 0; i < test.count(); i++)
                ok += got[i] == test.label(i) ? 1 : 0;
            double acc = 100.0 * ok / test.count();
            MemoryPlan p = MemoryPlanner.plan(m, curie);
            long total = p.flashBytes() + p.ramBytes(), own = p.dataFlashBytes() + p.staticRamBytes();
            double paperAcc = Double.parseDouble(row[2]), paperKb = Double.parseDouble(row[3]);
            boolean rowMet = acc >= paperAcc && (belowFixedEstimates(row) ? own : total) <= paperKb * 1024;
            met += rowMet ? 1 : 0;
            if (!rowMet)
                problems.add(String.format(Locale.ROOT, "%s misses the paper's row: %.2f %% in %,d B (paper %.2f %% in %.2f KB)", row[0], acc, total, paperAcc, paperKb));
            String spec = "", epochs = "—", time = "—", rate = "—", origin;
            if (now) {
                String json = Files.readString(log);
                String done = json.lines().filter(l -> l.contains("\"done\"")).findFirst().orElse("");
                spec = field(done, "spec");
                epochs = field(done, "epochs");
                time = String.format(Locale.ROOT, "%.1f s", Double.parseDouble(field(done, "seconds")));
                double[] sps = json.lines().filter(l -> l.contains("\"epoch\"")).mapToDouble(l -> Double.parseDouble(field(l, "samplesPerSecond"))).toArray();
                rate = String.format(Locale.ROOT, "%,.0f", Arrays.stream(sps).average().orElse(Double.NaN));
                double printed = 100 * Double.parseDouble(field(done, "testAccuracy"));
                if (Math.abs(printed - acc) > 1e-9)
                    problems.add(String.format(Locale.ROOT, "%s: ebnn:train printed %.2f %%, the jvm runtime on the written model gives %.2f %%", name, printed, acc));
                retrained++;
                if (Files.exists(kept)) {
                    comparable++;
                    boolean equal = Arrays.equals(Files.readAllBytes(trained), Files.readAllBytes(kept));
                    same += equal ? 1 : 0;
                    if (!equal)
                        problems.add(name + ": retrained model differs from examples/models/" + name + ".ebnn");
                    origin = equal ? "trained now; **same bytes** as `examples/models/" + name + ".ebnn`" : "trained now; **differs** from the committed one";
                } else
                    origin = "trained now (not committed: " + String.format(Locale.ROOT, "%,d", Files.size(trained)) + " B)";
            } else
                origin = "`examples/models/" + name + ".ebnn` (not retrained in this run)";
            if (spec == null || spec.isEmpty())
                spec = ebnn.train.impl.Architectures.spec(name);
            String memory = belowFixedEstimates(row)
                    // the full plan first, as in the other rows (the plots read the first KB of the cell); then the bytes the row is met on
                    ? String.format(Locale.ROOT, "%,d B = %.2f KB (%,d + %,d; w+t %,d), of which the model's own **%,d B = %.2f KB** (w+t + static RAM %,d)",
                            total, total / 1024.0, p.flashBytes(), p.ramBytes(), p.dataFlashBytes(), own, own / 1024.0, p.staticRamBytes())
                    : String.format(Locale.ROOT, "**%,d B = %.2f KB** (%,d + %,d; w+t %,d)", total, total / 1024.0, p.flashBytes(), p.ramBytes(), p.dataFlashBytes());
            t.append(String.format(Locale.ROOT, "| %s | `%s` | %s | **%.2f** (%+.2f) | %s | %s | %s | %s | %s | %s |%n", row[0], spec,
                    row[2], acc, acc - paperAcc, row[3], memory, epochs, time, rate, origin));
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Regenerated by `bench/run` on %s (the training step: %d of %d rows trained in this run, one run each, deterministic); machine: %s.%n%n",
                java.time.LocalDate.now(java.time.ZoneOffset.UTC), retrained, ROWS.length, Machine.describe() + "; load average (1/5/15 min) " + Machine.loadAverage()));
        s.append(String.format(Locale.ROOT, "**%d of %d rows met** (at least the paper's accuracy within at most its memory, KB = 1,024 B;"
                + " the two LE rows on the model's own bytes, since the planner's fixed Curie estimates alone, 9,528 B, exceed their KB)", met, ROWS.length));
        if (retrained > 0)
            s.append(String.format(Locale.ROOT, "; %d of the %d models retrained here that are also committed came out with exactly the committed bytes", same,
                    comparable));
        s.append(".\n\n").append(t).append('\n');
        s.append("The commands (from the repository root, with the exported app; bench/run runs exactly these, adding `--json` for its log):\n\n```\n");
        for (String c : commands) {
            String[] nc = c.split("\\|", 2);
            s.append("java -jar cnf/target/ebnn.jar ebnn:train --arch ").append(nc[0].trim()).append(" --data ../shared/data/mnist ").append(nc[1].trim())
                    .append(" --device arduino101 --out ").append(nc[0].trim()).append(".ebnn\n");
        }
        s.append("```\n");
        if (!problems.isEmpty()) {
            s.append("\nProblems found by this run: ").append(String.join("; ", problems)).append(".\n");
        }
        Files.writeString(out, s.toString());
        System.out.print(s);
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /** The Fashion-MNIST table: each family's integer accuracy, memory on the paper's device against the paper's KB, time. */
    static void fashion(Path work, List<String> commands, Path out, Path data) throws Exception {
        Dataset test = Idx.load(data, true);
        Device curie = Device.named("arduino101");
        StringBuilder t = new StringBuilder();
        List<String> problems = new ArrayList<>();
        int fit = 0, trained = 0;
        t.append("| family | our shape (spec) | **ours %** (integer, Fashion-MNIST 10k test) | paper KB (MNIST row) | **ours: flash + RAM** | epochs here (MNIST table) | training time | samples/s |\n");
        t.append("|---|---|---|---|---|---|---|---|\n");
        java.util.Map<String, String> mnistEpochs = java.util.Map.of("mlp-1", "60", "mlp-2", "60", "conv-1", "30", "conv-2", "15", "convpool-1", "20",
                "convpool-2", "25");
        for (String[] row : ROWS) {
            if (belowFixedEstimates(row))
                continue; // the Fashion-MNIST table has the six families of the paper's main rows
            String name = row[1];
            Path file = work.resolve(name + ".ebnn"), log = work.resolve(name + ".json");
            if (!Files.exists(file) || !Files.exists(log)) {
                problems.add(name + ": not trained (see " + work.resolve(name + ".log") + ")");
                t.append("| ").append(row[0]).append(" | | **not trained** | ").append(row[3]).append(" | | | | |\n");
                continue;
            }
            trained++;
            BinaryModel m = Lowering.lower(EbnnFormat.read(file));
            int[] got = new JvmEngine().load(m).classifyBatch(ebnn.api.data.Samples.chwToHwc(test.samples(), test.count(), test.shape()), test.count(), null);
            int ok = 0;
            for (int i = 0; i < test.count(); i++)
                ok += got[i] == test.label(i) ? 1 : 0;
            double acc = 100.0 * ok / test.count();
            MemoryPlan p = MemoryPlanner.plan(m, curie);
            long total = p.flashBytes() + p.ramBytes();
            double paperKb = Double.parseDouble(row[3]);
            if (total <= paperKb * 1024)
                fit++;
            else
                problems.add(String.format(Locale.ROOT, "%s: %,d B is over the paper's %.2f KB", row[0], total, paperKb));
            String json = Files.readString(log);
            String done = json.lines().filter(l -> l.contains("\"done\"")).findFirst().orElse("");
            double printed = 100 * Double.parseDouble(field(done, "testAccuracy"));
            if (Math.abs(printed - acc) > 1e-9)
                problems.add(String.format(Locale.ROOT, "%s: ebnn:train printed %.2f %%, the jvm runtime on the written model gives %.2f %%", name, printed, acc));
            double[] sps = json.lines().filter(l -> l.contains("\"epoch\"")).mapToDouble(l -> Double.parseDouble(field(l, "samplesPerSecond"))).toArray();
            t.append(String.format(Locale.ROOT, "| %s | `%s` | **%.2f** | %s | **%,d B = %.2f KB** (%,d + %,d; w+t %,d) | %s (%s) | %.1f s | %,.0f |%n", row[0],
                    field(done, "spec"), acc, row[3], total, total / 1024.0, p.flashBytes(), p.ramBytes(), p.dataFlashBytes(), field(done, "epochs"),
                    mnistEpochs.get(name), Double.parseDouble(field(done, "seconds")), Arrays.stream(sps).average().orElse(Double.NaN)));
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Regenerated by `bench/run --dataset fashion` on %s (%d of 6 rows trained, one run each, deterministic) on the full Fashion-MNIST "
                + "(%,d test images; 60,000 training images, `%s`); machine: %s.%n%n", java.time.LocalDate.now(java.time.ZoneOffset.UTC), trained, test.count(),
                data, Machine.describe() + "; load average (1/5/15 min) " + Machine.loadAverage()));
        s.append(String.format(Locale.ROOT, "**%d of 6 rows within the paper's memory** on arduino101 (KB = 1,024 B; the paper has no Fashion-MNIST accuracy to meet).%n%n", fit));
        s.append(t).append('\n');
        s.append("The commands (from the repository root, with the exported app; bench/run runs exactly these, adding `--json` for its log):\n\n```\n");
        for (String c : commands) {
            String[] nc = c.split("\\|", 2);
            s.append("java -jar cnf/target/ebnn.jar ebnn:train --arch ").append(nc[0].trim()).append(" --data ").append(data).append(' ').append(nc[1].trim())
                    .append(" --device arduino101 --out ").append(nc[0].trim()).append("-fashion.ebnn\n");
        }
        s.append("```\n");
        if (!problems.isEmpty())
            s.append("\nProblems found by this run: ").append(String.join("; ", problems)).append(".\n");
        Files.writeString(out, s.toString());
        System.out.print(s);
        System.exit(problems.isEmpty() ? 0 : 1);
    }
}
