package ebnn.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ebnn.api.BackendException;
import ebnn.api.Device;
import ebnn.api.DeviceSupply;
import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.command.Args;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.command.Data;
import ebnn.api.command.Json;
import ebnn.api.command.UsageException;
import ebnn.api.data.DataOptions;
import ebnn.api.data.Dataset;
import ebnn.api.model.Model;
import ebnn.api.model.OutputKind;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.CompileResult;
import ebnn.api.spi.CompiledModel;
import ebnn.api.spi.Toolchain;

/**
 * {@code ebnn:measure}: what ebnn:compile cannot say because it runs no code. Generates the code as
 * compile does (the Toolchain's code generator for the device), builds it with the real cross compiler
 * at -O2 with the repository's simulator harness, runs it on simavr (AVR) or qemu (Cortex-M) on the
 * given samples, and reports per inference the exact cycles (AVR) or instructions (Cortex-M), the time
 * at the device clock, the stack high-water mark (AVR), the sizes from the cross toolchain's size tool
 * against the memory plan, and the energy estimate from the device's datasheet figures. The classes
 * and scores must equal the JVM runtime's for the same samples: a mismatch is an error.
 */
@Component(service = Command.class)
public class MeasureCommand implements Command {
    static final int DEFAULT_DATA_COUNT = 10;

    static final CommandSpec SPEC = CommandSpec.command("measure",
            "run a model's generated code on simavr (AVR) or qemu (Cortex-M): exact cycles or instructions, stack, sizes, energy")
            .model("MODEL")
            .required("device", "D", "an AVR (simavr) or Cortex-M (qemu) device (ebnn:devices)")
            .option("backend", "ID", "code generator: c or cortex-m (default: the device's, as ebnn:compile picks it)")
            .option("data", "PATH", "run the first --count samples of a data set (any format ebnn:eval reads)")
            .option("sample", "FILE", "or one sample: an image, a .npy of one sample, a CSV row, ...")
            .with(Data::options)
            .option("count", "N", "samples of --data to run (default " + DEFAULT_DATA_COUNT + "); without --data or --sample: three\n"
                    + "built-in inputs (all 0, all 255, a byte ramp)")
            .flag("json", null).build();

    @Reference
    private Toolchain toolchain;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int execute(Ctx ctx) {
        Args a = ctx.args();
        Device device = toolchain.device(a.required("device"));
        boolean avr = device.arch() == Device.Arch.AVR;
        if (!avr && device.arch() != Device.Arch.ARM_CORTEX_M)
            throw new UsageException("ebnn:measure runs AVR devices on simavr and Cortex-M devices on qemu; " + device.name() + " is neither ("
                    + device.arch() + ")");
        String backend = a.value("backend", toolchain.defaultGenerator(device));
        if (backend == null || !(backend.equals("c") || backend.equals("cortex-m")))
            throw new UsageException("--backend must be c or cortex-m (the code generators whose output the simulator harnesses run), not '" + backend + "'");
        if (a.value("sample") != null && a.value("data") != null)
            throw new UsageException("give --sample FILE or --data PATH, not both");
        int count = a.positiveInt("count", DEFAULT_DATA_COUNT);
        // the tools first: a missing one is one error before anything is generated
        HostTools tools = HostTools.require(avr ? HostTools.AVR : HostTools.ARM, "measuring on " + device.name());

        Path file = ctx.existing(a.positional(0), "model file");
        Model m = toolchain.importModel(file, a.inputRange()).model();
        m = new Model(baseName(file), m.input(), m.layers(), m.labels()); // the C symbol, as ebnn:compile makes it
        BinaryModel b = toolchain.lower(m);
        if (b.outputKind() != OutputKind.CLASSES)
            throw new UnsupportedModelException("ebnn:measure runs models that output classes; " + b.name() + " outputs a bit vector");
        Inputs in = inputs(ctx, m, b, count);

        Path work;
        try {
            work = Files.createTempDirectory("ebnn-measure-");
        } catch (IOException e) {
            throw new BackendException("cannot create a build folder: " + e.getMessage(), e);
        }
        try {
            Path gen = work.resolve("generated");
            CompileResult cr = toolchain.compile(b, backend, device, gen, CompileOptions.defaults());
            String prefix = prefix(cr);
            Path src = gen.resolve(prefix + ".c").getParent();
            if (!ctx.json())
                ctx.progress(String.format(Locale.ROOT, "building %s for %s (%s, %s) and running %d sample(s) on %s", b.name(), device.name(), backend,
                        Firmware.OPT, in.count(), avr ? "simavr" : "qemu"));
            Measured r = avr ? Firmware.avr(tools, device, src, prefix, b.inputSize(), b.classes(), in.bytes(), work)
                    : Firmware.cortexM(tools, device, src, prefix, b.inputSize(), b.classes(), in.bytes(), work);
            checkSameAsJvm(toolchain.engine("jvm").load(b), b.inputSize(), b.classes(), in, r, device.name());
            report(ctx, b, device, backend, cr.plan(), in, r, avr);
            return OK;
        } finally {
            delete(work);
        }
    }

    /** The samples run, HWC bytes back to back, and where each came from. */
    record Inputs(byte[] bytes, List<String> origins) {
        int count() {
            return origins.size();
        }
    }

    private static Inputs inputs(Ctx ctx, Model m, BinaryModel b, int count) {
        Args a = ctx.args();
        String from = a.value("sample") != null ? a.value("sample") : a.value("data");
        if (from == null) {
            int n = b.inputSize();
            byte[] s = new byte[3 * n];
            for (int i = 0; i < n; i++) {
                s[n + i] = (byte) 255;
                s[2 * n + i] = (byte) (i * 7);
            }
            return new Inputs(s, List.of("all 0", "all 255", "byte ramp (7 i mod 256)"));
        }
        DataOptions o = Data.options(ctx, m.input());
        boolean single = a.value("sample") != null;
        Dataset d = Data.readAll(ctx, from, single ? o.withSingle(true) : o, single ? 1 : count, false);
        if (d.count() == 0)
            throw new UsageException(from + ": no samples");
        List<String> origins = new ArrayList<>();
        for (int i = 0; i < d.count(); i++)
            origins.add(from + " #" + i + (d.labelled() ? ", label " + d.label(i) : ""));
        return new Inputs(Data.hwc(d, b.input()), origins);
    }

    /** The generated code's classes and scores against the JVM runtime's, sample by sample: a difference is an error. */
    static void checkSameAsJvm(CompiledModel jvm, int inputSize, int k, Inputs in, Measured r, String device) {
        int[] scores = new int[k];
        for (int i = 0; i < in.count(); i++) {
            int cls = jvm.classify(in.bytes(), i * inputSize, scores);
            int[] got = Arrays.copyOfRange(r.scores(), i * k, (i + 1) * k);
            if (cls != r.classes()[i] || !Arrays.equals(scores, got))
                throw new BackendException(String.format(Locale.ROOT,
                        "the generated code on %s computed class %d, scores %s for sample %d (%s); the JVM runtime computes class %d, scores %s",
                        device, r.classes()[i], Arrays.toString(got), i, in.origins().get(i), cls, Arrays.toString(scores)));
        }
    }

    private static void report(Ctx ctx, BinaryModel b, Device device, String backend, MemoryPlan plan, Inputs in, Measured r, boolean avr) {
        String unit = avr ? "cycles" : "instructions";
        double mean = r.meanCount();
        double ms = mean / device.clockHz() * 1000;
        DeviceSupply supply = DeviceSupply.of(device).orElse(null);
        Double mws = supply == null ? null : supply.milliwatts() * mean / device.clockHz();
        // the plan bounds: data bytes exact, code an estimate from above; static RAM exact but for the
        // SRAM popcount table's alignment padding, which the plan bounds by 255 B; stack an estimate from above
        long tableSlack = plan.tableBytes() > 0 && avr ? 255 : 0;
        boolean flashOk = r.modelFlashBytes() <= plan.flashBytes() && r.modelFlashBytes() >= plan.dataFlashBytes();
        boolean ramOk = r.staticRamBytes() <= plan.staticRamBytes() && r.staticRamBytes() >= plan.staticRamBytes() - tableSlack;
        Long stack = r.maxStack();
        Boolean stackOk = stack == null ? null : stack <= plan.stackBytes();
        boolean agrees = flashOk && ramOk && (stackOk == null || stackOk);
        if (ctx.json()) {
            List<Map<String, Object>> samples = new ArrayList<>();
            for (int i = 0; i < r.count(); i++)
                samples.add(Json.obj("origin", in.origins().get(i), "class", r.classes()[i], unit, r.counts()[i], "stackBytes",
                        r.stack() == null ? null : r.stack()[i]));
            ctx.printJson(Json.obj("model", b.name(), "device", device.name(), "backend", backend, "opt", Firmware.OPT, "simulator",
                    avr ? "simavr" : "qemu", "counts", unit, "samples", samples, "mean", mean, "min", r.minCount(), "max", r.maxCount(), "clockHz",
                    device.clockHz(), "milliseconds", ms, "sameAsJvm", true, "stackBytes", stack, "plannedStackBytes", plan.stackBytes(),
                    "modelFlashBytes", r.modelFlashBytes(), "imageFlashBytes", r.imageFlashBytes(), "plannedFlashBytes", plan.flashBytes(),
                    "plannedDataFlashBytes", plan.dataFlashBytes(), "staticRamBytes", r.staticRamBytes(), "plannedStaticRamBytes",
                    plan.staticRamBytes(), "withinPlan", agrees, "energy", supply == null ? null
                            : Json.obj("estimate", true, "volts", supply.volts(), "milliamps", supply.milliamps(), "milliwatts", supply.milliwatts(),
                                    "milliwattSeconds", mws, "formula", "volts * milliamps * " + unit + " / clockHz", "source", supply.source())));
            return;
        }
        var out = ctx.out();
        out.printf(Locale.ROOT, "measured %s on %s (%s back end, %s %s, %s): %d sample(s), classes and scores equal the JVM runtime's%n", b.name(),
                device.name(), backend, avr ? "avr-gcc" : "arm-none-eabi-gcc", Firmware.OPT,
                avr ? "simavr, cycle-exact" : "qemu, instruction counts: qemu has no cycle model", r.count());
        for (int i = 0; i < r.count(); i++)
            out.printf(Locale.ROOT, "  sample %d (%s): class %d, %,d %s%s%n", i, in.origins().get(i), r.classes()[i], r.counts()[i], unit,
                    r.stack() == null ? "" : ", stack " + r.stack()[i] + " B");
        out.printf(Locale.ROOT, "%s per inference: mean %,.0f (min %,d, max %,d)%s%n", unit, mean, r.minCount(), r.maxCount(),
                avr ? "" : ": instructions, not cycles");
        out.printf(Locale.ROOT, "time per inference at %s: %.3f ms%s%n", mhz(device.clockHz()), ms,
                avr ? "" : " (at one instruction per cycle: a lower bound)");
        out.printf(Locale.ROOT, "flash: model %,d B (its object, size -A: code + constants; image with harness %,d B); planned %,d B (data %,d B exact"
                + " + code estimate)%s%n", r.modelFlashBytes(), r.imageFlashBytes(), plan.flashBytes(), plan.dataFlashBytes(),
                flashOk ? ": within the plan" : ": OUTSIDE THE PLAN'S BOUNDS");
        out.printf(Locale.ROOT, "static RAM: %,d B (.data + .bss of the image); planned %,d B%s%s%n", r.staticRamBytes(), plan.staticRamBytes(),
                tableSlack > 0 ? " (popcount table alignment up to 255 B included)" : "", ramOk ? ": within the plan" : ": OUTSIDE THE PLAN'S BOUNDS");
        if (stack != null)
            out.printf(Locale.ROOT, "stack: %,d B measured high-water mark; planned %,d B%s%n", stack, plan.stackBytes(),
                    stackOk ? ": within the plan" : ": OVER THE PLAN'S ESTIMATE");
        else
            out.printf(Locale.ROOT, "stack: not measured on qemu; planned %,d B%n", plan.stackBytes());
        if (supply == null)
            out.printf(Locale.ROOT, "energy per inference (estimate): not known: no verified datasheet supply figure for %s%n", device.name());
        else
            out.printf(Locale.ROOT, "energy per inference (estimate): %s V x %s mA x %,.0f %s / %s = %s mWs (%s uJ); figures: %s%n", num(supply.volts()),
                    num(supply.milliamps()), mean, unit, mhz(device.clockHz()), sci(mws), String.format(Locale.ROOT, "%,.1f", mws * 1000), supply.source());
        if (!agrees)
            out.println("warning: the measured sizes do not agree with the memory plan (see above)");
    }

    /** The generated header's name without .h: the entry point's prefix. */
    private static String prefix(CompileResult cr) {
        return cr.files().stream().map(f -> f.getFileName().toString())
                .filter(n -> n.matches("ebnn_[A-Za-z0-9_]+\\.h") && !n.equals("ebnn_rt.h") && !n.equals("ebnn_cm.h")).findFirst()
                .map(n -> n.substring(0, n.length() - 2))
                .orElseThrow(() -> new BackendException("the code generator wrote no model header (ebnn_<model>.h)"));
    }

    static String baseName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    static String mhz(long hz) {
        return num(hz / 1e6) + " MHz";
    }

    static String num(double v) {
        String t = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "");
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }

    /** Four significant digits. */
    static String sci(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
