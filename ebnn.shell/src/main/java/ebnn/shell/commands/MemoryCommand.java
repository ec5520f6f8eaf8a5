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
import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;

/** The exact memory of a model on a device, per region; non-zero exit when it does not fit. */
@Component(service = Command.class, property = { "osgi.command.scope=ebnn", "osgi.command.function=memory" })
public class MemoryCommand extends AbstractCommand {

    @Reference
    private Toolchain toolchain;

    @Descriptor("plans a model's flash and RAM on a device; fails with 'over by N bytes' when it does not fit")
    public Object memory(CommandSession session, @Descriptor("MODEL --device D [--backend ID] [--json]") String... args) {
        return run(session, args);
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String usage() {
        return "MODEL [--input-range LOW,HIGH] --device D [--backend ID] [--json]";
    }

    @Override
    public String summary() {
        return "plan a model's flash (weights, thresholds, code) and RAM (input, buffers, scores, stack) on a device";
    }

    @Override
    public String details() {
        return "--device D   a device from ebnn:devices (e.g. atmega328p, cortex-m4)\n"
                + "--backend ID the code generator's own stack and code bounds instead of the planner's estimates\n"
                + "             (the numbers ebnn:compile checks and reports; data sizes are exact either way)\n"
                + "exits with status 1 and 'over by N bytes' when the model does not fit";
    }

    @Override
    protected Args.Options options() {
        return Args.options().model("MODEL").option("device", "D").option("backend", "ID").flag("json");
    }

    /** The line that says whose code and stack bounds a plan used. */
    public static String bounds(String backend) {
        return backend == null ? "code and stack: the planner's estimates (no code generator for this device is installed)"
                : "code and stack: bounds of back end " + backend + "'s generated code, the numbers ebnn:compile --backend " + backend + " checks";
    }

    @Override
    protected int execute(Ctx ctx) {
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
            ctx.out().println(bounds(backend));
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
