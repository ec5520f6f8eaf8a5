package ebnn.shell.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ebnn.api.spi.Toolchain;
import ebnn.api.command.Args;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.command.Json;
import ebnn.shell.Models;
import ebnn.shell.Describe;
import ebnn.shell.demo.DemoModel;
import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.Block;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Model;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.CompileResult;
import ebnn.api.spi.CompiledModel;
import ebnn.api.spi.InferenceEngine;

/**
 * The main job, offline in a second: builds the built-in paper-shaped model, lowers it to integer
 * eBNN blocks, plans its memory on a microcontroller, classifies synthetic digits with the in-JVM
 * engine and checks every prediction against the float reference.
 */
@Component(service = Command.class)
public class DemoCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("demo", "build the built-in eBNN, plan its memory on a device, classify synthetic digits (offline, seconds)")
            .option("device", "D", "device to plan for (default atmega328p)")
            .option("count", "N", "synthetic digits to check against the float reference (default 1000; 8 are shown)")
            .option("backend", "ID", "in-process engine (default jvm)")
            .option("out", "DIR", "also generate C for the device into DIR (needs the c back end)")
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
        Device device = toolchain.device(a.value("device", "atmega328p"));
        int count = a.positiveInt("count", 1000);
        InferenceEngine engine = toolchain.engine(a.value("backend", "jvm"));
        var out = ctx.out();
        boolean text = !ctx.json();

        Model model = DemoModel.build();
        BinaryModel b = toolchain.lower(model);
        MemoryPlan plan = toolchain.plan(b, device);
        if (text) {
            out.println("ebnn demo: a paper-shaped binarized network built in code (no download, no training)");
            out.println("model '" + model.name() + "': " + String.join(" -> ", model.layers().stream().map(l -> l.kind()).toList())
                    + ", " + ebnn.api.command.Table.num(Describe.params(model)) + " parameters");
            out.println("lowered to integer eBNN blocks:");
            for (Block k : b.blocks())
                out.println("  " + k.name() + "  " + Describe.kind(k) + "  " + k.inputShape() + " -> " + k.outputShape() + "  ("
                        + Describe.detail(k) + ")");
            out.println();
            out.print(Describe.text(plan));
            out.println();
        }

        CompileResult compiled = null;
        if (a.value("out") != null) {
            Path dir = ctx.path(a.value("out"));
            compiled = toolchain.compile(b, "c", device, dir, new CompileOptions(null, false, true, java.util.Map.of()));
            if (text)
                out.println("generated " + compiled.files().size() + " C files for " + device.name() + " in " + compiled.outDir() + "\n");
        }

        CompiledModel cm = engine.load(b);
        FloatEvaluator reference = new FloatEvaluator(model);
        List<DemoModel.Sample> samples = DemoModel.digits(count, 2017);
        int correct = 0, agree = 0, shown = Math.min(8, count);
        List<Object> rows = new ArrayList<>();
        if (text)
            out.println("classifying " + count + " synthetic seven-segment digits with back end '" + engine.id()
                    + "' (integer only) and the float reference:");
        for (int i = 0; i < samples.size(); i++) {
            DemoModel.Sample s = samples.get(i);
            int[] scores = new int[b.classes()];
            int p = cm.classify(s.pixels(), 0, scores);
            int f = reference.classify(s.pixels());
            if (p == s.label())
                correct++;
            if (p == f)
                agree++;
            if (i < shown) {
                rows.add(Json.obj("sample", i, "label", s.label(), "predicted", p, "reference", f, "scores", scores));
                if (text && i % 4 == 0)
                    printPictures(out, samples.subList(i, Math.min(i + 4, shown)));
                if (text)
                    out.printf(Locale.ROOT, "  digit %d: label %d, predicted %d %s, float reference %d, scores %s%n", i, s.label(), p,
                            p == s.label() ? "ok" : "WRONG", f, java.util.Arrays.toString(scores));
            }
        }
        if (ctx.json()) {
            ctx.printJson(Json.obj("model", Describe.json(model), "lowered", Describe.json(b), "plan", Describe.json(plan), "backend",
                    engine.id(), "samples", count, "correct", correct, "agreeWithReference", agree, "shown", rows));
        } else {
            out.printf(Locale.ROOT, "%d of %d correct (%.1f %%); integer engine and float reference agree on %d of %d%n", correct, count,
                    100.0 * correct / count, agree, count);
            out.println();
            out.println("next: ebnn:info builtin:demo, ebnn:export builtin:demo demo.ebnn, ebnn:memory demo.ebnn --device cortex-m0, ebnn:help");
        }
        if (agree != count) {
            ctx.err().println("error: the integer engine '" + engine.id() + "' disagrees with the float reference on " + (count - agree)
                    + " of " + count + " digits");
            return FAILED;
        }
        return OK;
    }

    private static void printPictures(java.io.PrintStream out, List<DemoModel.Sample> group) {
        List<List<String>> pics = group.stream().map(s -> DemoModel.ascii(s.pixels())).toList();
        for (int row = 0; row < pics.get(0).size(); row++) {
            StringBuilder sb = new StringBuilder("   ");
            for (List<String> p : pics)
                sb.append('|').append(p.get(row)).append("|  ");
            out.println(sb.toString().stripTrailing());
        }
    }
}
