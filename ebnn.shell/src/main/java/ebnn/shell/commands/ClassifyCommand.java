package ebnn.shell.commands;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ebnn.api.spi.Toolchain;
import ebnn.api.command.Args;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.command.Json;
import ebnn.shell.Models;
import ebnn.api.command.Data;
import ebnn.api.command.Table;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.DataOptions;
import ebnn.api.data.Sample;
import ebnn.api.data.SampleReader;
import ebnn.api.data.Samples;
import ebnn.api.model.Model;
import ebnn.api.model.OutputKind;
import ebnn.api.command.UsageException;
import ebnn.api.spi.CompiledModel;
import ebnn.api.spi.InferenceEngine;

/**
 * Predicted class and scores for single files ({@code --input FILE...}: an image, a .npy of one
 * sample, a CSV row) or the first samples of a data set ({@code --data PATH}), against the label
 * where there is one; for a model whose output is a bit vector, the output bits instead.
 */
@Component(service = Command.class)
public class ClassifyCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("classify",
            "classify single files (an image, a .npy sample, a CSV row) or the first N samples of a data set: class, label, scores")
            .model("MODEL").rest()
            .flag("input", "FILE...", "files to classify, each one sample (an image, a .npy of one sample) or a few (CSV rows, IDX)")
            .option("data", "PATH", "or the first samples of a data set: " + Data.DATA_HELP)
            .option("count", "N", "with --data: the first N samples (default 10)")
            .with(Data::options)
            .option("backend", "ID", "in-process engine (default jvm)")
            .flag("json", null)
            .note("A model whose output is a bit vector (a tinier-nn model.def) prints its bits, the first output first (--json: \"bits\": [0, 1, ...]); it has no classes, so labels are not compared.").build();

    @Reference
    private Toolchain toolchain;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int execute(Ctx ctx) {
        Args a = ctx.args();
        List<String> inputs = a.positionals().subList(1, a.positionals().size());
        if (a.flag("input") == (a.value("data") != null))
            throw new UsageException("give either --input FILE... or --data PATH");
        if (!a.flag("input") && !inputs.isEmpty())
            throw new UsageException("unexpected argument '" + inputs.get(0) + "' (files to classify follow --input)");
        if (a.flag("input") && inputs.isEmpty())
            throw new UsageException("--input needs at least one file");
        int count = a.positiveInt("count", a.flag("input") ? Integer.MAX_VALUE : 10);
        InferenceEngine engine = toolchain.engine(a.value("backend", "jvm"));
        Model m = Models.model(ctx, toolchain, a.positional(0));
        BinaryModel b = toolchain.lower(m);
        CompiledModel cm = engine.load(b);
        DataOptions o = Data.options(ctx, m.input());
        if (b.outputKind() == OutputKind.BITS)
            return outputBits(ctx, a, inputs, count, engine, b, cm, o);
        int k = b.classes();
        List<Object> rows = new ArrayList<>();
        List<Object[]> table = new ArrayList<>();
        boolean anyLabel = false;
        int correct = 0, labelled = 0;
        for (String in : a.flag("input") ? inputs : List.of(a.value("data"))) {
            try (SampleReader r = Data.open(ctx, in, a.flag("input") ? o.withSingle(true) : o)) {
                boolean several = !a.flag("input") || r.count() != 1;
                int done = 0;
                for (Sample s; done < count && (s = r.next()) != null; done++) {
                    int[] scores = new int[k];
                    int p = cm.classify(Samples.chwToHwc(s.bytes(), 1, b.input()), 0, scores);
                    String what = a.flag("input") ? in + (several ? " #" + s.index() : "") : Long.toString(s.index());
                    if (s.labelled()) {
                        anyLabel = true;
                        labelled++;
                        correct += p == s.label() ? 1 : 0;
                    }
                    table.add(new Object[] { what, s.labelled() ? name(b, s.label()) : "", name(b, p),
                            s.labelled() ? (p == s.label() ? "ok" : "WRONG") : "", java.util.Arrays.toString(scores) });
                    rows.add(Json.obj(a.flag("input") ? "input" : "sample", a.flag("input") ? in : s.index(), "index", s.index(), "label",
                            s.labelled() ? s.label() : null, "predicted", p, "class", name(b, p), "scores", scores));
                }
            }
        }
        if (ctx.json()) {
            ctx.printJson(Json.obj("model", b.name(), "backend", engine.id(), "correct", anyLabel ? correct : null, "results", rows));
            return OK;
        }
        Table t = anyLabel ? new Table(a.flag("input") ? "INPUT" : "SAMPLE", "LABEL", "PREDICTED", "", "SCORES")
                : new Table(a.flag("input") ? "INPUT" : "SAMPLE", "PREDICTED", "SCORES");
        if (!a.flag("input"))
            t.right(0);
        for (Object[] row : table)
            if (anyLabel)
                t.row(row);
            else
                t.row(row[0], row[2], row[4]);
        ctx.out().print(t);
        if (anyLabel)
            ctx.out().println(correct + " of " + labelled + " correct (back end " + engine.id() + ")");
        return OK;
    }

    /**
     * A model whose output is a bit vector (a tinier-nn model.def) has no class to print: its bits
     * instead, as a 0/1 string with the first output first (in --json an array of 0/1 too). A data
     * set's labels are classes, which such a model does not give, so they are not compared.
     */
    private int outputBits(Ctx ctx, Args a, List<String> inputs, int count, InferenceEngine engine, BinaryModel b, CompiledModel cm,
            DataOptions o) {
        List<Object> rows = new ArrayList<>();
        Table t = new Table(a.flag("input") ? "INPUT" : "SAMPLE", "BITS (" + b.classes() + ", first output first)");
        if (!a.flag("input"))
            t.right(0);
        boolean[] bits = new boolean[b.classes()];
        for (String in : a.flag("input") ? inputs : List.of(a.value("data"))) {
            try (SampleReader r = Data.open(ctx, in, a.flag("input") ? o.withSingle(true) : o)) {
                boolean several = !a.flag("input") || r.count() != 1;
                int done = 0;
                for (Sample s; done < count && (s = r.next()) != null; done++) {
                    cm.outputBits(Samples.chwToHwc(s.bytes(), 1, b.input()), 0, bits);
                    int[] values = new int[bits.length];
                    StringBuilder text = new StringBuilder(bits.length);
                    for (int i = 0; i < bits.length; i++) {
                        values[i] = bits[i] ? 1 : 0;
                        text.append(bits[i] ? '1' : '0');
                    }
                    t.row(a.flag("input") ? in + (several ? " #" + s.index() : "") : Long.toString(s.index()), text.toString());
                    rows.add(Json.obj(a.flag("input") ? "input" : "sample", a.flag("input") ? in : s.index(), "index", s.index(), "bits", values,
                            "bitString", text.toString()));
                }
            }
        }
        if (ctx.json())
            ctx.printJson(Json.obj("model", b.name(), "backend", engine.id(), "output", "bits", "results", rows));
        else
            ctx.out().print(t);
        return OK;
    }

    static String name(BinaryModel b, int c) {
        return c < b.labels().size() ? b.labels().get(c) : Integer.toString(c);
    }
}
