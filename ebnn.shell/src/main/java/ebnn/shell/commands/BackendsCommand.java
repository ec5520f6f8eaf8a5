package ebnn.shell.commands;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import ebnn.api.Device;
import ebnn.api.spi.Backend;
import ebnn.api.spi.CodeGenerator;
import ebnn.api.spi.InferenceEngine;
import ebnn.api.command.Args;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.command.Json;
import ebnn.api.command.Table;

/** Lists the back ends registered right now (a bundle started at runtime shows at once). */
@Component(service = Command.class)
public class BackendsCommand implements Command {
    static final CommandSpec SPEC = CommandSpec.command("backends", "list the back ends registered right now: id, kind, devices, description")
            .flag("json", null).build();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Backend> backends;

    /** Kind of a back end for people: "code generator", "inference engine" or "backend". */
    public static String kind(Backend b) {
        return b instanceof CodeGenerator ? "code generator" : b instanceof InferenceEngine ? "inference engine" : "backend";
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int execute(Ctx ctx) {
        List<Backend> list = new ArrayList<>(backends == null ? List.of() : backends);
        list.sort(Comparator.comparing(Backend::id));
        List<Map<String, Object>> rows = new ArrayList<>();
        Table t = new Table("ID", "KIND", "DEVICES", "DESCRIPTION");
        for (Backend b : list) {
            List<String> devices = new ArrayList<>();
            for (Device d : Device.BUILT_IN) {
                try {
                    if (b.supports(d))
                        devices.add(d.name());
                } catch (RuntimeException e) {
                    // a broken back end must not break the listing
                }
            }
            String devs = devices.size() == Device.BUILT_IN.size() ? "all" : String.join(",", devices);
            t.row(b.id(), kind(b), devs.isEmpty() ? "-" : devs, b.description());
            rows.add(Json.obj("id", b.id(), "kind", kind(b).replace(' ', '-'), "devices", devices, "description", b.description()));
        }
        if (ctx.json()) {
            ctx.printJson(rows);
        } else if (list.isEmpty()) {
            ctx.out().println("no back ends registered");
        } else {
            ctx.out().print(t);
        }
        return OK;
    }
}
