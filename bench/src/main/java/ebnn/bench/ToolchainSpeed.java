package ebnn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.model.Model;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.CompileResult;
import ebnn.codegen.c.CBackend;
import ebnn.core.toolchain.DefaultToolchain;
import ebnn.onnx.internal.OnnxImporter;

/**
 * Import + lower + plan + generate C for the FINN TFC ONNX file through the Toolchain service
 * class (as ebnn:compile does, without OSGi), in one JVM: the first run (cold JVM: class loading,
 * interpreter) and then warm runs. Arguments: OUT.md RUNS.
 */
public final class ToolchainSpeed {
    public static void main(String[] a) throws Exception {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long t0 = System.nanoTime();
        int runs = a.length > 1 ? Integer.parseInt(a[1]) : 30;
        Path file = BenchModels.models().resolve("finn_build_dataflow_tfc_w1a1.onnx");
        Path out = Files.createTempDirectory("ebnn-bench-c");
        DefaultToolchain t = new DefaultToolchain();
        t.addBackend(new CBackend());
        t.addImporter(new OnnxImporter());
        Device dev = Device.named("atmega328p");
        double[] ms = new double[runs];
        String files = "";
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            Model m = t.importModel(file).model();
            BinaryModel b = t.lower(m);
            CompileResult r = t.compile(b, "c", dev, out, new CompileOptions(null, false, true, null));
            ms[i] = (System.nanoTime() - s) / 1e6;
            if (i == 0)
                files = r.toString().length() > 0 ? String.valueOf(Files.list(out).count()) : "?";
        }
        double first = ms[0];
        double sinceJvm = (System.currentTimeMillis() - jvmStart) - (System.nanoTime() - t0) / 1e6 + first;
        double[] warm = Arrays.copyOfRange(ms, runs / 2, runs);
        Arrays.sort(warm);
        String md = String.format(Locale.ROOT,
                "| import + lower + plan + C generation of `finn_build_dataflow_tfc_w1a1.onnx` for atmega328p, in-process (`ebnn.bench.ToolchainSpeed`) | first call in a fresh JVM: **%.0f ms** (JVM start to its end: %.0f ms) | warm: median **%.1f ms** (min %.1f, max %.1f) over the last %d of %d calls |%n",
                first, sinceJvm, warm[warm.length / 2], warm[0], warm[warm.length - 1], warm.length, runs);
        Files.writeString(Path.of(a[0]), md);
        System.out.print(md);
        System.out.println("(" + files + " files written per call)");
        try (var w = Files.walk(out)) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
