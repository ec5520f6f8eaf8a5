package ebnn.bench;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ebnn.runtime.java.JvmCompiledModel;
import ebnn.runtime.java.JvmEngine;

/**
 * The jvm back end against ONNX Runtime Java on the same networks and samples. One operation is one
 * call with {@code batch} samples; per-inference figures divide by the batch (bench/run does it).
 * <ul>
 * <li>{@code jvm}: batch 1 one {@code classify}, larger batches one {@code classifyBatchOnCaller} (the
 * engine's batch path on the calling thread, a batched first layer where the model has one);</li>
 * <li>{@code ort}: one {@code session.run} on a [batch, ...] tensor, session with one intra-op
 * thread, shared by all benchmark threads (run with -t 1 for one core, -t N for all cores);</li>
 * <li>{@code jvmPar} / {@code ortPar}: each library's own parallelism over all cores, one caller:
 * {@code classifyBatch} (fork-join) and a session with intra-op threads = cores.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class JvmVsOrt {
    static final int SAMPLES = 256;

    @Param({ "tfc", "gtsrb", "conv-1", "convpool-1" })
    public String model;

    @Param({ "1", "64" })
    public int batch;

    BenchModels.Bench b;
    JvmCompiledModel jvm;
    byte[][] groups; // the samples in groups of `batch`, each from offset 0
    OrtEnvironment env;
    OrtSession ort1, ortN;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        b = BenchModels.load(model, SAMPLES);
        jvm = new JvmEngine().compile(b.binary());
        int size = b.sampleBytes();
        groups = new byte[SAMPLES / batch][];
        for (int g = 0; g < groups.length; g++)
            groups[g] = java.util.Arrays.copyOfRange(b.hwc(), g * batch * size, (g + 1) * batch * size);
        env = OrtEnvironment.getEnvironment();
        ort1 = session(1);
        ortN = session(Runtime.getRuntime().availableProcessors());
    }

    private OrtSession session(int threads) throws Exception {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(b.onnx().toString(), o);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        ort1.close();
        ortN.close();
    }

    /** Per benchmark thread: its own sample cursor, score array and ORT input tensors (built once, reused). */
    @State(Scope.Thread)
    public static class PerThread {
        int next;
        int[] scores;
        OnnxTensor[] tensors;

        @Setup(Level.Trial)
        public void setup(JvmVsOrt s) throws Exception {
            scores = new int[s.b.binary().classes() * s.batch];
            int n = SAMPLES / s.batch;
            tensors = new OnnxTensor[n];
            long[] shape = s.b.input().dims().clone();
            shape[0] = s.batch;
            for (int i = 0; i < n; i++)
                tensors[i] = OnnxTensor.createTensor(s.env, FloatBuffer.wrap(s.b.ortInput(i * s.batch, s.batch)), shape);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            for (OnnxTensor t : tensors)
                t.close();
        }
    }

    @Benchmark
    public int jvm(PerThread t) {
        if (batch > 1)
            return jvm.classifyBatchOnCaller(groups[t.next++ % groups.length], batch, t.scores)[0];
        return jvm.classify(b.hwc(), (t.next++ % SAMPLES) * b.sampleBytes(), t.scores);
    }

    @Benchmark
    public int jvmPar(PerThread t) {
        // classifyBatch takes samples from offset 0: always the first `batch` samples
        return jvm.classifyBatch(b.hwc(), batch, t.scores)[0];
    }

    private static float ortRun(OrtSession s, String name, OnnxTensor in) throws Exception {
        try (OrtSession.Result r = s.run(Map.of(name, in))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            return out.getInfo().type == ai.onnxruntime.OnnxJavaType.FLOAT ? out.getFloatBuffer().get(0) : out.getLongBuffer().get(0);
        }
    }

    @Benchmark
    public float ort(PerThread t) throws Exception {
        return ortRun(ort1, b.input().name(), t.tensors[t.next++ % t.tensors.length]);
    }

    @Benchmark
    public float ortPar(PerThread t) throws Exception {
        return ortRun(ortN, b.input().name(), t.tensors[t.next++ % t.tensors.length]);
    }
}
