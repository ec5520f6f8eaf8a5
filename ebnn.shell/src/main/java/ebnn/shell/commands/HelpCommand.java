package ebnn.shell.commands;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import ebnn.api.NotFoundException;
import ebnn.shell.AbstractCommand;
import ebnn.shell.Args;
import ebnn.shell.Command;
import ebnn.shell.Ctx;
import ebnn.shell.Json;

/** Lists the ebnn commands registered right now, or explains one. */
@Component(service = Command.class, property = { "osgi.command.scope=ebnn", "osgi.command.function=help" })
public class HelpCommand extends AbstractCommand {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Command> commands;

    @Descriptor("lists the ebnn commands, or explains one")
    public Object help(CommandSession session, @Descriptor("[COMMAND] [--json]") String... args) {
        return run(session, args);
    }

    @Override
    public String name() {
        return "help";
    }

    @Override
    public String usage() {
        return "[COMMAND] [--json]";
    }

    @Override
    public String summary() {
        return "list the ebnn commands, or explain one (ebnn:help memory)";
    }

    @Override
    protected Args.Options options() {
        return Args.options().optionalPositional("COMMAND").flag("json");
    }

    @Override
    protected int execute(Ctx ctx) {
        List<Command> all = new ArrayList<>(commands == null ? List.of() : commands);
        all.sort(Comparator.comparing(Command::name));
        String which = ctx.args().positional(0);
        if (which != null) {
            String n = which.startsWith("ebnn:") ? which.substring(5) : which;
            Command c = all.stream().filter(x -> x.name().equals(n)).findFirst()
                    .orElseThrow(() -> new NotFoundException("no ebnn command '" + which + "'; commands: "
                            + String.join(", ", all.stream().map(Command::name).toList())));
            if (ctx.json())
                ctx.printJson(Json.obj("name", c.name(), "usage", c.usage(), "summary", c.summary(), "details", c.details()));
            else
                ctx.out().print(c instanceof AbstractCommand ac ? ac.helpText() : "usage: ebnn:" + c.name() + " " + c.usage() + "\n  " + c.summary() + "\n");
            return OK;
        }
        if (ctx.json()) {
            List<Object> rows = new ArrayList<>();
            all.forEach(c -> rows.add(Json.obj("name", c.name(), "usage", c.usage(), "summary", c.summary())));
            ctx.printJson(rows);
            return OK;
        }
        var out = ctx.out();
        out.println("ebnn: binarized neural networks for microcontrollers (eBNN), integer-only and bit-exact");
        out.println();
        out.println("commands (ebnn:NAME in the Gogo shell; java -jar ebnn.jar ebnn:NAME ... from a terminal):");
        int w = all.stream().mapToInt(c -> c.name().length()).max().orElse(4);
        for (Command c : all)
            out.println("  " + c.name() + " ".repeat(w - c.name().length() + 2) + c.summary());
        out.println();
        out.println("ebnn:NAME --help (or ebnn:help NAME) explains a command's options; most take --json.");
        out.println("MODEL is a .ebnn or .onnx file, an eBNN C header (kunglab/ebnn), a tinier-nn model.def, or builtin:demo.");
        return OK;
    }
}
