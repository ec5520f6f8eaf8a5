package ebnn.runtime.java;

import java.lang.management.ManagementFactory;
import java.util.List;

import ebnn.api.binary.Block;
import ebnn.bench.BenchModels;

/**
 * Thread CPU time per block of the jvm back end (a diagnostic that profiles where an inference
 * goes; lives in the runtime's package to reach its package-private steps): BlockTimes MODEL SECONDS.
 */
public class BlockTimes {
    public static void main(String[] a) throws Exception {
        BenchModels.Bench b = BenchModels.load(a[0], 64);
        List<Block> blocks = b.binary().blocks();
        // the runtime's own selector: the profile times the kernels a compiled model runs
        Kernel<?>[] steps = JvmKernels.select(blocks, JvmCompiledModel.DEFAULT_SIGN_LIMIT);
        Scratch s = new Scratch(steps, b.binary().classes());
        var mx = ManagementFactory.getThreadMXBean();
        long[] cpu = new long[steps.length];
        long n = 0, end = System.nanoTime() + (long) (Double.parseDouble(a[1]) * 1e9), warm = System.nanoTime() + (long) 3e9;
        boolean measuring = false;
        while (System.nanoTime() < end) {
            if (!measuring && System.nanoTime() > warm) {
                measuring = true;
                java.util.Arrays.fill(cpu, 0);
                n = 0;
            }
            for (int x = 0; x < 64; x++, n++) {
                long[] in = null;
                for (int i = 0; i < steps.length; i++) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    in = s.run(steps, i, b.hwc(), x * b.sampleBytes(), in);
                    cpu[i] += mx.getCurrentThreadCpuTime() - t0;
                }
            }
        }
        for (int i = 0; i < steps.length; i++)
            System.out.printf("  %-30s %-26s %8.1f us CPU%n", blocks.get(i).name(), steps[i].id(), cpu[i] / 1e3 / n);
    }
}
