package ebnn.shell.commands;

import java.util.Locale;

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
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.spi.CompiledModel;
import ebnn.api.spi.InferenceEngine;

/** Accuracy of the integer model on an IDX test set, run by an in-process engine. */
@Component(service = Command.class, property = { "osgi.command.scope=ebnn", "osgi.command.function=eval" })
public class EvalCommand extends AbstractCommand {

    @Reference
    private Toolchain toolchain;

    @Descriptor("measures the integer model's accuracy on an IDX test set (t10k-*) with an in-process engine")
    public Object eval(CommandSession session, @Descriptor("MODEL --data DIR [--limit N] [--backend jvm] [--json]") String... args) {
        return run(session, args);
    }

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String usage() {
        return "MODEL [--input-range LOW,HIGH] --data DIR [--limit N] [--backend jvm] [--json]";
    }

    @Override
    public String summary() {
        return "measure the lowered (integer) model's accuracy on an IDX test set";
    }

    @Override
    public String details() {
        return "--data DIR     folder with t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]\n"
                + "--limit N      only the first N samples\n"
                + "--backend ID   in-process engine (default jvm)";
    }

    @Override
    protected Args.Options options() {
        return Args.options().model("MODEL").option("data", "DIR").option("limit", "N").option("backend", "ID").flag("json");
    }

    @Override
    protected int execute(Ctx ctx) {
        Args a = ctx.args();
        String dataDir = a.required("data");
        int limit = a.positiveInt("limit", Integer.MAX_VALUE);
        InferenceEngine engine = toolchain.engine(a.value("backend", "jvm"));
        BinaryModel b = toolchain.lower(Models.model(ctx, toolchain, a.positional(0)));
        Dataset d = Data.testSet(ctx, dataDir, b);
        if (limit < d.count())
            d = d.head(limit);
        CompiledModel cm = engine.load(b);
        byte[] samples = Data.hwc(d, b.input());
        int n = d.count(), size = b.inputSize(), correct = 0;
        int[] confusion = new int[b.classes() * b.classes()];
        int step = Math.max(1000, n / 10);
        long t0 = System.nanoTime();
        if (!ctx.json())
            ctx.progress("evaluating '" + b.name() + "' on " + n + " samples of " + d.name() + " with back end " + engine.id() + " ...");
        for (int done = 0; done < n;) {
            int count = Math.min(step, n - done);
            byte[] batch = java.util.Arrays.copyOfRange(samples, done * size, (done + count) * size);
            int[] pred = cm.classifyBatch(batch, count, null);
            for (int i = 0; i < count; i++) {
                int label = d.label(done + i);
                if (pred[i] == label)
                    correct++;
                if (label < b.classes())
                    confusion[label * b.classes() + pred[i]]++;
            }
            done += count;
            if (!ctx.json() && n > step)
                ctx.progress(String.format(Locale.ROOT, "  %,d / %,d   accuracy so far %.2f %%", done, n, 100.0 * correct / done));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double acc = n == 0 ? 0 : 100.0 * correct / n;
        if (ctx.json()) {
            ctx.printJson(Json.obj("model", b.name(), "data", d.name(), "backend", engine.id(), "samples", n, "correct", correct,
                    "accuracy", acc / 100, "seconds", secs, "confusion", confusion));
        } else {
            ctx.out().printf(Locale.ROOT, "accuracy %.2f %% (%,d of %,d) on %s, back end %s, %.2f s (%,.0f samples/s)%n", acc, correct, n,
                    d.name(), engine.id(), secs, n / Math.max(secs, 1e-9));
        }
        return OK;
    }
}
