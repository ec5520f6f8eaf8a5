package ebnn.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ebnn.runtime.java.JvmCompiledModel;
import ebnn.runtime.java.JvmEngine;

/**
 * jvm back end against ONNX Runtime on one thread, robust to a shared, overloaded machine: the
 * two engines run interleaved (rounds alternate which goes first) and each is charged the CPU time
 * of the calling thread (ORT with one intra-op thread computes on the caller), so other
 * processes' load inflates both alike instead of whichever happened to run during a burst.
 * Arguments: OUT.md [ROUNDS] [SECONDS-PER-SLICE] [MODELS, comma-separated].
 */
public final class CpuCompare {
    interface Engine {
        int run(int i) throws Exception;
    }

    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** Runs e for about {@code seconds}; returns {CPU µs, wall µs} per inference. */
    static double[] slice(Engine e, int batch, double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long c0 = MX.getCurrentThreadCpuTime(), w0 = System.nanoTime(), n = 0;
        int sink = 0;
        while (System.nanoTime() < end) {
            sink += e.run((int) n);
            n++;
        }
        if (sink == 42)
            System.out.print("");
        return new double[] { (MX.getCurrentThreadCpuTime() - c0) / 1e3 / n / batch, (System.nanoTime() - w0) / 1e3 / n / batch };
    }

    public static void main(String[] a) throws Exception {
        int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 7;
        double sliceS = a.length > 2 ? Double.parseDouble(a[2]) : 0.5;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Interleaved, thread CPU time (`ebnn.bench.CpuCompare`): after a warm-up, %d rounds of %.1f s per engine, the engines "
                + "alternating which runs first; figure = median µs of CPU time per inference over the rounds (min–max), wall time alongside; "
                + "batch 64 is one `classifyBatchOnCaller` (the jvm's batch path on the calling thread) against one ORT run of a 64-image tensor. "
                + "Machine: %s; load average at the end %s.%n%n", rounds, sliceS, Machine.describe(), "LOAD"));
        sb.append("| model | batch | jvm CPU µs / inference | ORT CPU µs / inference | **jvm speed-up (CPU)** | jvm wall µs | ORT wall µs | speed-up (wall) | jvm MACs per CPU cycle |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (String name : a.length > 3 ? java.util.List.of(a[3].split(",")) : BenchModels.NAMES) {
            BenchModels.Bench b = BenchModels.load(name, JvmVsOrt.SAMPLES);
            JvmCompiledModel jvm = new JvmEngine().compile(b.binary());
            OrtSession ort;
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(1);
                o.setInterOpNumThreads(1);
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                ort = env.createSession(b.onnx().toString(), o);
            }
            for (int batch : new int[] { 1, 64 }) {
                int size = b.sampleBytes(), groups = JvmVsOrt.SAMPLES / batch;
                int[] scores = new int[b.binary().classes()];
                OnnxTensor[] tensors = new OnnxTensor[groups];
                long[] shape = b.input().dims().clone();
                shape[0] = batch;
                for (int g = 0; g < groups; g++)
                    tensors[g] = OnnxTensor.createTensor(env, FloatBuffer.wrap(b.ortInput(g * batch, batch)), shape);
                String in = b.input().name();
                int bt = batch;
                // batch 64: the jvm's batch path on this thread (classifyBatch would fork, and the other
                // threads' CPU time would not be charged); batch 1: one classify
                byte[][] batches = new byte[groups][];
                int[] batchScores = new int[batch * b.binary().classes()];
                for (int g = 0; g < groups; g++)
                    batches[g] = Arrays.copyOfRange(b.hwc(), g * batch * size, (g + 1) * batch * size);
                Engine j = bt == 1 ? i -> jvm.classify(b.hwc(), (i % groups) * size, scores) : i -> jvm.classifyBatchOnCaller(batches[i % groups], bt, batchScores)[0];
                Engine o = i -> {
                    try (OrtSession.Result r = ort.run(Map.of(in, tensors[i % groups]))) {
                        return r.size();
                    }
                };
                double warm = batch == 1 ? 4 : 6;
                slice(j, batch, warm);
                slice(o, batch, warm);
                double[][] jr = new double[rounds][], or = new double[rounds][];
                for (int r = 0; r < rounds; r++)
                    if (r % 2 == 0) {
                        jr[r] = slice(j, batch, sliceS);
                        or[r] = slice(o, batch, sliceS);
                    } else {
                        or[r] = slice(o, batch, sliceS);
                        jr[r] = slice(j, batch, sliceS);
                    }
                for (OnnxTensor t : tensors)
                    t.close();
                double jc = median(jr, 0), oc = median(or, 0), jw = median(jr, 1), ow = median(or, 1);
                JmhReport.Work wk = JmhReport.work(b.binary());
                double macsPerCycle = (wk.binary() + wk.bytes()) / (jc * 1e-6 * Machine.clockHz());
                sb.append(String.format(Locale.ROOT, "| %s | %d | **%s** (%s–%s) | %s (%s–%s) | **%.1f×** | %s | %s | %.1f× | %.1f |%n", name, batch, f(jc), f(min(jr, 0)),
                        f(max(jr, 0)), f(oc), f(min(or, 0)), f(max(or, 0)), oc / jc, f(jw), f(ow), ow / jw, macsPerCycle));
                System.out.print(sb.substring(sb.lastIndexOf("| " + name)));
            }
            ort.close();
        }
        String text = sb.toString().replace("LOAD", Machine.loadAverage());
        Files.writeString(Path.of(a[0]), text);
    }

    static double median(double[][] v, int k) {
        double[] x = Arrays.stream(v).mapToDouble(r -> r[k]).sorted().toArray();
        return x[x.length / 2];
    }

    static double min(double[][] v, int k) {
        return Arrays.stream(v).mapToDouble(r -> r[k]).min().orElse(Double.NaN);
    }

    static double max(double[][] v, int k) {
        return Arrays.stream(v).mapToDouble(r -> r[k]).max().orElse(Double.NaN);
    }

    static String f(double v) {
        return JmhReport.fmt(v);
    }
}
