package ebnn.shell.commands;

import java.util.Locale;
import java.util.Map;

import ebnn.api.Device;
import ebnn.api.DeviceSupply;
import ebnn.api.command.Json;

/**
 * The energy-per-inference figures ebnn:devices and ebnn:compile print: E = V × I × cycles / clock, from the
 * device's datasheet supply figures ({@link DeviceSupply}) at the device's clock. Neither command runs the
 * code, so neither has a cycle count: they give the energy of one million cycles (the factor to multiply a
 * measured count by: simavr cycles on AVR, qemu instructions on Cortex-M at one cycle each), never a
 * per-model number made up from no measurement; ebnn:measure (bundle ebnn.measure) runs the code and
 * gives it. docs/BENCHMARKS.md tables the measured models.
 */
final class EnergyEstimate {
    static final long MEGACYCLE = 1_000_000;

    private EnergyEstimate() {
    }

    /** mWs of one million cycles on the device at its clock, or null without a datasheet figure. */
    static Double milliwattSecondsPerMegacycle(Device d) {
        return DeviceSupply.of(d).map(s -> s.milliwattSeconds(MEGACYCLE, d.clockHz())).orElse(null);
    }

    /** One report line: the power, the formula with this device's numbers, and where the figures come from; or "not known". */
    static String line(Device d) {
        DeviceSupply s = DeviceSupply.of(d).orElse(null);
        if (s == null)
            return "energy per inference (estimate): not known: no verified datasheet supply figure for " + d.name() + " (ebnn:devices)";
        return String.format(Locale.ROOT,
                "energy per inference (estimate): %s V x %s mA = %s mW; E = %s mW x cycles / %s = %s mWs per million cycles"
                        + " (compile runs no code, so no cycle count: ebnn:measure runs it on simavr or qemu and gives the energy of"
                        + " one inference; docs/BENCHMARKS.md, 'Energy per inference'); figures: %s",
                num(s.volts()), num(s.milliamps()), num(s.milliwatts()), num(s.milliwatts()), DevicesCommand.mhz(d.clockHz()),
                num(s.milliwattSeconds(MEGACYCLE, d.clockHz())), s.source());
    }

    /** The --json form: null where no figure is known. */
    static Map<String, Object> json(Device d) {
        DeviceSupply s = DeviceSupply.of(d).orElse(null);
        if (s == null)
            return null;
        return Json.obj("estimate", true, "milliwatts", s.milliwatts(), "clockHz", d.clockHz(), "milliwattSecondsPerMegacycle",
                s.milliwattSeconds(MEGACYCLE, d.clockHz()), "formula", "milliwatts * cycles / clockHz", "source", s.source());
    }

    /** Up to 4 significant decimals, no trailing zeros: 5.2, 26, 1.625. */
    static String num(double v) {
        String t = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "");
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
