package ebnn.shell.commands;

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
import ebnn.api.spi.ImportResult;

/** Reads a model file and prints what the importer recognised. */
@Component(service = Command.class, property = { "osgi.command.scope=ebnn", "osgi.command.function=import" })
public class ImportCommand extends AbstractCommand {

    @Reference
    private Toolchain toolchain;

    @Descriptor("reads a model file (.onnx, .ebnn, an eBNN C header, a tinier-nn model.def) and prints what the importer recognised")
    public Object _import(CommandSession session, @Descriptor("FILE [--json]") String... args) {
        return run(session, args);
    }

    @Override
    public String name() {
        return "import";
    }

    @Override
    public String usage() {
        return "FILE [--input-range LOW,HIGH] [--json]";
    }

    @Override
    public String summary() {
        return "read a model file (.onnx, .ebnn, an eBNN C header, a tinier-nn model.def) and print what the importer recognised; save it with ebnn:export";
    }

    @Override
    protected Args.Options options() {
        return Args.options().model("FILE").flag("json");
    }

    @Override
    protected int execute(Ctx ctx) {
        ImportResult r = Models.load(ctx, toolchain, ctx.args().positional(0));
        if (ctx.json()) {
            ctx.printJson(Json.obj("report", r.report(), "model", Describe.json(r.model())));
            return OK;
        }
        r.report().forEach(ctx.out()::println);
        var m = r.model();
        ctx.out().println("imported model '" + m.name() + "': input " + m.input().shape() + ", " + m.layers().size() + " layers, "
                + (m.outputKind() == ebnn.api.model.OutputKind.BITS ? "output " + m.classes() + " bits (no classes), " : m.classes() + " classes, ")
                + ebnn.shell.Table.num(Describe.params(m)) + " parameters");
        return OK;
    }
}
