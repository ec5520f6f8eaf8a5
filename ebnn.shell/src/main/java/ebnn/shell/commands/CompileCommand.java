package ebnn.shell.commands;

import java.nio.file.Path;
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
import ebnn.shell.Describe;
import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.CompileResult;

/** Generates code for a device with a code-generating back end. */
@Component(service = Command.class, property = { "osgi.command.scope=ebnn", "osgi.command.function=compile" })
public class CompileCommand extends AbstractCommand {

    @Reference
    private Toolchain toolchain;

    @Descriptor("generates code for a device with a code-generating back end and prints the memory report")
    public Object compile(CommandSession session,
            @Descriptor("MODEL --backend ID --device D --out DIR [--arduino] [--force] [--symbol NAME] [--json]") String... args) {
        return run(session, args);
    }

    @Override
    public String name() {
        return "compile";
    }

    @Override
    public String usage() {
        return "MODEL [--input-range LOW,HIGH] --backend ID --device D --out DIR [--arduino] [--force] [--symbol NAME] [--json]";
    }

    @Override
    public String summary() {
        return "generate code for a device with a code-generating back end (see ebnn:backends) and print its report";
    }

    @Override
    public String details() {
        return "--backend ID   code generator, e.g. c\n"
                + "--device D     target device (ebnn:devices); a model over budget is refused before anything is written\n"
                + "--out DIR      output folder\n"
                + "--arduino      lay the output out as an Arduino library\n"
                + "--force        overwrite files already in DIR\n"
                + "--symbol NAME  C identifier prefix (default: from the model name)";
    }

    @Override
    protected Args.Options options() {
        return Args.options().model("MODEL").option("backend", "ID").option("device", "D").option("out", "DIR").option("symbol", "NAME")
                .flag("arduino").flag("force").flag("json");
    }

    @Override
    protected int execute(Ctx ctx) {
        Args a = ctx.args();
        String backend = a.required("backend");
        Device device = toolchain.device(a.required("device"));
        Path out = ctx.path(a.required("out"));
        BinaryModel b = toolchain.lower(Models.model(ctx, toolchain, a.positional(0)));
        CompileResult r = toolchain.compile(b, backend, device, out,
                new CompileOptions(a.value("symbol"), a.flag("arduino"), a.flag("force"), java.util.Map.of()));
        if (ctx.json()) {
            List<String> files = new ArrayList<>();
            r.files().forEach(f -> files.add(f.toString()));
            ctx.printJson(Json.obj("model", b.name(), "backend", backend, "device", device.name(), "outDir", r.outDir().toString(), "files",
                    files, "plan", Describe.json(r.plan()), "report", r.report()));
            return OK;
        }
        if (r.report() != null && !r.report().isBlank())
            ctx.out().println(r.report().stripTrailing());
        ctx.out().println("wrote " + r.files().size() + " file" + (r.files().size() == 1 ? "" : "s") + " to " + r.outDir() + ":");
        r.files().forEach(f -> ctx.out().println("  " + (f.startsWith(r.outDir()) ? r.outDir().relativize(f) : f)));
        return OK;
    }
}
