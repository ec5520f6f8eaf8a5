package ebnn.runtime.java;

import ebnn.api.data.Dataset;
import ebnn.api.model.Model;
import ebnn.core.lower.Lowering;
import ebnn.testing.PaperModels;
import ebnn.testing.TestData;

/**
 * Rough throughput of the jvm engine on the paper-shaped models over the 10,000 MNIST test digits
 * (not a test; run by hand, see docs/BENCHMARKS.md). Best of 5 rounds after 3 warm-up rounds. The
 * single-thread figure is thread CPU time, so it holds on a loaded machine; the batch figure is wall time.
 */
public final class Throughput {
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        Dataset d = TestData.mnistTest();
        for (Model m : new Model[] { PaperModels.mlp128(1), PaperModels.convPool16(2), PaperModels.tfc(3) }) {
            JvmCompiledModel c = new JvmEngine().compile(Lowering.lower(m));
            int n = d.count(), size = d.shape().size();
            long sink = 0;
            double bestSingle = Double.MAX_VALUE, bestBatch = Double.MAX_VALUE;
            for (int round = 0; round < 8; round++) {
                long t0 = CPU.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++)
                    sink += c.classify(d.samples(), i * size, null);
                long t1 = CPU.getCurrentThreadCpuTime();
                long w1 = System.nanoTime();
                int[] classes = c.classifyBatch(d.samples(), n, null);
                long t2 = System.nanoTime();
                sink += classes[n - 1];
                if (round >= 3) {
                    bestSingle = Math.min(bestSingle, (t1 - t0) / 1e3 / n);
                    bestBatch = Math.min(bestBatch, (t2 - w1) / 1e3 / n);
                }
            }
            System.out.printf("%-12s one thread %8.2f us CPU/inference (%7.0f /s); classifyBatch on %d cores %8.2f us wall/inference (%7.0f /s) [%d]%n",
                    m.name(), bestSingle, 1e6 / bestSingle, Runtime.getRuntime().availableProcessors(), bestBatch, 1e6 / bestBatch, sink % 10);
        }
    }
}
