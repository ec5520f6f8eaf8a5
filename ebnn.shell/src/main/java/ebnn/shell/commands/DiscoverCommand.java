package ebnn.shell.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ebnn.api.EbnnException;
import ebnn.api.Device;
import ebnn.api.io.AtomicFile;
import ebnn.api.data.Dataset;
import ebnn.api.spi.Toolchain;
import ebnn.shell.AbstractCommand;
import ebnn.shell.Args;
import ebnn.shell.Command;
import ebnn.shell.Ctx;
import ebnn.shell.Json;
import ebnn.shell.Table;
import ebnn.shell.UsageException;
import ebnn.train.api.Candidate;
import ebnn.train.api.DiscoverOptions;
import ebnn.train.api.DiscoverResult;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainingService;

/** Finds the most accurate architecture that fits a device: plan first, train what fits, Pareto front. */
@Component(service = Command.class, property = { "osgi.command.scope=ebnn", "osgi.command.function=discover" })
public class DiscoverCommand extends AbstractCommand {

    @Reference
    private TrainingService training;

    @Reference
    private Toolchain toolchain;

    @Descriptor("plans candidate architectures on a device, trains those that fit, reports the Pareto front and writes the best model")
    public Object discover(CommandSession session, @Descriptor("--device D --data PATH [--time-budget 5m] [--out FILE] [--json] ...") String... args) {
        return run(session, args);
    }

    @Override
    public String name() {
        return "discover";
    }

    @Override
    public String usage() {
        return "--device D --data PATH [--time-budget 5m] [--candidates A,B;...] [--epochs N] [--seed S] [--parallel N] "
                + "[--validation N] [--lean] [--input-range LOW,HIGH] [--out FILE.ebnn] [--plot FILE.svg] [--json]";
    }

    @Override
    public String summary() {
        return "find the most accurate model that fits a device: exact memory plan before training, Pareto front, best model";
    }

    @Override
    public String details() {
        return "--device D        the budget (ebnn:devices); candidates over its flash or RAM are never trained\n"
                + "--data PATH       training samples in any format (as ebnn:train); the test set (t10k-*, x_test, --test PATH)\n"
                + "                  is only reported, never used to choose\n"
                + "--time-budget T   total training time, e.g. 90s, 5m, 1h (default none: --epochs each)\n"
                + "--candidates L    architectures separated by ';' (names or specs); default: the built-in list\n"
                + "--epochs N        epochs per candidate (default 10), --seed S (default 1)\n"
                + "--parallel N      candidates trained at once (default 2, one thread each)\n"
                + "--validation N    last N training samples rank the candidates (default 1000)\n"
                + "--out FILE        the best model (default DEVICE-best.ebnn); --plot FILE the SVG (default DEVICE-pareto.svg)\n"
                + "--lean            memory-lean training of each candidate (as ebnn:train --lean)\n"
                + "--input-range LOW,HIGH  what the data's values span (as ebnn:train; default 0,255)\n"
                + "--force           replace those files if they exist (else refused before training)";
    }

    @Override
    protected Args.Options options() {
        return TrainCommand.dataOptions(Args.options()).option("device", "D").option("time-budget", "T").option("candidates", "LIST")
                .option("epochs", "N").option("seed", "S").option("parallel", "N").option("validation", "N").option("batch", "N")
                .option("lr", "X").option("final-lr", "X").option("threads", "N").option("out", "FILE").option("plot", "FILE").option("shift", "N").flag("augment")
                .flag("lean").flag("force").flag("json");
    }

    @Override
    protected int execute(Ctx ctx) throws IOException {
        Args a = ctx.args();
        Device device = toolchain.device(a.required("device"));
        int parallel = a.positiveInt("parallel", 2);
        TrainOptions o = TrainCommand.options(a, "candidate").withThreads(a.positiveInt("threads", 1));
        o = o.withValidation(a.value("validation") == null ? 1000 : TrainCommand.nonNegative(a, "validation"));
        long budget = a.value("time-budget") == null ? 0 : timeBudget(a.value("time-budget"));
        List<String> candidates = a.value("candidates") == null ? List.of()
                : Arrays.stream(a.value("candidates").split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        Path out = ctx.outputFile(a.value("out", device.name() + "-best.ebnn"));
        Path plot = ctx.outputFile(a.value("plot", device.name() + "-pareto.svg"));
        Dataset train = TrainCommand.trainingSet(ctx);
        Dataset test = TrainCommand.testSet(ctx, train);
        if (!ctx.json())
            ctx.progress("discover on " + device.name() + " (flash " + device.flashBytes() + " B, RAM " + device.ramBytes() + " B): planning candidates ...");
        DiscoverResult r = training.discover(new DiscoverOptions(device, candidates, o, budget, parallel), train, test, null,
                TrainCommand.listener(ctx));
        AtomicFile.write(plot, true, r.svg().getBytes(StandardCharsets.UTF_8));
        if (r.bestModel() != null)
            toolchain.writeModel(r.bestModel(), out, ebnn.api.spi.ModelForm.THRESHOLDS);
        if (ctx.json()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Candidate c : r.candidates())
                rows.add(Json.obj("name", c.name(), "spec", c.spec(), "flashBytes", c.flashBytes(), "ramBytes", c.ramBytes(), "status", c.status(),
                        "validationAccuracy", c.validationAccuracy(), "testAccuracy", c.testAccuracy(), "seconds", c.seconds(), "pareto",
                        c.pareto()));
            ctx.out().println(TrainCommand.oneLineJson(Json.obj("event", "discover", "device", device.name(), "candidates", rows, "best",
                    r.best() == null ? null : r.best().name(), "out", r.bestModel() == null ? null : out.toString(), "plot", plot.toString())));
        } else {
            Table t = new Table("CANDIDATE", "FLASH", "RAM", "STATUS", "VAL %", "TEST %", "TIME", "PARETO").right(1, 2, 4, 5, 6);
            for (Candidate c : r.candidates())
                t.row(c.name(), c.flashBytes() < 0 ? "-" : Table.bytes(c.flashBytes()), c.ramBytes() < 0 ? "-" : Table.bytes(c.ramBytes()), c.status(),
                        pct(c.validationAccuracy()), pct(c.testAccuracy()), c.trained() ? String.format(Locale.ROOT, "%.1f s", c.seconds()) : "",
                        c.pareto() ? "*" : "");
            ctx.out().print(t);
            ctx.out().println("plot: " + plot);
            if (r.best() != null)
                ctx.out().printf(Locale.ROOT, "best: %s (%s), validation %s %%, test %s %%, flash %s, RAM %s -> %s%n", r.best().name(), r.best().spec(),
                        pct(r.best().validationAccuracy()), pct(r.best().testAccuracy()), Table.bytes(r.best().flashBytes()),
                        Table.bytes(r.best().ramBytes()), out);
        }
        if (r.bestModel() == null)
            throw new EbnnException("no candidate fits " + device.name() + " and trained successfully; see the table above");
        return OK;
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }

    private static long timeBudget(String text) {
        try {
            return ebnn.train.api.Durations.millis("time-budget", text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
