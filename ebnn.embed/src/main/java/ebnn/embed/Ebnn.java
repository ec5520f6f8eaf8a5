package ebnn.embed;

import java.nio.file.Path;
import java.util.List;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.model.Model;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.CompileResult;
import ebnn.api.spi.CompiledModel;
import ebnn.api.spi.Toolchain;
import ebnn.codegen.c.CBackend;
import ebnn.codegen.cortexm.CortexMBackend;
import ebnn.core.toolchain.DefaultToolchain;
import ebnn.onnx.internal.OnnxImporter;
import ebnn.onnx.internal.OnnxWriter;
import ebnn.runtime.java.JvmEngine;

/**
 * ebnn for a plain Java program: the toolchain with the ONNX importer, the JVM inference engine and
 * the C ({@code "c"}) and Cortex-M ({@code "cortex-m"}) code generators, assembled without OSGi.
 *
 * <pre>{@code
 * Ebnn ebnn = Ebnn.create();
 * Ebnn.Loaded model = ebnn.load(Path.of("convpool-1.ebnn"));      // or a binarized .onnx
 * int digit = model.classify(pixels);                              // input().size() bytes, HWC order
 * MemoryPlan plan = model.plan("atmega328p");                      // flash and RAM, checked as compile does
 * model.compile("c", "atmega328p", Path.of("out"));                // C sources for that device
 * }</pre>
 *
 * Errors are {@link ebnn.api.EbnnException}s whose message says what is wrong with which file,
 * layer or value. An instance is thread-safe; a {@link Loaded} model too.
 */
public final class Ebnn {
    private final DefaultToolchain toolchain;

    private Ebnn() {
        toolchain = new DefaultToolchain();
        toolchain.addImporter(new OnnxImporter());
        toolchain.addBackend(new JvmEngine());
        toolchain.addBackend(new CBackend());
        toolchain.addBackend(new CortexMBackend());
    }

    /** A toolchain with every importer and back end of this artifact. */
    public static Ebnn create() {
        return new Ebnn();
    }

    /** The whole pipeline, as the OSGi {@code Toolchain} service offers it. */
    public Toolchain toolchain() {
        return toolchain;
    }

    /** The devices models can be planned and compiled for (atmega328p, cortex-m4, ...). */
    public List<Device> devices() {
        return toolchain.devices();
    }

    /** Reads a .ebnn or .onnx file, lowers it to the integer model and loads it in the JVM engine. */
    public Loaded load(Path file) {
        return of(toolchain.importModel(file).model());
    }

    /** A model already in memory (e.g. one built or trained in this program). */
    public Loaded of(Model model) {
        BinaryModel lowered = toolchain.lower(model);
        return new Loaded(model, lowered, toolchain.engine(JvmEngine.ID).load(lowered));
    }

    /** Writes a model as .ebnn, or as standard-op ONNX when the file name ends in .onnx (atomically). */
    public void write(Model model, Path file) {
        OnnxWriter onnx = new OnnxWriter();
        if (onnx.accepts(file))
            onnx.write(model, file);
        else
            toolchain.writeModel(model, file);
    }

    /** A loaded model: its float-level and integer forms, ready to classify. */
    public final class Loaded {
        private final Model model;
        private final BinaryModel binary;
        private final CompiledModel compiled;

        Loaded(Model model, BinaryModel binary, CompiledModel compiled) {
            this.model = model;
            this.binary = binary;
            this.compiled = compiled;
        }

        /** The float-level model as read from the file. */
        public Model model() {
            return model;
        }

        /** The integer model every engine and generated program runs, bit for bit. */
        public BinaryModel binary() {
            return binary;
        }

        /** Bytes per input sample (height x width x channels, HWC order, 0..255). */
        public int inputSize() {
            return binary.inputSize();
        }

        /** The class of one sample of {@link #inputSize()} bytes. */
        public int classify(byte[] sample) {
            if (sample.length != binary.inputSize())
                throw new ebnn.api.EbnnException("a sample of " + model.name() + " has " + binary.inputSize() + " bytes, not " + sample.length);
            return compiled.classify(sample);
        }

        /**
         * The output bits of one sample of a model whose output is a bit vector (a tinier-nn
         * model.def): element i is output bit i. {@link #classify} refuses such a model.
         */
        public boolean[] outputBits(byte[] sample) {
            if (sample.length != binary.inputSize())
                throw new ebnn.api.EbnnException("a sample of " + model.name() + " has " + binary.inputSize() + " bytes, not " + sample.length);
            return compiled.outputBits(sample);
        }

        /** The classes of {@code count} samples laid end to end. */
        public int[] classify(byte[] samples, int count) {
            if (count < 0 || (long) count * binary.inputSize() > samples.length)
                throw new ebnn.api.EbnnException(count + " samples of " + binary.inputSize() + " bytes need " + (long) count * binary.inputSize()
                        + " bytes, not " + samples.length);
            return compiled.classifyBatch(samples, count, null);
        }

        /** The memory plan on a device with the default C back end's bounds: the numbers {@link #compile} checks. */
        public MemoryPlan plan(String device) {
            return toolchain.plan(binary, toolchain.device(device), CBackend.ID);
        }

        /** Generates code with a back end ("c", "cortex-m") for a device into {@code outDir} (refusing to overwrite files). */
        public CompileResult compile(String backend, String device, Path outDir) {
            return toolchain.compile(binary, backend, toolchain.device(device), outDir, new CompileOptions(null, false, false, null));
        }
    }
}
