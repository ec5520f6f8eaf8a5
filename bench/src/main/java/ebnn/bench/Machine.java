package ebnn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the figures were measured on: CPU, cores, nominal clock, JDK, load. */
public final class Machine {
    private Machine() {
    }

    static String cpuInfo(String key) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (l.startsWith(key))
                    return l.substring(l.indexOf(':') + 1).trim();
        } catch (Exception e) {
            // not Linux
        }
        return "?";
    }

    /** Nominal clock in Hz (cpu MHz of /proc/cpuinfo; 3 GHz if unknown). */
    public static double clockHz() {
        try {
            return Double.parseDouble(cpuInfo("cpu MHz")) * 1e6;
        } catch (NumberFormatException e) {
            return 3e9;
        }
    }

    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }

    public static String describe() {
        return String.format(Locale.ROOT, "%s, %d cores visible to the JVM, %.0f MHz nominal, %s %s", cpuInfo("model name"),
                Runtime.getRuntime().availableProcessors(), clockHz() / 1e6, System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"));
    }

    public static void main(String[] a) {
        System.out.println(describe() + "; load average (1/5/15 min) " + loadAverage());
    }
}
