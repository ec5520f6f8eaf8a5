package ebnn.shell.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import ebnn.api.NotFoundException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.model.Model;
import ebnn.api.model.Shape;
import ebnn.api.spi.CompiledModel;
import ebnn.api.spi.InferenceEngine;
import ebnn.api.spi.ReferenceRuntime;
import ebnn.api.spi.Toolchain;
import ebnn.shell.AbstractCommand;
import ebnn.shell.Args;
import ebnn.shell.Command;
import ebnn.shell.Ctx;
import ebnn.shell.Data;
import ebnn.shell.Json;
import ebnn.shell.Models;

/**
 * Reference check: runs the original model file in an independent runtime (ONNX Runtime) and the
 * imported, lowered model in an in-process engine on the same samples, and reports how often they
 * agree and the first disagreements (with the sample index that reproduces the input).
 */
@Component(service = Command.class, property = { "osgi.command.scope=ebnn", "osgi.command.function=verify" })
public class VerifyCommand extends AbstractCommand {

    @Reference
    private Toolchain toolchain;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ReferenceRuntime> references;

    @Descriptor("runs a model file in ONNX Runtime and the imported model in the JVM runtime on the same inputs; prints agreement")
    public Object verify(CommandSession session,
            @Descriptor("MODEL.onnx [--data PATH | --random N] [--seed S] [--limit N] [--backend jvm] [--json]") String... args) {
        return run(session, args);
    }

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String usage() {
        return "MODEL.onnx [--data PATH | --random N] [--seed S] [--limit N] [--backend jvm] [--reference ID] [--json]";
    }

    @Override
    public String summary() {
        return "check the imported model against the original file run in ONNX Runtime (agreement %, first disagreements)";
    }

    @Override
    public String details() {
        return "--data PATH     samples to compare on, any format (below); labels, if any, also give both accuracies\n"
                + Data.HELP + "\n"
                + "--random N      N random byte inputs instead (default 1000 when no --data)\n"
                + "--seed S        seed of the random inputs (default 1)\n"
                + "--limit N       only the first N samples of --data\n"
                + "--backend ID    in-process engine for the imported model (default jvm)\n"
                + "--reference ID  reference runtime: onnxruntime (default for .onnx files) or float (the imported model's\n"
                + "                double-precision evaluation before lowering; used when ONNX Runtime cannot run custom ops)\n"
                + "exit status 0 when all samples agree, 1 otherwise";
    }

    @Override
    protected Args.Options options() {
        return Data.options(Args.options()).positional("MODEL").option("data", "PATH").option("random", "N").option("seed", "S").option("limit", "N")
                .option("backend", "ID").option("reference", "ID").flag("json");
    }

    @Override
    protected int execute(Ctx ctx) {
        Args a = ctx.args();
        Path file = ctx.path(a.positional(0));
        ReferenceRuntime ref = reference(a.value("reference"), file);
        Model m = Models.model(ctx, toolchain, a.positional(0));
        BinaryModel b = toolchain.lower(m);
        InferenceEngine engine = toolchain.engine(a.value("backend", "jvm"));
        Shape s = m.input().shape();
        int size = s.size();
        byte[] chw;
        byte[] labels = null;
        int n;
        String source;
        if (a.value("data") != null) {
            Dataset d = Data.readAll(ctx, a.value("data"), Data.options(ctx, m.input()), a.positiveInt("limit", Integer.MAX_VALUE), false);
            chw = d.samples();
            labels = d.labels();
            n = d.count();
            source = d.name();
        } else {
            n = a.positiveInt("random", 1000);
            long seed = Long.parseLong(a.value("seed", "1"));
            chw = new byte[Math.multiplyExact(n, size)];
            new Random(seed).nextBytes(chw);
            source = n + " random inputs (seed " + seed + ")";
        }
        if (!ctx.json())
            ctx.progress("running " + file.getFileName() + " in " + (ref == null ? FLOAT_REFERENCE : ref.description()) + " and '" + b.name() + "' in back end " + engine.id()
                    + " on " + source + " ...");
        long t0 = System.nanoTime();
        int[] byRef;
        String refId = ref == null ? "float" : ref.id(), refName = ref == null ? FLOAT_REFERENCE : ref.description();
        try {
            byRef = ref == null ? floatReference(m, chw, n) : ref.classify(file, chw, n, null);
        } catch (UnsupportedModelException e) {
            // custom-op files (FINN, QONNX) do not run in ONNX Runtime: check against the float evaluation instead
            if (!ctx.json())
                ctx.progress(AbstractCommand.oneLine(e.getMessage()) + "; comparing with " + FLOAT_REFERENCE + " instead");
            refId = "float";
            refName = FLOAT_REFERENCE;
            byRef = floatReference(m, chw, n);
        }
        double refSecs = (System.nanoTime() - t0) / 1e9;
        CompiledModel cm = engine.load(b);
        t0 = System.nanoTime();
        int[] byEngine = cm.classifyBatch(ebnn.api.data.Samples.chwToHwc(chw, n, s), n, null);
        double engSecs = (System.nanoTime() - t0) / 1e9;
        int agree = 0, refCorrect = 0, engCorrect = 0;
        List<String> first = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (byRef[i] == byEngine[i])
                agree++;
            else if (first.size() < 10)
                first.add("sample " + i + (labels != null ? " (label " + (labels[i] & 0xff) + ")" : "") + ": " + refId + " " + byRef[i]
                        + ", " + engine.id() + " " + byEngine[i] + "; input " + describe(chw, i * size, size));
            if (labels != null) {
                refCorrect += byRef[i] == (labels[i] & 0xff) ? 1 : 0;
                engCorrect += byEngine[i] == (labels[i] & 0xff) ? 1 : 0;
            }
        }
        double pct = n == 0 ? 100 : 100.0 * agree / n;
        if (ctx.json()) {
            ctx.printJson(Json.obj("model", file.toString(), "reference", refName, "backend", engine.id(), "samples", n, "agree", agree,
                    "agreement", pct / 100, "referenceAccuracy", labels == null ? null : (double) refCorrect / n, "backendAccuracy",
                    labels == null ? null : (double) engCorrect / n, "disagreements", first));
        } else {
            ctx.out().printf(Locale.ROOT, "%s vs %s: agree on %,d of %,d samples (%.2f %%) of %s%n", refName, engine.id(), agree, n,
                    pct, source);
            if (labels != null)
                ctx.out().printf(Locale.ROOT, "accuracy: %s %.2f %%, %s %.2f %%%n", refId, 100.0 * refCorrect / n, engine.id(),
                        100.0 * engCorrect / n);
            ctx.out().printf(Locale.ROOT, "time: %s %.2f s, %s %.2f s%n", refId, refSecs, engine.id(), engSecs);
            if (!first.isEmpty()) {
                ctx.out().println("first disagreements:");
                first.forEach(l -> ctx.out().println("  " + l));
            }
        }
        return agree == n ? OK : FAILED;
    }

    static final String FLOAT_REFERENCE = "float evaluation of the imported model (double precision, before lowering)";

    private static int[] floatReference(Model m, byte[] chw, int n) {
        FloatEvaluator ev = new FloatEvaluator(m);
        int size = m.input().shape().size();
        int[] out = new int[n];
        for (int i = 0; i < n; i++)
            out[i] = ev.classify(java.util.Arrays.copyOfRange(chw, i * size, (i + 1) * size));
        return out;
    }

    /** The reference runtime to use; null means the float evaluation ("--reference float"). */
    private ReferenceRuntime reference(String id, Path file) {
        if (!java.nio.file.Files.isRegularFile(file))
            throw new NotFoundException("model file not found: " + file);
        if ("float".equals(id))
            return null;
        List<ReferenceRuntime> refs = references == null ? List.of() : references;
        for (ReferenceRuntime r : refs)
            if (id == null ? r.accepts(file) : r.id().equals(id))
                return r;
        List<String> known = refs.stream().map(ReferenceRuntime::id).toList();
        if (id == null)
            return null; // no runtime takes this file: compare with the float evaluation
        throw new NotFoundException("unknown reference runtime '" + id + "'; available: float" + (known.isEmpty() ? "" : ", " + String.join(", ", known)));
    }

    /** A short fingerprint of an input: mean byte and the first bytes, enough to find it again. */
    private static String describe(byte[] b, int off, int len) {
        long sum = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sum += b[off + i] & 0xff;
            if (i < 8)
                sb.append(i == 0 ? "" : " ").append(b[off + i] & 0xff);
        }
        return String.format(Locale.ROOT, "mean %.1f, first bytes [%s ...]", (double) sum / Math.max(1, len), sb);
    }
}
