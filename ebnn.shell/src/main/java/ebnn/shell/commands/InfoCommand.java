package ebnn.shell.commands;

import java.util.List;

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
import ebnn.api.command.Table;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.Block;
import ebnn.api.model.Layer;
import ebnn.api.model.Model;
import ebnn.api.model.Shape;

/** Shows a model: layers, shapes and parameters, then the eBNN blocks it lowers to. */
@Component(service = Command.class)
public class InfoCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("info", "show a model's layers, shapes and parameters, then its lowered eBNN blocks")
            .model("MODEL")
            .flag("json", null)
            .note("MODEL is a .ebnn or .onnx file, an eBNN C header, a tinier-nn model.def, or a built-in model ("
                    + String.join(", ", Models.builtInNames()) + ")")
            .build();

    @Reference
    private Toolchain toolchain;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int execute(Ctx ctx) {
        Model m = Models.model(ctx, toolchain, ctx.args().positional(0));
        BinaryModel b = toolchain.lower(m);
        if (ctx.json()) {
            ctx.printJson(Json.obj("model", Describe.json(m), "lowered", Describe.json(b)));
            return OK;
        }
        var out = ctx.out();
        out.println("model '" + m.name() + "': input " + m.input().shape() + " (" + m.input().sourceLayout() + ", values "
                + num(m.input().low()) + ".." + num(m.input().high()) + "), "
                + (m.outputKind() == ebnn.api.model.OutputKind.BITS ? "output " + m.classes() + " bits (a bit vector, no classes), " : m.classes() + " classes, ")
                + Table.num(Describe.params(m)) + " parameters");
        if (!m.labels().isEmpty())
            out.println("labels: " + String.join(", ", m.labels()));
        List<Shape> shapes = m.shapes();
        Table t = new Table("#", "LAYER", "KIND", "OUTPUT", "PARAMS", "DETAIL").right(0, 4);
        for (int i = 0; i < m.layers().size(); i++) {
            Layer l = m.layers().get(i);
            t.row(i, l.name(), l.kind(), shapes.get(i + 1), Table.num(Describe.params(l)), Describe.detail(l));
        }
        out.print(t);
        out.println();
        out.println("lowered to " + b.blocks().size() + " eBNN block" + (b.blocks().size() == 1 ? "" : "s")
                + " (integer only; bits packed LSB first, HWC):");
        Table bt = new Table("#", "BLOCK", "KIND", "INPUT", "OUTPUT", "MAX |ACC|", "DETAIL").right(0, 5);
        for (int i = 0; i < b.blocks().size(); i++) {
            Block k = b.blocks().get(i);
            bt.row(i, k.name(), Describe.kind(k), k.inputShape(), k.outputShape(), Table.num(k.maxAccumulator()), Describe.detail(k));
        }
        out.print(bt);
        return OK;
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
