package ebnn.shell.commands;

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
import ebnn.api.command.Data;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.DataException;
import ebnn.api.data.Sample;
import ebnn.api.data.SampleReader;
import ebnn.api.data.Samples;
import ebnn.api.model.Model;
import ebnn.api.spi.CompiledModel;
import ebnn.api.spi.InferenceEngine;

/** Accuracy of the integer model on a labelled data set in any format the data layer reads, run by an in-process engine. */
@Component(service = Command.class)
public class EvalCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("eval", "measure the lowered (integer) model's accuracy on a labelled data set (IDX, .npy/.npz, image folder, CSV)")
            .model("MODEL")
            .required("data", "PATH", Data.DATA_HELP)
            .with(Data::options)
            .option("limit", "N", "only the first N samples")
            .option("backend", "ID", "in-process engine (default jvm)")
            .flag("json", null)
            .note("A model whose output is a bit vector (a tinier-nn model.def) has no classes: eval refuses it (ebnn:classify prints its bits).").build();

    @Reference
    private Toolchain toolchain;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int execute(Ctx ctx) {
        Args a = ctx.args();
        String data = a.required("data");
        int limit = a.positiveInt("limit", Integer.MAX_VALUE);
        InferenceEngine engine = toolchain.engine(a.value("backend", "jvm"));
        Model m = Models.model(ctx, toolchain, a.positional(0));
        BinaryModel b = toolchain.lower(m);
        // a data set's labels are classes; a bit vector is no class, and a bit accuracy against them would be a made-up measure
        if (b.outputKind() == ebnn.api.model.OutputKind.BITS)
            throw new ebnn.api.UnsupportedModelException("model '" + b.name() + "' outputs a vector of " + b.classes()
                    + " bits, not a class, so there is no accuracy against a data set's labels to measure; ebnn:classify prints its bits");
        CompiledModel cm = engine.load(b);
        int size = b.inputSize(), k = b.classes(), correct = 0, n = 0;
        int[] confusion = new int[k * k];
        long t0 = System.nanoTime();
        String name;
        // streamed in batches: a data set of any size is never held whole
        try (SampleReader r = Data.open(ctx, data, Data.options(ctx, m.input()))) {
            name = r.name();
            if (!r.labelled())
                throw new DataException(r.name() + ": no labels to measure accuracy against (an .npy needs --labels FILE, a CSV a label column)");
            long total = Math.min(limit, r.count() < 0 ? Long.MAX_VALUE : r.count());
            int step = (int) Math.max(1000, Math.min(100_000, total == Long.MAX_VALUE ? 1000 : total / 10));
            byte[] batch = new byte[step * size];
            int[] labels = new int[step];
            while (n < limit) {
                int count = 0;
                for (Sample s; count < step && n + count < limit && (s = r.next()) != null; count++) {
                    System.arraycopy(s.bytes(), 0, batch, count * size, size);
                    labels[count] = s.label();
                }
                if (count == 0)
                    break;
                // after the first batch was read: bad data is then the only line a user sees
                if (n == 0 && !ctx.json())
                    ctx.progress("evaluating '" + b.name() + "' on " + (total == Long.MAX_VALUE ? "the" : String.format(Locale.ROOT, "%,d", total))
                            + " samples of " + name + " with back end " + engine.id() + " ...");
                int[] pred = cm.classifyBatch(Samples.chwToHwc(batch, count, b.input()), count, null);
                for (int i = 0; i < count; i++) {
                    if (pred[i] == labels[i])
                        correct++;
                    if (labels[i] < k)
                        confusion[labels[i] * k + pred[i]]++;
                }
                n += count;
                if (!ctx.json() && total > step)
                    ctx.progress(String.format(Locale.ROOT, "  %,d / %,d   accuracy so far %.2f %%", n, total, 100.0 * correct / n));
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double acc = n == 0 ? 0 : 100.0 * correct / n;
        if (ctx.json()) {
            ctx.printJson(Json.obj("model", b.name(), "data", name, "backend", engine.id(), "samples", n, "correct", correct,
                    "accuracy", acc / 100, "seconds", secs, "confusion", confusion));
        } else {
            ctx.out().printf(Locale.ROOT, "accuracy %.2f %% (%,d of %,d) on %s, back end %s, %.2f s (%,.0f samples/s)%n", acc, correct, n,
                    name, engine.id(), secs, n / Math.max(secs, 1e-9));
        }
        return OK;
    }
}
