package ebnn.train.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ebnn.api.EbnnException;
import ebnn.api.Device;
import ebnn.api.io.AtomicFile;
import ebnn.api.data.Dataset;
import ebnn.api.spi.Toolchain;
import ebnn.api.command.Args;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.command.Json;
import ebnn.api.command.Table;
import ebnn.api.command.UsageException;
import ebnn.train.api.Candidate;
import ebnn.train.api.DiscoverOptions;
import ebnn.train.api.DiscoverResult;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainingService;

/** Finds the most accurate architecture that fits a device: plan first, train what fits, Pareto front. */
@Component(service = Command.class)
public class DiscoverCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("discover",
            "find the most accurate model that fits a device: memory bounded before training, exact after, Pareto front, best model")
            .required("device", "D", "the budget (ebnn:devices); candidates over its flash or RAM are never trained")
            .with(TrainCommand::dataOptions)
            .option("time-budget", "T", "total training time, e.g. 90s, 5m, 1h (default none: --epochs each)")
            .option("candidates", "A;B;...", "architectures separated by ';' (names or specs); default: the built-in list")
            .option("epochs", "N", "epochs per candidate (default 10)")
            .option("seed", "S", "seed of every candidate's training (default 1)")
            .option("parallel", "N", "candidates trained at once (default 2, one thread each)")
            .option("validation", "N", "last N training samples rank the candidates (default 1000)")
            .with(TrainCommand::trainingOptions)
            .option("threads", "N", "threads per candidate (default 1)")
            .option("out", "FILE.ebnn", "the best model (default DEVICE-best.ebnn)")
            .option("plot", "FILE.svg", "the Pareto plot (default DEVICE-pareto.svg)")
            .flag("force", "replace those files if they exist (else refused before training)")
            .flag("json", "one JSON object with every candidate, on standard output")
            .build();

    @Reference
    private TrainingService training;

    @Reference
    private Toolchain toolchain;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int execute(Ctx ctx) throws IOException {
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
                rows.add(Json.obj("name", c.name(), "spec", c.spec(), "flashBytes", c.flashBytes(), "ramBytes", c.ramBytes(), "planExact", c.planExact(), "status", c.status(),
                        "validationAccuracy", c.validationAccuracy(), "testAccuracy", c.testAccuracy(), "seconds", c.seconds(), "pareto",
                        c.pareto()));
            ctx.out().println(Json.line(Json.obj("event", "discover", "device", device.name(), "candidates", rows, "best",
                    r.best() == null ? null : r.best().name(), "out", r.bestModel() == null ? null : out.toString(), "plot", plot.toString())));
        } else {
            Table t = new Table("CANDIDATE", "FLASH", "RAM", "STATUS", "VAL %", "TEST %", "TIME", "PARETO").right(1, 2, 4, 5, 6);
            for (Candidate c : r.candidates())
                t.row(c.name(), bytes(c, c.flashBytes()), bytes(c, c.ramBytes()), c.status(),
                        pct(c.validationAccuracy()), pct(c.testAccuracy()), c.trained() ? String.format(Locale.ROOT, "%.1f s", c.seconds()) : "",
                        c.pareto() ? "*" : "");
            ctx.out().print(t);
            if (r.candidates().stream().anyMatch(c -> !c.planExact() && c.flashBytes() >= 0))
                ctx.out().println("<= : the bound planned before training (thresholds at their widest; never trained); the other rows: "
                        + "the trained model's exact plan");
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

    /** A planned size: exact, or "<= N" for the bound of a candidate never trained. */
    private static String bytes(Candidate c, long n) {
        return n < 0 ? "-" : (c.planExact() ? "" : "<= ") + Table.bytes(n);
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
