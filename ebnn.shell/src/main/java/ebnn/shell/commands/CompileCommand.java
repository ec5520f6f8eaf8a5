package ebnn.shell.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ebnn.api.spi.Toolchain;
import ebnn.api.command.Args;
import ebnn.api.command.Data;
import ebnn.api.command.UsageException;
import ebnn.api.data.DataException;
import ebnn.api.data.DataOptions;
import ebnn.api.data.Sample;
import ebnn.api.data.SampleReader;
import ebnn.api.data.Samples;
import ebnn.api.model.Model;
import java.util.Map;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.command.Json;
import ebnn.shell.Models;
import ebnn.shell.Describe;
import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.CompileResult;

/** Generates code for a device with a code-generating back end. */
@Component(service = Command.class)
public class CompileCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("compile", "generate code for a device with a code-generating back end (see ebnn:backends) and print its report")
            .model("MODEL")
            .required("backend", "ID", "code generator, e.g. c")
            .required("device", "D", "target device (ebnn:devices); a model over budget is refused before anything is written")
            .required("out", "DIR", "output folder")
            .flag("arduino", "lay the output out as an Arduino library")
            .option("sample", "FILE", "the sample the example (Arduino sketch, example.c) embeds and classifies: an image, a .npy\n"
                    + "of one sample, a CSV row, ... (default: all zeros)")
            .option("data", "PATH", "or the first sample of a data set (any format ebnn:eval reads)")
            .with(Data::options)
            .flag("force", "overwrite files already in DIR")
            .option("symbol", "NAME", "C identifier prefix and Arduino library name (default: the MODEL file's base name,\n"
                    + "my-digits.onnx -> my_digits, so two models make two libraries; builtin:demo -> the model's name)")
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
        String backend = a.required("backend");
        Device device = toolchain.device(a.required("device"));
        Path out = ctx.path(a.required("out"));
        Model m = Models.model(ctx, toolchain, a.positional(0));
        if (a.value("symbol") == null && !a.positional(0).startsWith("builtin:"))
            m = new Model(baseName(a.positional(0)), m.input(), m.layers(), m.labels()); // the generator makes a C symbol of it
        BinaryModel b = toolchain.lower(m);
        CompileResult r = toolchain.compile(b, backend, device, out,
                new CompileOptions(a.value("symbol"), a.flag("arduino"), a.flag("force"), sample(ctx, m, b)));
        if (ctx.json()) {
            List<String> files = new ArrayList<>();
            r.files().forEach(f -> files.add(f.toString()));
            ctx.printJson(Json.obj("model", b.name(), "backend", backend, "device", device.name(), "outDir", r.outDir().toString(), "files",
                    files, "plan", Describe.json(r.plan()), "report", r.report(), "energy", EnergyEstimate.json(device)));
            return OK;
        }
        if (r.report() != null && !r.report().isBlank())
            ctx.out().println(r.report().stripTrailing());
        ctx.out().println(EnergyEstimate.line(device));
        ctx.out().println("wrote " + r.files().size() + " file" + (r.files().size() == 1 ? "" : "s") + " to " + r.outDir() + ":");
        r.files().forEach(f -> ctx.out().println("  " + (f.startsWith(r.outDir()) ? r.outDir().relativize(f) : f)));
        return OK;
    }

    /** The file name without folder and extension: "models/my-digits.onnx" -> "my-digits". */
    static String baseName(String file) {
        String n = java.nio.file.Path.of(file).getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** The example's sample as the back end's {@code sample} option (HWC bytes), read before anything is written. */
    private static Map<String, String> sample(Ctx ctx, Model m, BinaryModel b) {
        Args a = ctx.args();
        if (a.value("sample") != null && a.value("data") != null)
            throw new UsageException("give --sample FILE or --data PATH, not both");
        String from = a.value("sample") != null ? a.value("sample") : a.value("data");
        if (from == null)
            return Map.of();
        DataOptions o = Data.options(ctx, m.input());
        try (SampleReader r = Data.open(ctx, from, a.value("sample") != null ? o.withSingle(true) : o)) {
            Sample s = r.next();
            if (s == null)
                throw new DataException(r.name() + ": no samples");
            byte[] hwc = Samples.chwToHwc(s.bytes(), 1, b.input());
            StringBuilder sb = new StringBuilder();
            for (byte x : hwc)
                sb.append(sb.length() == 0 ? "" : ",").append(x & 0xff);
            String origin = s.origin() + (s.labelled() ? ", label " + s.label() : "");
            return Map.of("sample", sb.toString(), "sample-origin", origin);
        }
    }
}
