package ebnn.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import ebnn.api.NotFoundException;
import ebnn.api.command.Ctx;
import ebnn.api.model.InputRange;
import ebnn.api.model.Model;
import ebnn.api.spi.ImportResult;
import ebnn.api.spi.Toolchain;
import ebnn.shell.demo.DemoModel;

/**
 * Turns a MODEL argument into a model: a file any importer reads (.ebnn, .onnx, ...) or a built-in
 * model {@code builtin:NAME} that needs no file. Every command that reads a model takes
 * {@code --input-range LOW,HIGH} (declared by {@link ebnn.api.command.CommandSpec.Builder#model}): the values the file's input
 * takes for byte 0 and byte 255, in place of what the file says or the importer assumes.
 */
public final class Models {
    public static final String BUILTIN = "builtin:";

    private static final Map<String, Supplier<Model>> BUILT_IN = Map.of("demo", DemoModel::build);

    private Models() {
    }

    public static List<String> builtInNames() {
        return BUILT_IN.keySet().stream().sorted().map(n -> BUILTIN + n).toList();
    }

    public static ImportResult load(Ctx ctx, Toolchain toolchain, String arg) {
        InputRange range = ctx.args().inputRange();
        if (arg.startsWith(BUILTIN)) {
            Supplier<Model> s = BUILT_IN.get(arg.substring(BUILTIN.length()));
            if (s == null)
                throw new NotFoundException("unknown built-in model '" + arg + "'; built-in models: " + String.join(", ", builtInNames()));
            Model m = s.get();
            if (range != null)
                m = new Model(m.name(), range.applyTo(m.input()), m.layers(), m.labels());
            return new ImportResult(m, List.of("built-in model " + arg, "input range " + InputRange.text(m.input().low(), m.input().high())
                    + (range != null ? " (given with --input-range)" : "")));
        }
        Path p = ctx.path(arg);
        if (!Files.exists(p))
            throw new NotFoundException("model file not found: " + p);
        if (Files.isDirectory(p))
            throw new NotFoundException("model path is a directory, not a file: " + p);
        return toolchain.importModel(p, range);
    }

    public static Model model(Ctx ctx, Toolchain toolchain, String arg) {
        return load(ctx, toolchain, arg).model();
    }
}
