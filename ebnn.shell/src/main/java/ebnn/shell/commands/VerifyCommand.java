package ebnn.shell.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import ebnn.api.NotFoundException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.InputRange;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.model.Model;
import ebnn.api.model.Shape;
import ebnn.api.spi.CompiledModel;
import ebnn.api.spi.InferenceEngine;
import ebnn.api.spi.ReferenceRuntime;
import ebnn.api.spi.Toolchain;
import ebnn.api.command.Args;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.command.Data;
import ebnn.api.command.Json;
import ebnn.shell.Models;

/**
 * Reference check: runs the original model file in an independent runtime (ONNX Runtime) and the
 * imported, lowered model in an in-process engine on the same samples, and reports how often they
 * agree and the first disagreements (with the sample index that reproduces the input).
 */
@Component(service = Command.class)
public class VerifyCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("verify", "check the imported model against the original file run in ONNX Runtime or the ONNX interpreter "
            + "(agreement %, first disagreements)")
            .model("MODEL.onnx")
            .option("data", "PATH", "samples to compare on, any format; labels, if any, also give both accuracies:\n" + Data.DATA_HELP)
            .with(Data::options)
            .option("random", "N", "N random byte inputs instead (default 1000 when no --data)")
            .option("seed", "S", "seed of the random inputs (default 1)")
            .option("limit", "N", "only the first N samples of --data")
            .option("backend", "ID", "in-process engine for the imported model (default jvm)")
            .option("reference", "ID", "onnxruntime (default for .onnx files), onnx-interpreter (ebnn's float interpreter of the original\n"
                    + "graph, standard and QONNX/FINN ops; the default where ONNX Runtime cannot load custom ops), or\n"
                    + "imported-ir (the imported model's own float evaluation: not independent of the import)")
            .flag("json", null)
            .note("exit status 0 when all samples agree, 1 otherwise")
            .build();

    @Reference
    private Toolchain toolchain;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ReferenceRuntime> references;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int execute(Ctx ctx) {
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
            ctx.progress("running " + file.getFileName() + " in " + (ref == null ? IMPORTED_IR_REFERENCE : ref.description()) + " and '" + b.name()
                    + "' in back end " + engine.id() + " on " + source + " ...");
        long t0 = System.nanoTime();
        int[] byRef;
        // where the file does not declare its range the reference runs it on the range the import used
        InputRange assumed = new InputRange(m.input().low(), m.input().high());
        try {
            byRef = ref == null ? importedIrReference(m, chw, n) : ref.classify(file, chw, n, null, assumed);
        } catch (UnsupportedModelException e) {
            // custom-op files (FINN, QONNX) do not load in ONNX Runtime: run the original graph in the interpreter instead
            ReferenceRuntime interpreter = a.value("reference") == null && ref != null && ref.id().equals(ORT) ? byId(INTERPRETER) : null;
            if (interpreter == null)
                throw e;
            if (!ctx.json())
                ctx.progress(ebnn.api.command.Errors.oneLine(e.getMessage()) + "; running the original graph in " + interpreter.id() + " instead");
            ref = interpreter;
            t0 = System.nanoTime();
            byRef = ref.classify(file, chw, n, null, assumed);
        }
        String refId = ref == null ? IMPORTED_IR : ref.id(), refName = ref == null ? IMPORTED_IR_REFERENCE : ref.description();
        // a reference can only check the input range where the file states it; elsewhere it runs on the import's assumption
        boolean rangeChecked = ref != null && ref.declaredInputRange(file).isPresent();
        // why not: the file says nothing, or (ONNX Runtime) the reference reads the input the way the import does
        boolean fileDeclares = !rangeChecked && ref != null && !ref.id().equals(INTERPRETER) && declaresForInterpreter(file);
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
            ctx.printJson(Json.obj("model", file.toString(), "reference", refName, "referenceId", refId, "inputRangeChecked", rangeChecked,
                    "backend", engine.id(), "samples", n, "agree", agree,
                    "agreement", pct / 100, "referenceAccuracy", labels == null ? null : (double) refCorrect / n, "backendAccuracy",
                    labels == null ? null : (double) engCorrect / n, "disagreements", first));
        } else {
            ctx.out().println("reference: " + refId + ", " + refName);
            if (ref == null)
                ctx.out().println("note: the imported model's own float evaluation is not independent of the import: it cannot catch a mis-read file");
            else if (!rangeChecked)
                ctx.out().printf(Locale.ROOT, "note: %s cannot check the input range because %s: it ran the file on the range "
                        + "the import %s (the first layer sees %s for bytes 0..255)%n", refId,
                        fileDeclares ? "it maps the input as the import does (--reference " + INTERPRETER + " checks the range the file declares)"
                                : "the file does not declare it",
                        switch (m.input().rangeSource()) {
                            case GIVEN -> "was given";
                            case DECLARED -> "read from the file";
                            case ASSUMED -> "assumed";
                        }, InputRange.text(assumed.low(), assumed.high()));
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

    static final String ORT = "onnxruntime", INTERPRETER = "onnx-interpreter", IMPORTED_IR = "imported-ir";
    static final String IMPORTED_IR_REFERENCE = "float evaluation of the imported model (double precision, before lowering)";

    private static int[] importedIrReference(Model m, byte[] chw, int n) {
        FloatEvaluator ev = new FloatEvaluator(m);
        int size = m.input().shape().size();
        int[] out = new int[n];
        for (int i = 0; i < n; i++)
            out[i] = ev.classify(java.util.Arrays.copyOfRange(chw, i * size, (i + 1) * size));
        return out;
    }

    /** Whether the interpreter (if installed) finds an input range declared in the file. */
    private boolean declaresForInterpreter(Path file) {
        ReferenceRuntime interpreter = byId(INTERPRETER);
        try {
            return interpreter != null && interpreter.declaredInputRange(file).isPresent();
        } catch (ebnn.api.EbnnException e) {
            return false;
        }
    }

    private ReferenceRuntime byId(String id) {
        for (ReferenceRuntime r : references == null ? List.<ReferenceRuntime>of() : references)
            if (r.id().equals(id))
                return r;
        return null;
    }

    /**
     * The reference runtime to use; null means the imported model's own float evaluation ("--reference imported-ir").
     * Without --reference: ONNX Runtime where it takes the file, else the first runtime that does (the interpreter).
     */
    private ReferenceRuntime reference(String id, Path file) {
        if (!java.nio.file.Files.isRegularFile(file))
            throw new NotFoundException("model file not found: " + file);
        if (IMPORTED_IR.equals(id))
            return null;
        List<ReferenceRuntime> refs = new ArrayList<>(references == null ? List.of() : references);
        refs.sort(java.util.Comparator.comparing((ReferenceRuntime r) -> !r.id().equals(ORT)).thenComparing(ReferenceRuntime::id));
        for (ReferenceRuntime r : refs)
            if (id == null ? r.accepts(file) : r.id().equals(id))
                return r;
        List<String> known = new ArrayList<>(refs.stream().map(ReferenceRuntime::id).toList());
        known.add(IMPORTED_IR);
        if (id == null)
            throw new UnsupportedModelException("no reference runtime runs " + file.getFileName() + " (available: " + String.join(", ", known)
                    + "); --reference " + IMPORTED_IR + " compares with the imported model's own float evaluation, which is not independent of the import");
        throw new NotFoundException("unknown reference runtime '" + id + "'; available: " + String.join(", ", known));
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
