package ebnn.shell.commands;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import ebnn.api.NotFoundException;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.command.Json;
import ebnn.shell.Commands;

/** Lists the ebnn commands registered right now, by any bundle, or explains one: all from their declarations. */
@Component(service = Command.class)
public class HelpCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("help", "list the ebnn commands, or explain one (ebnn:help memory)")
            .optionalArgument("COMMAND", "the command to explain (its --help)").flag("json", "name, usage, summary (and help text) as JSON")
            .build();

    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int execute(Ctx ctx) {
        List<Command> all = Commands.registered(context);
        String which = ctx.args().positional(0);
        if (which != null) {
            Command c = Commands.named(context, which).orElseThrow(() -> new NotFoundException("no ebnn command '" + which + "'; commands: "
                    + String.join(", ", all.stream().map(x -> x.spec().name()).toList())));
            CommandSpec s = c.spec();
            if (ctx.json())
                ctx.printJson(Json.obj("name", s.name(), "usage", s.usage(), "summary", s.summary(), "help", s.helpText()));
            else
                ctx.out().print(s.helpText());
            return OK;
        }
        if (ctx.json()) {
            List<Object> rows = new ArrayList<>();
            all.forEach(c -> rows.add(Json.obj("name", c.spec().name(), "usage", c.spec().usage(), "summary", c.spec().summary())));
            ctx.printJson(rows);
            return OK;
        }
        var out = ctx.out();
        out.println("ebnn: binarized neural networks for microcontrollers (eBNN), integer-only and bit-exact");
        out.println();
        out.println("commands (ebnn:NAME in the Gogo shell; java -jar ebnn.jar ebnn:NAME ... from a terminal):");
        int w = all.stream().mapToInt(c -> c.spec().name().length()).max().orElse(4);
        for (Command c : all)
            out.println("  " + c.spec().name() + " ".repeat(w - c.spec().name().length() + 2) + c.spec().summary());
        out.println();
        out.println("ebnn:NAME --help (or ebnn:help NAME) explains a command's options; most take --json.");
        out.println("MODEL is a .ebnn or .onnx file, an eBNN C header (kunglab/ebnn), a tinier-nn model.def, or builtin:demo.");
        return OK;
    }
}
