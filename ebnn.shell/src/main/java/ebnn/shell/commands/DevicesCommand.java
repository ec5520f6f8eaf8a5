package ebnn.shell.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ebnn.api.Device;
import ebnn.api.DeviceSupply;
import ebnn.api.spi.Toolchain;
import ebnn.api.command.Args;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.command.Json;
import ebnn.api.command.Table;

/** Lists the target devices with their memory budgets. */
@Component(service = Command.class)
public class DevicesCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("devices", "list the target devices: flash, RAM, word size, clock, datasheet supply current and voltage")
            .flag("json", null).build();

    @Reference
    private Toolchain toolchain;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int execute(Ctx ctx) {
        List<Device> devices = toolchain.devices();
        if (ctx.json()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Device d : devices)
                rows.add(jsonRow(d));
            ctx.printJson(rows);
            return OK;
        }
        Table t = new Table("NAME", "ARCH", "FLASH", "RAM", "WORD", "CLOCK", "SUPPLY", "DESCRIPTION").right(2, 3, 4, 5);
        for (Device d : devices)
            t.row(d.name(), d.arch().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), size(d.flashBytes()), size(d.ramBytes()),
                    d.wordBits() + " bit", mhz(d.clockHz()), supply(d), d.description());
        ctx.out().print(t);
        ctx.out().println("supply: typical active current and voltage from the datasheet named below, for energy estimates (V x I x cycles / clock);"
                + " 'not known' where no datasheet figure was verified");
        for (Device d : devices)
            DeviceSupply.of(d).ifPresent(s -> ctx.out().println("  " + d.name() + ": " + EnergyEstimate.num(s.milliwatts()) + " mW, "
                    + EnergyEstimate.num(EnergyEstimate.milliwattSecondsPerMegacycle(d)) + " mWs per million cycles at " + mhz(d.clockHz())
                    + " (estimate); " + s.source()));
        return OK;
    }

    /** One device as the --json row: the budgets, and the datasheet supply figures (null where not known). */
    static Map<String, Object> jsonRow(Device d) {
        DeviceSupply s = DeviceSupply.of(d).orElse(null);
        return Json.obj("name", d.name(), "arch", d.arch(), "core", d.core(), "flashBytes", d.flashBytes(), "ramBytes", d.ramBytes(),
                "wordBits", d.wordBits(), "clockHz", d.clockHz(), "supplyVolts", s == null ? null : s.volts(), "supplyMilliamps",
                s == null ? null : s.milliamps(), "supplyAtHz", s == null ? null : s.atHz(), "supplySource", s == null ? null : s.source(),
                "milliwattSecondsPerMegacycle", EnergyEstimate.milliwattSecondsPerMegacycle(d), "description", d.description());
    }

    static String supply(Device d) {
        return DeviceSupply.of(d).map(s -> String.format(java.util.Locale.ROOT, "%.1f mA @ %.1f V, %s", s.milliamps(), s.volts(), mhz(s.atHz())))
                .orElse("not known");
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0)
            return bytes / (1L << 30) + " GB";
        if (bytes >= 1024 && bytes % 1024 == 0)
            return bytes / 1024 + " KB";
        return bytes + " B";
    }

    static String mhz(long hz) {
        return hz % 1_000_000 == 0 ? hz / 1_000_000 + " MHz" : String.format(java.util.Locale.ROOT, "%.1f MHz", hz / 1e6);
    }
}
