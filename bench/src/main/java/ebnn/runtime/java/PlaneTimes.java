package ebnn.runtime.java;

import java.lang.management.ManagementFactory;

import ebnn.api.binary.ConvBlock;
import ebnn.bench.BenchModels;

/**
 * CPU time of the phases of the first (byte-input) conv block, per image, over whole passes of its
 * batch (a profile, not a benchmark): PlaneTimes MODEL SECONDS. The phases are timed on separate
 * passes so the clock reads do not sit inside the kernel's loops.
 */
public class PlaneTimes {
    public static void main(String[] a) throws Exception {
        BenchModels.Bench b = BenchModels.load(a[0], 64);
        ConvBlock c = (ConvBlock) b.binary().blocks().get(0);
        if (!(JvmKernels.select(c, JvmCompiledModel.DEFAULT_SIGN_LIMIT) instanceof PlaneConv pc) || !pc.shortDifferences())
            throw new IllegalArgumentException(a[0] + ": the first block does not run on the plane kernel's short path");
        PlaneConv.Scratch s = pc.newScratch();
        long[] out = new long[pc.outBits / 64 + 2];
        var mx = ManagementFactory.getThreadMXBean();
        int batch = pc.batch(), size = b.sampleBytes();
        PlaneConv.Loops loops = batch * pc.len < PlaneConv.MIN_PASS ? PlaneConv.Loops.SHORT_PASS : PlaneConv.Loops.LONG_PASS;
        long[] t = new long[5];
        long n = 0, end = System.nanoTime() + (long) (Double.parseDouble(a[1]) * 1e9);
        while (System.nanoTime() < end) {
            for (int x = 0; x + batch <= 64; x += batch, n += batch) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int r = 0; r < 20; r++)
                    pc.prepare(b.hwc(), x * size, batch, s.planes, s.shifted, s.sums, loops);
                long t1 = mx.getCurrentThreadCpuTime();
                for (int r = 0; r < 20; r++)
                    pc.thresholdBits(batch, s, loops);
                long t2 = mx.getCurrentThreadCpuTime();
                for (int r = 0; r < 20; r++)
                    for (int i = 0; i < batch; i++)
                        pc.emitBits(i * pc.len, s.fails, out);
                long t3 = mx.getCurrentThreadCpuTime();
                for (int r = 0; r < 20; r++)
                    pc.runBatch(b.hwc(), x * size, batch, s);
                long t4 = mx.getCurrentThreadCpuTime();
                for (int r = 0; r < 20; r++)
                    for (int i = 0; i < batch; i++)
                        pc.run(b.hwc(), (x + i) * size, null, out, null, s);
                long t5 = mx.getCurrentThreadCpuTime();
                t[0] += t1 - t0;
                t[1] += t2 - t1;
                t[2] += t3 - t2;
                t[3] += t4 - t3;
                t[4] += t5 - t4;
            }
        }
        double d = n * 20 * 1e3;
        System.out.printf("batch %d: prepare %.2f, threshold bits %.2f, pool/emit %.2f, whole batched pass %.2f, one image at a time %.2f us CPU per image%n",
                batch, t[0] / d, t[1] / d, t[2] / d, t[3] / d, t[4] / d);
    }
}
