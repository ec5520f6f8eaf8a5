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
import ebnn.api.data.Dataset;
import ebnn.api.spi.CompiledModel;
import ebnn.api.spi.InferenceEngine;

/** Predicted class against the label for the first few samples of a test set. */
@Component(service = Command.class, property = { "osgi.command.scope=ebnn", "osgi.command.function=classify" })
public class ClassifyCommand extends AbstractCommand {

    @Reference
    private Toolchain toolchain;

    @Descriptor("classifies the first samples of an IDX test set and prints predicted class against label")
    public Object classify(CommandSession session, @Descriptor("MODEL --data DIR [--count N] [--backend jvm] [--json]") String... args) {
        return run(session, args);
    }

    @Override
    public String name() {
        return "classify";
    }

    @Override
    public String usage() {
        return "MODEL [--input-range LOW,HIGH] --data DIR [--count N] [--backend jvm] [--json]";
    }

    @Override
    public String summary() {
        return "classify the first N samples of an IDX test set: predicted class, label, scores";
    }

    @Override
    protected Args.Options options() {
        return Args.options().model("MODEL").option("data", "DIR").option("count", "N").option("backend", "ID").flag("json");
    }

    @Override
    protected int execute(Ctx ctx) {
        Args a = ctx.args();
        String dataDir = a.required("data");
        int count = a.positiveInt("count", 10);
        InferenceEngine engine = toolchain.engine(a.value("backend", "jvm"));
        BinaryModel b = toolchain.lower(Models.model(ctx, toolchain, a.positional(0)));
        Dataset d = Data.testSet(ctx, dataDir, b).head(count);
        CompiledModel cm = engine.load(b);
        byte[] samples = Data.hwc(d, b.input());
        int k = b.classes();
        Table t = new Table("SAMPLE", "LABEL", "PREDICTED", "", "SCORES").right(0);
        List<Object> rows = new ArrayList<>();
        int correct = 0;
        for (int i = 0; i < d.count(); i++) {
            int[] scores = new int[k];
            int p = cm.classify(samples, i * b.inputSize(), scores);
            int label = d.label(i);
            if (p == label)
                correct++;
            t.row(i, name(b, label), name(b, p), p == label ? "ok" : "WRONG", java.util.Arrays.toString(scores));
            rows.add(Json.obj("sample", i, "label", label, "predicted", p, "scores", scores));
        }
        if (ctx.json()) {
            ctx.printJson(Json.obj("model", b.name(), "backend", engine.id(), "correct", correct, "results", rows));
        } else {
            ctx.out().print(t);
            ctx.out().println(correct + " of " + d.count() + " correct (back end " + engine.id() + ")");
        }
        return OK;
    }

    static String name(BinaryModel b, int c) {
        return c < b.labels().size() ? b.labels().get(c) : Integer.toString(c);
    }
}
