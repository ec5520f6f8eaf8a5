package ebnn.codegen.cortexm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import ebnn.api.BackendException;
import ebnn.api.Device;
import ebnn.api.InvalidModelException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.spi.Backend;
import ebnn.api.spi.CodeGenerator;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.GeneratedCode;
import ebnn.codegen.c.gen.ModelSource;

/**
 * The Cortex-M back end: the C back end's generator ({@code ebnn.codegen.c.gen}) with Cortex-M
 * kernels ({@link CortexMSelector}): 32-bit words, multi-word popcounts, and on cores with the DSP
 * extension (M4, M7, M33) the byte-input first layers with SIMD intrinsics of gcc's
 * {@code arm_acle.h} (or CMSIS's {@code cmsis_compiler.h} with {@code -DEBNN_USE_CMSIS}). Weights
 * and thresholds are {@code const} (.rodata, flash); the two activation buffers are in the section
 * named by the macro {@code EBNN_BUFFER_SECTION} (default {@code .bss.ebnn_buffers}), which the user
 * can redefine, e.g. to place them in DTCM on an M7. Output: a C folder with a CMakeLists.txt and a
 * CMake snippet {@code ebnn_<model>.cmake}; the entry point and the memory report are the C back
 * end's.
 */
@Component(service = { Backend.class, CodeGenerator.class }, property = Backend.ID_PROPERTY + "=" + CortexMBackend.ID)
public class CortexMBackend implements CodeGenerator {
    public static final String ID = "cortex-m";
    static final String KERNEL_HEADER = "ebnn_cm.h";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "C for Cortex-M0/M3/M4/M7/M33: 32-bit words, multi-word popcounts, ACLE/CMSIS DSP kernels, CMake snippet";
    }

    @Override
    public boolean supports(Device device) {
        return device.arch() == Device.Arch.ARM_CORTEX_M && device.wordBits() == 32;
    }

    @Override
    public GeneratedCode generate(BinaryModel model, MemoryPlan planned, CompileOptions options) {
        MemoryPlan plan = planned;
        if (model == null || plan == null)
            throw new InvalidModelException("Cortex-M back end needs a model and its memory plan");
        CompileOptions opts = options == null ? CompileOptions.defaults() : options;
        Device device = plan.device();
        if (!supports(device))
            throw new UnsupportedModelException("the Cortex-M back end targets Cortex-M devices with 32-bit words, not " + device.name() + " ("
                    + device.arch() + ", " + device.wordBits() + "-bit words)");
        if (opts.arduino())
            throw new UnsupportedModelException("the Cortex-M back end writes a C folder with a CMake snippet; --arduino is the C back end's (--backend c)");
        ModelSource.checkPlan(model, plan);
        plan = refine(model, plan);
        if (!opts.force())
            plan.requireFits();
        String sym = ModelSource.symbol(model, opts.symbol());
        ModelSource src = new ModelSource(model, plan, sym, CortexMSelector.SELECTOR);
        Map<String, String> files = new LinkedHashMap<>();
        files.put(ModelSource.RUNTIME_HEADER, ModelSource.runtimeHeader());
        files.put(KERNEL_HEADER, kernelHeader());
        files.put(src.headerName(), src.header());
        files.put(src.sourceName(), src.source());
        files.put(src.prefix() + ".cmake", cmakeSnippet(src));
        files.put("CMakeLists.txt", cmakeLists(src));
        return new GeneratedCode(files, src.report());
    }

    /**
     * The stack and code bounds of the kernels {@link CortexMSelector#SELECTOR} picks for this model
     * on this core replace the planner's per-architecture guesses (the data sizes are never changed).
     */
    @Override
    public MemoryPlan refine(BinaryModel model, MemoryPlan plan) {
        if (!supports(plan.device()))
            return plan;
        return CortexMSelector.SELECTOR.refine(model, plan);
    }

    /** include() this from the application's CMakeLists.txt: defines the sources and a static library target. */
    static String cmakeSnippet(ModelSource src) {
        String p = src.prefix();
        String up = p.toUpperCase(java.util.Locale.ROOT);
        return "# " + p + ".cmake - the generated ebnn model for Cortex-M (C99, no malloc, no float).\n"
                + "# In the application's CMakeLists.txt (arm-none-eabi toolchain file with -mcpu=... set):\n"
                + "#   include(path/to/" + p + ".cmake)\n"
                + "#   target_link_libraries(app PRIVATE " + p + ")\n"
                + "# Options: -DEBNN_BUFFER_SECTION='__attribute__((section(\".dtcm_bss\")))' places the two activation\n"
                + "# buffers (default: section .bss.ebnn_buffers); -DEBNN_USE_CMSIS uses the project's cmsis_compiler.h.\n"
                + "set(" + up + "_DIR ${CMAKE_CURRENT_LIST_DIR})\n"
                + "set(" + up + "_SOURCES ${" + up + "_DIR}/" + src.sourceName() + ")\n"
                + "if(NOT TARGET " + p + ")\n"
                + "  add_library(" + p + " STATIC ${" + up + "_SOURCES})\n"
                + "  set_target_properties(" + p + " PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)\n"
                + "  target_include_directories(" + p + " PUBLIC ${" + up + "_DIR})\n"
                + "endif()\n";
    }

    static String cmakeLists(ModelSource src) {
        return "# The generated ebnn model as a static library: add_subdirectory() this folder, or include("
                + src.prefix() + ".cmake).\n"
                + "cmake_minimum_required(VERSION 3.10)\n"
                + "project(" + src.prefix() + " C)\n"
                + "include(${CMAKE_CURRENT_LIST_DIR}/" + src.prefix() + ".cmake)\n";
    }

    static String kernelHeader() {
        try (InputStream in = CortexMBackend.class.getResourceAsStream(KERNEL_HEADER)) {
            if (in == null)
                throw new BackendException("Cortex-M back end bundle lacks its resource " + KERNEL_HEADER);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BackendException("cannot read " + KERNEL_HEADER + ": " + e.getMessage(), e);
        }
    }
}
