package ebnn.codegen.c;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import ebnn.api.Device;
import ebnn.api.InvalidModelException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.spi.Backend;
import ebnn.api.spi.CodeGenerator;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.GeneratedCode;
import ebnn.codegen.c.gen.MemoryReport;
import ebnn.codegen.c.gen.ModelSource;
import ebnn.codegen.c.gen.Names;
import ebnn.codegen.c.gen.PortableKernels;

/**
 * The plain C back end: portable C99 (no malloc, no float; weights and thresholds const, in flash
 * with PROGMEM on AVR) for any device with a C compiler, laid out as a C folder with a Makefile and
 * a CMakeLists.txt, or as an Arduino library. Words are the device's word size, exactly as the
 * memory plan packs them.
 *
 * <p>Extra options: {@code sample} = comma-separated input bytes (HWC) that the example (the Arduino
 * sketch, the plain folder's example.c) classifies (default: an all-zero sample); {@code sample-origin}
 * = where that sample came from, for the example's comment.
 */
@Component(service = { Backend.class, CodeGenerator.class }, property = Backend.ID_PROPERTY + "=" + CBackend.ID)
public class CBackend implements CodeGenerator {
    public static final String ID = "c";
    static final String RUNTIME_HEADER = ModelSource.RUNTIME_HEADER;

    /** AVR pgm_read_* reach the first 64 KB of flash; ebnn's constant data must sit below it. */
    static final long AVR_NEAR_FLASH = 65536 - 1024;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "portable C99 (host, AVR with PROGMEM, any MCU with a C compiler); --arduino for an Arduino library";
    }

    @Override
    public boolean supports(Device device) {
        return device.arch() != Device.Arch.JVM;
    }

    @Override
    public GeneratedCode generate(BinaryModel model, MemoryPlan planned, CompileOptions options) {
        MemoryPlan plan = planned;
        if (model == null || plan == null)
            throw new InvalidModelException("C back end needs a model and its memory plan");
        CompileOptions opts = options == null ? CompileOptions.defaults() : options;
        Device device = plan.device();
        if (!supports(device))
            throw new UnsupportedModelException("the C back end does not target device " + device.name() + " (" + device.arch() + ")");
        checkPlan(model, plan);
        plan = refine(model, plan);
        // the toolchain lets --force through an over-budget plan (the user insists); otherwise refuse before any file exists
        if (!opts.force())
            plan.requireFits();
        if (device.arch() == Device.Arch.AVR && plan.dataFlashBytes() + 256 > AVR_NEAR_FLASH)
            throw new UnsupportedModelException("model '" + model.name() + "': " + plan.dataFlashBytes()
                    + " B of weights and thresholds exceed the " + AVR_NEAR_FLASH
                    + " B that AVR pgm_read_* can address (the first 64 KB of flash, less the vectors and start-up code)");
        String sym = opts.symbol() != null ? Names.explicitSymbol(opts.symbol()) : Names.symbol(model.name());
        ModelSource src = new ModelSource(model, plan, sym);
        String report = MemoryReport.text(model, plan, src);

        Map<String, String> files = new LinkedHashMap<>();
        String dir = opts.arduino() ? "src/" : "";
        files.put(dir + RUNTIME_HEADER, runtimeHeader());
        files.put(dir + src.headerName(), src.header());
        files.put(dir + src.sourceName(), src.source());
        if (opts.arduino()) {
            ArduinoLayout.add(files, model, plan, src, sample(model, opts), origin(opts));
        } else {
            files.put("Makefile", BuildFiles.makefile(src));
            files.put(BuildFiles.EXAMPLE, BuildFiles.example(model, src, sample(model, opts), origin(opts)));
            files.put("CMakeLists.txt", BuildFiles.cmake(src));
        }
        return new GeneratedCode(files, report);
    }

    /**
     * The stack and code bounds of the kernels {@link PortableKernels#SELECTOR} picks for this
     * model replace the planner's per-architecture guesses; measured on AVR (see the kernels), on
     * other architectures the planner's estimates stand. The data sizes are never changed.
     */
    @Override
    public MemoryPlan refine(BinaryModel model, MemoryPlan plan) {
        return PortableKernels.SELECTOR.refine(model, plan);
    }

    /** The plan is binding: refuse one whose sizes are not the {@link ebnn.api.binary.Packing} sizes of this model for its device. */
    static void checkPlan(BinaryModel model, MemoryPlan plan) {
        ModelSource.checkPlan(model, plan);
    }

    /** What the example's sample is, for its comment: option {@code sample-origin}, else said to be the default. */
    private static String origin(CompileOptions opts) {
        String o = opts.extra().get("sample-origin");
        return o != null && !o.isBlank() ? "the sample (" + o + ")" : opts.extra().get("sample") != null ? "the sample" : "the sample (all zeros: compile with --sample FILE for a real one)";
    }

    private static byte[] sample(BinaryModel model, CompileOptions opts) {
        String s = opts.extra().get("sample");
        byte[] out = new byte[model.inputSize()];
        if (s == null || s.isBlank())
            return out;
        String[] parts = s.split(",");
        if (parts.length != out.length)
            throw new InvalidModelException("option sample has " + parts.length + " values; model '" + Names.comment(model.name()) + "' takes "
                    + out.length + " input bytes");
        for (int i = 0; i < parts.length; i++) {
            int v;
            try {
                v = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new InvalidModelException("option sample: value " + (i + 1) + " is not a number");
            }
            if (v < 0 || v > 255)
                throw new InvalidModelException("option sample: value " + (i + 1) + " = " + v + " is not a byte (0..255)");
            out[i] = (byte) v;
        }
        return out;
    }

    static String runtimeHeader() {
        return ModelSource.runtimeHeader();
    }
}
