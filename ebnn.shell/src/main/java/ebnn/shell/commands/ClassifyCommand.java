package ebnn.shell.commands;

import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ebnn.api.spi.Toolchain;
import ebnn.shell.AbstractCommand;
import ebnn.shell.Args;
import ebnn.shell.Command;
import ebnn.shell.Ctx;
import ebnn.shell.Json;
import ebnn.shell.Models;
import ebnn.shell.Data;
import ebnn.shell.Table;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.DataOptions;
import ebnn.api.data.Sample;
import ebnn.api.data.SampleReader;
import ebnn.api.data.Samples;
import ebnn.api.model.Model;
import ebnn.api.model.OutputKind;
import ebnn.shell.UsageException;
import ebnn.api.spi.CompiledModel;
import ebnn.api.spi.InferenceEngine;

/**
 * Predicted class and scores for single files ({@code --input FILE...}: an image, a .npy of one
 * sample, a CSV row) or the first samples of a data set ({@code --data PATH}), against the label
 * where there is one; for a model whose output is a bit vector, the output bits instead.
 */
@Component(service = Command.class, property = { "osgi.command.scope=ebnn", "osgi.command.function=classify" })
public class ClassifyCommand extends AbstractCommand {

    @Reference
    private Toolchain toolchain;

    @Descriptor("classifies single files (--input FILE...) or the first samples of a data set (--data PATH): class, label, scores")
    public Object classify(CommandSession session, @Descriptor("MODEL (--input FILE... | --data PATH [--count N]) [--backend jvm] [--json]") String... args) {
        return run(session, args);
    }

    @Override
    public String name() {
        return "classify";
    }

    @Override
    public String usage() {
        return "MODEL [--input-range LOW,HIGH] (--input FILE... | --data PATH [--count N]) [--backend jvm] [--json]";
    }

    @Override
    public String summary() {
        return "classify single files (an image, a .npy sample, a CSV row) or the first N samples of a data set: class, label, scores";
    }

    @Override
    public String details() {
        return "--input FILE...  files to classify, each one sample (an image, a .npy of one sample) or a few (CSV rows, IDX)\n"
                + Data.HELP + "\n"
                + "--count N        with --data: the first N samples (default 10)\n"
                + "--backend ID     in-process engine (default jvm)\n"
                + "A model whose output is a bit vector (a tinier-nn model.def) prints its bits, the first output first\n"
                + "(--json: \"bits\": [0, 1, ...]); it has no classes, so labels are not compared.";
    }

    @Override
    protected Args.Options options() {
        return Data.options(Args.options()).model("MODEL").rest().flag("input").option("data", "PATH").option("count", "N")
                .option("backend", "ID").flag("json");
    }

    @Override
    protected int execute(Ctx ctx) {
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
