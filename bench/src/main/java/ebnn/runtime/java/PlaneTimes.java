package ebnn.runtime.java;

import java.lang.management.ManagementFactory;

import ebnn.api.binary.ConvBlock;
import ebnn.bench.BenchModels;

/** CPU time of the phases of the first (byte-input) conv block: PlaneTimes MODEL SECONDS. */
public class PlaneTimes {
    public static void main(String[] a) throws Exception {
        BenchModels.Bench b = BenchModels.load(a[0], 64);
        ConvBlock c = (ConvBlock) b.binary().blocks().get(0);
        if (!(JvmKernels.select(c, JvmCompiledModel.DEFAULT_SIGN_LIMIT) instanceof PlaneConv pc))
            throw new IllegalArgumentException(a[0] + ": the first block does not run on the plane kernel");
        int outC = c.outChannels();
        PlaneConv.Scratch s = pc.newScratch();
        long[] out = new long[pc.outBits / 64 + 2];
        var mx = ManagementFactory.getThreadMXBean();
        long[] t = new long[4];
        long n = 0, end = System.nanoTime() + (long) (Double.parseDouble(a[1]) * 1e9);
        while (System.nanoTime() < end) {
            for (int x = 0; x < 64; x++, n++) {
                long t0 = mx.getCurrentThreadCpuTime();
                pc.prepare(b.hwc(), x * b.sampleBytes(), s.planes, s.shifted, s.sums);
                long t1 = mx.getCurrentThreadCpuTime();
                t[0] += t1 - t0;
                for (int o = 0; o < outC; o++) {
                    long u0 = mx.getCurrentThreadCpuTime();
                    pc.filter(o, s.shifted, s.p);
                    long u1 = mx.getCurrentThreadCpuTime();
                    pc.differences(o, s.p, s.sums, s.diffs);
                    long u2 = mx.getCurrentThreadCpuTime();
                    t[1] += u1 - u0;
                    t[2] += u2 - u1;
                }
                long t2 = mx.getCurrentThreadCpuTime();
                pc.run(b.hwc(), x * b.sampleBytes(), null, out, null, s);
                t[3] += mx.getCurrentThreadCpuTime() - t2;
            }
        }
        System.out.printf("prepare %.1f, filter %.1f, differences %.1f, whole step %.1f us CPU per inference (%d)%n", t[0] / 1e3 / n,
                t[1] / 1e3 / n, t[2] / 1e3 / n, t[3] / 1e3 / n, n);
    }
}
