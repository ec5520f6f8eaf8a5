package ebnn.bench;

import ebnn.api.spi.CompiledModel;
import ebnn.runtime.java.JvmEngine;

/** Runs one model's jvm inference in a loop (for profilers): Loop MODEL SECONDS. */
public class Loop {
    public static void main(String[] a) throws Exception {
        BenchModels.Bench b = BenchModels.load(a[0], 64);
        CompiledModel c = new JvmEngine().load(b.binary());
        long end = System.nanoTime() + (long) (Double.parseDouble(a[1]) * 1e9);
        int[] s = new int[b.binary().classes()];
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long n = 0, t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
        long report = System.nanoTime() + 2_000_000_000L, rc = mx.getCurrentThreadCpuTime(), rn = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 64; i++, n++)
                c.classify(b.hwc(), i * b.sampleBytes(), s);
            if (System.nanoTime() > report) {
                long cc = mx.getCurrentThreadCpuTime();
                System.out.printf("  %.1f us CPU%n", (cc - rc) / 1e3 / (n - rn));
                rc = cc;
                rn = n;
                report += 2_000_000_000L;
            }
        }
        System.out.printf("%s: %.1f us/inference wall, %.1f us CPU, over %d%n", a[0], (System.nanoTime() - t0) / 1e3 / n, (mx.getCurrentThreadCpuTime() - c0) / 1e3 / n, n);
    }
}
