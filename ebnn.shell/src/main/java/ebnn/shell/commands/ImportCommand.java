package ebnn.shell.commands;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ebnn.api.spi.Toolchain;
import ebnn.api.command.Args;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.command.Json;
import ebnn.shell.Models;
import ebnn.shell.Describe;
import ebnn.api.spi.ImportResult;

/** Reads a model file and prints what the importer recognised. */
@Component(service = Command.class)
public class ImportCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("import", "read a model file (.onnx, .ebnn, an eBNN C header, a tinier-nn model.def) and print what the "
            + "importer recognised; save it with ebnn:export")
            .model("FILE")
            .flag("json", null).build();

    @Reference
    private Toolchain toolchain;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int execute(Ctx ctx) {
        ImportResult r = Models.load(ctx, toolchain, ctx.args().positional(0));
        if (ctx.json()) {
            ctx.printJson(Json.obj("report", r.report(), "model", Describe.json(r.model())));
            return OK;
        }
        r.report().forEach(ctx.out()::println);
        var m = r.model();
        ctx.out().println("imported model '" + m.name() + "': input " + m.input().shape() + ", " + m.layers().size() + " layers, "
                + (m.outputKind() == ebnn.api.model.OutputKind.BITS ? "output " + m.classes() + " bits (no classes), " : m.classes() + " classes, ")
                + ebnn.api.command.Table.num(Describe.params(m)) + " parameters");
        return OK;
    }
}
