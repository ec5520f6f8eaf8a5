package ebnn.runtime.java;

import java.lang.management.ManagementFactory;
import java.util.List;

import ebnn.api.binary.Block;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.bench.BenchModels;

/**
 * Thread CPU time per block of the jvm back end (a diagnostic that profiles where an inference
 * goes; lives in the runtime's package to reach its package-private steps): BlockTimes MODEL SECONDS.
 */
public class BlockTimes {
    public static void main(String[] a) throws Exception {
        BenchModels.Bench b = BenchModels.load(a[0], 64);
        List<Block> blocks = b.binary().blocks();
        Step[] steps = new Step[blocks.size()];
        int bits = 1, ww = 0, bi = 0, wi = 0, cw = 0, pc = 0, pt = 0, pa = 0, pr = 0, pw = 0, pn = 0;
        for (int i = 0; i < steps.length; i++) {
            Block k = blocks.get(i);
            steps[i] = k instanceof InputThresholdBlock t ? new Step.InputThreshold(t)
                    : k instanceof ConvBlock c ? new Step.Conv(c, JvmCompiledModel.DEFAULT_SIGN_LIMIT)
                            : new Step.Dense((DenseBlock) k, JvmCompiledModel.DEFAULT_SIGN_LIMIT);
            Step s = steps[i];
            bits = Math.max(bits, s.outBits);
            ww = Math.max(ww, s.windowWords());
            bi = Math.max(bi, s.byteInts());
            wi = Math.max(wi, s.windowInts());
            cw = Math.max(cw, s.channelWords());
            pc = Math.max(pc, s.planeChars());
            pt = Math.max(pt, s.planeTaps());
            pa = Math.max(pa, s.planeAccLen());
            pr = Math.max(pr, s.popcountRows());
            pw = Math.max(pw, s.positionWords());
            pn = Math.max(pn, s.positions());
        }
        Scratch s = new Scratch(bits, ww, bi, wi, cw, b.binary().classes(), pc, pt, pa, pr, pw, pn);
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
                    long[] out = (i & 1) == 0 ? s.bufA : s.bufB;
                    long t0 = mx.getCurrentThreadCpuTime();
                    steps[i].run(b.hwc(), x * b.sampleBytes(), in, out, s.scores, s);
                    cpu[i] += mx.getCurrentThreadCpuTime() - t0;
                    in = out;
                }
            }
        }
        for (int i = 0; i < steps.length; i++)
            System.out.printf("  %-45s %8.1f us CPU%n", blocks.get(i).name(), cpu[i] / 1e3 / n);
    }
}
