package ebnn.core.toolchain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ebnn.api.BackendException;
import ebnn.api.Device;
import ebnn.api.ModelFormatException;
import ebnn.api.NotFoundException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.model.Model;
import ebnn.api.spi.Backend;
import ebnn.api.spi.CodeGenerator;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.CompileResult;
import ebnn.api.spi.GeneratedCode;
import ebnn.api.spi.ImportResult;
import ebnn.api.spi.InferenceEngine;
import ebnn.api.spi.ModelImporter;
import ebnn.api.spi.Toolchain;
import ebnn.core.format.EbnnFormat;
import ebnn.core.lower.Lowering;
import ebnn.core.passes.Passes;
import ebnn.core.plan.MemoryPlanner;

/**
 * The pipeline as one service. Back ends and importers are tracked dynamically (a bundle started
 * later appears at once, a stopped one disappears), keyed by id in concurrent maps so every method
 * is safe from many threads. Generated files are written here, never by the back ends, so that
 * the checks (inside the output folder, no overwriting without force) are in one place.
 */
@Component(service = Toolchain.class)
public class DefaultToolchain implements Toolchain {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultToolchain.class);

    /** Name of the memory report written next to the generated sources. */
    public static final String MEMORY_REPORT = "memory-report.txt";

    private final Map<String, Backend> backends = new ConcurrentSkipListMap<>();
    private final Map<String, ModelImporter> importers = new ConcurrentSkipListMap<>();

    @Reference(service = Backend.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeBackend")
    public void addBackend(Backend b) {
        String id = b.id();
        Backend old = backends.put(id, b);
        if (old != null && old != b)
            LOG.warn("back end id '{}' registered twice; the newer one is used", id);
    }

    public void removeBackend(Backend b) {
        backends.remove(b.id(), b);
    }

    @Reference(service = ModelImporter.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeImporter")
    public void addImporter(ModelImporter i) {
        importers.put(i.id(), i);
    }

    public void removeImporter(ModelImporter i) {
        importers.remove(i.id(), i);
    }

    @Override
    public ImportResult importModel(Path file) {
        return withPasses(readModel(file, null));
    }

    @Override
    public ImportResult importModel(Path file, ebnn.api.model.InputRange range) {
        return withPasses(readModel(file, range));
    }

    /** The model after the float-level clean-ups (the lowering runs them too), their notes added to the report. */
    static ImportResult withPasses(ImportResult r) {
        Passes.Result p = Passes.run(r.model());
        if (p.notes().isEmpty())
            return r;
        List<String> report = new ArrayList<>(r.report());
        p.notes().forEach(n -> report.add("pass " + n));
        report.add(p.model().layers().size() + " layers after the passes: "
                + String.join(", ", p.model().layers().stream().map(ebnn.api.model.Layer::kind).toList()));
        return new ImportResult(p.model(), report);
    }

    private ImportResult readModel(Path file, ebnn.api.model.InputRange range) {
        if (file == null)
            throw new NotFoundException("no model file given");
        if (!Files.exists(file))
            throw new NotFoundException("model file not found: " + file);
        if (!Files.isRegularFile(file))
            throw new NotFoundException("not a regular file: " + file);
        byte[] head = head(file);
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".ebnn") || EbnnFormat.hasMagic(head)) {
            Model m = EbnnFormat.read(file);
            List<String> report = new ArrayList<>(List.of("read ebnn model file " + file.getFileName() + " (format version " + EbnnFormat.VERSION + ")"));
            if (range != null) {
                m = new Model(m.name(), range.applyTo(m.input()), m.layers(), m.labels());
                report.add("input range " + ebnn.api.model.InputRange.text(m.input().low(), m.input().high()) + " (given with --input-range)");
            } else
                report.add("input range " + ebnn.api.model.InputRange.text(m.input().low(), m.input().high()) + " (stored in the file"
                        + (m.input().rangeSource() == ebnn.api.model.InputSpec.RangeSource.DECLARED ? ""
                                : ", " + m.input().rangeSource().name().toLowerCase(Locale.ROOT) + " when it was written")
                        + "; change it with --input-range LOW,HIGH)");
            return new ImportResult(m, report);
        }
        // content first: a file's bytes decide over its name
        for (ModelImporter i : importers.values())
            if (i.recognizes(head.clone()))
                return i.read(file, range);
        for (ModelImporter i : importers.values())
            if (i.accepts(file, head.clone()))
                return i.read(file, range);
        throw new UnsupportedModelException("no importer accepts " + file + "; available: ebnn (.ebnn)"
                + (importers.isEmpty() ? " (no other importer is installed)" : ", " + String.join(", ", importers.keySet())));
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(64);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void writeModel(Model model, Path file) {
        EbnnFormat.write(model, file);
    }

    @Override
    public void writeModel(Model model, Path file, ebnn.api.spi.ModelForm form) {
        EbnnFormat.write(form == ebnn.api.spi.ModelForm.THRESHOLDS ? ebnn.core.lower.ThresholdForm.of(model) : model, file);
    }

    @Override
    public BinaryModel lower(Model model) {
        return Lowering.lower(model);
    }

    @Override
    public MemoryPlan plan(BinaryModel model, Device device) {
        return MemoryPlanner.plan(model, device);
    }

    @Override
    public MemoryPlan plan(BinaryModel model, Device device, String backendId) {
        return refined(generator(backendId, device), backendId, model, MemoryPlanner.plan(model, device));
    }

    @Override
    public String defaultGenerator(Device device) {
        Backend c = backends.get("c");
        if (c instanceof CodeGenerator && c.supports(device))
            return "c";
        return backends.values().stream().filter(b -> b instanceof CodeGenerator && b.supports(device)).map(Backend::id).sorted().findFirst()
                .orElse(null);
    }

    /** The code generator with this id that supports the device, or an error that says what exists. */
    private CodeGenerator generator(String backendId, Device device) {
        Backend b = backends.get(backendId == null ? "" : backendId);
        if (b == null)
            throw new NotFoundException("back end '" + backendId + "' not available (none with that id is installed and started); available: " + describe(backends.values()));
        if (!(b instanceof CodeGenerator gen))
            throw new BackendException("back end '" + backendId + "' runs models in this process and does not generate code; "
                    + "code generators: " + describe(backends.values().stream().filter(x -> x instanceof CodeGenerator).toList()));
        if (!gen.supports(device))
            throw new BackendException("back end '" + backendId + "' does not support device " + device.name() + " ("
                    + device.arch() + "); code generators for it: "
                    + describe(backends.values().stream().filter(x -> x instanceof CodeGenerator && x.supports(device)).toList()));
        return gen;
    }

    @Override
    public CompileResult compile(BinaryModel model, String backendId, Device device, Path outDir, CompileOptions options) {
        CompileOptions opts = options == null ? CompileOptions.defaults() : options;
        CodeGenerator gen = generator(backendId, device);
        MemoryPlan plan = refined(gen, backendId, model, MemoryPlanner.plan(model, device));
        if (!plan.fits() && !opts.force())
            plan.requireFits();
        GeneratedCode code = gen.generate(model, plan, opts);
        if (code == null)
            throw new BackendException("back end '" + backendId + "' generated nothing for " + model.name());
        String report = MemoryPlanner.report(plan) + (code.report() == null || code.report().isBlank() ? "" : "\n" + code.report().strip() + "\n");
        Map<String, String> files = new java.util.TreeMap<>(code.files());
        if (files.containsKey(MEMORY_REPORT))
            throw new BackendException("back end '" + backendId + "' generated a file named " + MEMORY_REPORT + ", which the toolchain writes");
        files.put(MEMORY_REPORT, report);
        List<Path> written = writeFiles(outDir, files, opts.force());
        LOG.info("compiled {} with {} for {}: {} files in {}", model.name(), backendId, device.name(), written.size(), outDir);
        return new CompileResult(outDir.toAbsolutePath().normalize(), written, plan, report);
    }

    /**
     * The back end's own stack and code bounds in place of the planner's per-architecture
     * estimates, so that the budget check and the report use the numbers of the code that is
     * actually generated. A back end may only change those two: data sizes are the planner's.
     */
    static MemoryPlan refined(CodeGenerator gen, String backendId, BinaryModel model, MemoryPlan plan) {
        MemoryPlan r = gen.refine(model, plan);
        if (r == null)
            return plan;
        if (r.dataFlashBytes() != plan.dataFlashBytes() || r.inputBytes() != plan.inputBytes() || r.bufferABytes() != plan.bufferABytes()
                || r.bufferBBytes() != plan.bufferBBytes() || r.scoreBytes() != plan.scoreBytes() || !r.device().equals(plan.device()))
            throw new BackendException("back end '" + backendId + "' changed the planned data sizes of " + model.name()
                    + " (it may only refine the stack and code bounds)");
        return r;
    }

    private static final java.nio.file.OpenOption[] WRITE_NEW = { java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS };
    private static final java.nio.file.OpenOption[] WRITE_OVER = { java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS };

    /**
     * Writes the files under {@code outDir}. Every target is checked before anything is written:
     * a path that leaves the folder (after normalising) is refused, and an existing file is
     * refused unless {@code force}.
     */
    static List<Path> writeFiles(Path outDir, Map<String, String> files, boolean force) {
        if (outDir == null)
            throw new BackendException("no output folder given");
        Path root = outDir.toAbsolutePath().normalize();
        if (Files.exists(root) && !Files.isDirectory(root))
            throw new BackendException("output path " + root + " exists and is not a folder");
        List<Path> targets = new ArrayList<>();
        for (String rel : files.keySet()) {
            Path p;
            try {
                p = root.resolve(rel).normalize();
            } catch (java.nio.file.InvalidPathException e) { // e.g. a NUL character in a generated file name
                throw new BackendException("refusing to write '" + rel.replace("\0", "\\0") + "': not a valid file name (" + e.getReason() + ")");
            }
            if (!p.startsWith(root) || p.equals(root))
                throw new BackendException("refusing to write " + rel + ": it is outside the output folder " + root);
            if (Files.exists(p) && !force)
                throw new BackendException("refusing to overwrite " + p + " (use --force to overwrite files in the output folder)");
            if (Files.isDirectory(p))
                throw new BackendException("cannot write " + p + ": a folder of that name exists");
            if (Files.isSymbolicLink(p))
                throw new BackendException("refusing to write " + p + ": it is a symbolic link (it could lead outside " + root + ")");
            targets.add(p);
        }
        try {
            Path realRoot = Files.createDirectories(root).toRealPath();
            List<Path> out = new ArrayList<>();
            int i = 0;
            for (String text : files.values()) {
                Path p = targets.get(i++);
                Files.createDirectories(p.getParent());
                // a symbolic link inside the folder could still point outside it
                if (!p.getParent().toRealPath().startsWith(realRoot))
                    throw new BackendException("refusing to write " + p + ": its folder leads outside " + root);
                // without --force the file is created new, atomically: of two compiles racing into one folder one writes, the
                // other is refused (the check above only reports the usual case early); never through a symbolic link
                try {
                    Files.writeString(p, text, StandardCharsets.UTF_8, force ? WRITE_OVER : WRITE_NEW);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    throw new BackendException("refusing to overwrite " + p + " (use --force to overwrite files in the output folder)");
                }
                out.add(p);
            }
            return out;
        } catch (IOException e) {
            throw new BackendException(ebnn.api.io.FileErrors.of("write to", root, e).getMessage(), e);
        }
    }

    private static String describe(java.util.Collection<Backend> bs) {
        return bs.isEmpty() ? "(none)" : String.join(", ", bs.stream().map(Backend::id).sorted().toList());
    }

    @Override
    public List<Device> devices() {
        return Device.BUILT_IN;
    }

    @Override
    public Device device(String name) {
        return Device.named(name);
    }

    @Override
    public List<Backend> backends() {
        return List.copyOf(backends.values());
    }

    @Override
    public Optional<Backend> backend(String id) {
        return Optional.ofNullable(id == null ? null : backends.get(id));
    }

    @Override
    public InferenceEngine engine(String id) {
        String key = id == null ? "jvm" : id;
        Backend b = backends.get(key);
        if (b instanceof InferenceEngine e)
            return e;
        throw new NotFoundException((b == null ? "unknown inference engine '" : "back end '") + key
                + (b == null ? "'" : "' generates code and cannot run models here") + "; engines available: "
                + describe(backends.values().stream().filter(x -> x instanceof InferenceEngine).toList()));
    }
}
