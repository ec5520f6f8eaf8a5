package ebnn.shell.commands;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ebnn.api.spi.Toolchain;
import ebnn.api.command.Args;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.command.Json;
import ebnn.api.command.MemoryBounds;
import ebnn.shell.Models;
import ebnn.shell.Describe;
import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;

/** The exact memory of a model on a device, per region; non-zero exit when it does not fit. */
@Component(service = Command.class)
public class MemoryCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("memory", "plan a model's flash (weights, thresholds, code) and RAM (input, buffers, scores, stack) on a device")
            .model("MODEL")
            .required("device", "D", "a device from ebnn:devices (e.g. atmega328p, cortex-m4)")
            .option("backend", "ID", "whose stack and code bounds to plan with (default: the device's default code generator;\n"
                    + "the numbers ebnn:compile checks and reports; data sizes are exact either way)")
            .flag("json", null)
            .note("exits with status 1 and 'over by N bytes' when the model does not fit")
            .build();

    @Reference
    private Toolchain toolchain;


    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int execute(Ctx ctx) {
        Device device = toolchain.device(ctx.args().required("device"));
        var model = Models.model(ctx, toolchain, ctx.args().positional(0));
        // a code generator's own stack/code bounds (what ebnn:compile checks and reports): the one named, else the default
        String backend = ctx.args().value("backend") != null ? ctx.args().value("backend") : toolchain.defaultGenerator(device);
        BinaryModel lowered = toolchain.lower(model);
        MemoryPlan plan = toolchain.planAsCompiled(lowered, device, backend);
        if (ctx.json()) {
            java.util.Map<String, Object> j = new java.util.LinkedHashMap<>(Describe.json(plan));
            j.put("bounds", backend == null ? "planner estimates" : "back end " + backend);
            ctx.printJson(j);
        } else {
            ctx.out().print(Describe.text(plan));
            ctx.out().println(lowered.outputKind() == ebnn.api.model.OutputKind.BITS
                    ? "output: a vector of " + lowered.classes() + " bits (no classes); \"output bits\" is the caller's packed copy of them"
                    : "output: " + lowered.classes() + " classes; \"scores\" is the caller's int32 array");
            ctx.out().println(MemoryBounds.line(backend));
        }
        if (!plan.fits()) {
            plan.overflows().forEach(o -> ctx.err().println("error: model '" + plan.model() + "' does not fit " + device.name() + ": "
                    + o.region() + " needs " + o.neededBytes() + " of " + o.availableBytes() + " bytes, over by " + o.excessBytes()
                    + " bytes"));
            return FAILED;
        }
        return OK;
    }
}
