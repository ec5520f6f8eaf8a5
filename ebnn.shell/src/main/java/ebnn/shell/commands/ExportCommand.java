package ebnn.shell.commands;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import ebnn.api.spi.Toolchain;
import ebnn.shell.AbstractCommand;
import ebnn.shell.Args;
import ebnn.shell.Command;
import ebnn.shell.Ctx;
import ebnn.shell.Json;
import ebnn.shell.Models;
import ebnn.api.model.Model;

/** Writes a model in ebnn's own versioned format. */
@Component(service = Command.class, property = { "osgi.command.scope=ebnn", "osgi.command.function=export" })
public class ExportCommand extends AbstractCommand {

    @Reference
    private Toolchain toolchain;

    /** Foreign formats (e.g. the ONNX writer for FILE.onnx); .ebnn otherwise. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile java.util.List<ebnn.api.spi.ModelWriter> writers;

    @Descriptor("writes a model (any importable file or a built-in model) as a .ebnn file, a standard-op .onnx file or a tinier-nn .def file")
    public Object export(CommandSession session, @Descriptor("MODEL FILE.ebnn|FILE.onnx|FILE.def [--force] [--json]") String... args) {
        return run(session, args);
    }

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String usage() {
        return "MODEL [--input-range LOW,HIGH] FILE.ebnn|FILE.onnx|FILE.def [--force] [--json]";
    }

    @Override
    public String summary() {
        return "write a model (any importable file or a built-in model) in ebnn's own format (.ebnn), as standard-op ONNX (.onnx), or as a tinier-nn model.def (.def, dense bit models)";
    }

    @Override
    public String details() {
        return "--force  replace FILE if it exists (it is replaced in one step: an interrupted write leaves the old file whole)";
    }

    @Override
    protected Args.Options options() {
        return Args.options().model("MODEL").positional("FILE.ebnn").flag("force").flag("json");
    }

    @Override
    protected int execute(Ctx ctx) throws Exception {
        Path out = ctx.path(ctx.args().positional(1));
        if (Files.isDirectory(out))
            throw new ebnn.shell.UsageException("output is a directory, give a file name: " + out);
        ctx.outputFile(ctx.args().positional(1)); // refuses an existing file without --force, before importing
        Model m = Models.model(ctx, toolchain, ctx.args().positional(0));
        ebnn.api.spi.ModelWriter writer = writers == null ? null
                : writers.stream().filter(w -> w.accepts(out)).findFirst().orElse(null);
        if (writer != null)
            writer.write(m, out);
        else
            toolchain.writeModel(m, out);
        long size = Files.size(out);
        if (ctx.json())
            ctx.printJson(Json.obj("model", m.name(), "file", out.toString(), "bytes", size));
        else
            ctx.out().println("wrote model '" + m.name() + "' to " + out + " (" + size + " bytes)");
        return OK;
    }
}
