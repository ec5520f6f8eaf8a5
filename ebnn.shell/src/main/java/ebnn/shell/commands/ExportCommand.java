package ebnn.shell.commands;

import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import ebnn.api.spi.Toolchain;
import ebnn.api.command.Args;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.command.Json;
import ebnn.shell.Models;
import ebnn.api.model.Model;

/** Writes a model in ebnn's own versioned format. */
@Component(service = Command.class)
public class ExportCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("export", "write a model (any importable file or a built-in model) in ebnn's own format (.ebnn), as "
            + "standard-op ONNX (.onnx), or as a tinier-nn model.def (.def, dense bit models)")
            .model("MODEL")
            .argument("FILE.ebnn|FILE.onnx|FILE.def", null)
            .flag("force", "replace FILE if it exists (it is replaced in one step: an interrupted write leaves the old file whole)")
            .flag("json", null).build();

    @Reference
    private Toolchain toolchain;

    /** Foreign formats (e.g. the ONNX writer for FILE.onnx); .ebnn otherwise. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile java.util.List<ebnn.api.spi.ModelWriter> writers;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int execute(Ctx ctx) throws Exception {
        Path out = ctx.path(ctx.args().positional(1));
        if (Files.isDirectory(out))
            throw new ebnn.api.command.UsageException("output is a directory, give a file name: " + out);
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
