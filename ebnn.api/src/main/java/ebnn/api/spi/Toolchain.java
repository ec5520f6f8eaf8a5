package ebnn.api.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.model.Model;

/**
 * The whole pipeline as one service: import, the eBNN passes, planning, and dispatch to the back
 * ends currently registered. Safe to call from many threads.
 */
public interface Toolchain {
    /** Reads any model file an importer (or the built-in .ebnn reader) accepts. */
    ImportResult importModel(Path file);

    /**
     * Reads a model file taking its input to have the given range (the values the file's input
     * takes for byte 0 and 255); {@code null} is {@link #importModel(Path)}.
     *
     * @since 1.2
     */
    default ImportResult importModel(Path file, ebnn.api.model.InputRange range) {
        ImportResult r = importModel(file);
        if (range == null)
            return r;
        ebnn.api.model.Model m = r.model();
        java.util.List<String> report = new java.util.ArrayList<>(r.report());
        report.add("input range " + ebnn.api.model.InputRange.text(range.low(), range.high()) + " (given with --input-range)");
        return new ImportResult(new ebnn.api.model.Model(m.name(), range.applyTo(m.input()), m.layers(), m.labels()), report);
    }

    /** Writes the float-level model in ebnn's own versioned protobuf format (.ebnn). */
    void writeModel(Model model, Path file);

    /**
     * Writes the model as .ebnn in the given form: {@link ModelForm#FLOAT} is {@link #writeModel(Model, Path)};
     * {@link ModelForm#THRESHOLDS} the integer model's thresholds and scores, smaller, lowering identically.
     * Default: the float form (a toolchain that cannot lower writes what it has).
     *
     * @since 1.4
     */
    default void writeModel(Model model, Path file, ModelForm form) {
        writeModel(model, file);
    }

    /** Runs the eBNN passes: fold batch norm and sign into thresholds, fuse blocks, pack bits. */
    BinaryModel lower(Model model);

    /** Exact memory of the model on the device (never throws for a model that does not fit; see {@link MemoryPlan#fits()}). */
    MemoryPlan plan(BinaryModel model, Device device);

    /**
     * The plan with the stack and code bounds of one code generator's output for this model (see
     * {@link CodeGenerator#refine}); the plan {@link #compile} checks and reports. Default: the
     * planner's estimates.
     *
     * @since 1.1
     */
    default MemoryPlan plan(BinaryModel model, Device device, String backendId) {
        return plan(model, device);
    }

    /**
     * The code generator whose bounds a plan uses when none is named: the one {@code compile} would
     * most likely be asked for ("c" where it supports the device, else the first by id that does),
     * or null when no installed generator supports the device (then plans are the planner's estimates).
     *
     * @since 1.3
     */
    default String defaultGenerator(Device device) {
        return null;
    }

    /**
     * The plan with the bounds of the named code generator, or of {@link #defaultGenerator} when
     * {@code backendId} is null: the same numbers {@code compile} checks for that generator.
     *
     * @since 1.3
     */
    default MemoryPlan planAsCompiled(BinaryModel model, Device device, String backendId) {
        String id = backendId != null ? backendId : defaultGenerator(device);
        return id == null ? plan(model, device) : plan(model, device, id);
    }

    /** Generates code with a code-generating back end into {@code outDir}; refuses a model over budget before writing. */
    CompileResult compile(BinaryModel model, String backendId, Device device, Path outDir, CompileOptions options);

    List<Device> devices();

    Device device(String name);

    List<Backend> backends();

    Optional<Backend> backend(String id);

    /** The in-process engine to run models with ("jvm" unless another is asked for). */
    InferenceEngine engine(String id);
}
