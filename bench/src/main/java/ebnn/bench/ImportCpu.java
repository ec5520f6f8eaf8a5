package ebnn.bench;

import java.nio.file.*;
import java.lang.management.*;
/** CPU time of OnnxImporter.read on one file (docs/BENCHMARKS.md, ONNX import: before and after the front-end split). */
public class ImportCpu {
    public static void main(String[] a) throws Exception {
        Path f = Path.of(a[0]);
        int n = Integer.parseInt(a[1]);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long s = mx.getCurrentThreadCpuTime();
            new ebnn.onnx.internal.OnnxImporter().read(f);
            t[i] = mx.getCurrentThreadCpuTime() - s;
        }
        long[] w = java.util.Arrays.copyOfRange(t, n / 2, n);
        java.util.Arrays.sort(w);
        System.out.printf("first call %.0f ms CPU; warm median %.1f ms CPU (min %.1f) over the last %d of %d%n", t[0]/1e6, w[w.length/2]/1e6, w[0]/1e6, w.length, n);
    }
}
