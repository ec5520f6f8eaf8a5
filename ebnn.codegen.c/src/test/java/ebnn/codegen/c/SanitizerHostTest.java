package ebnn.codegen.c;

import static ebnn.codegen.c.Tools.cmd;
import static ebnn.codegen.c.Tools.tool;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.spi.CompileOptions;
import ebnn.core.plan.MemoryPlanner;

/**
 * Issue 8, generated C under sanitizers: for every model family (the paper-shaped mlp-128,
 * convpool-16, tfc and bmlp-128, and FINN's trained TFC-w1a1 imported from ONNX) the generated
 * code, built on the host with {@code -fsanitize=address,undefined -fno-sanitize-recover=all}
 * and {@code -std=c99 -Wall -Wextra -Werror -pedantic -Wconversion}, classifies the full 10,000
 * MNIST test digits with exactly the JVM runtime's classes and scores, and not one sanitizer
 * report (exit 0, empty stderr). Word sizes: the host's 64, and 8 (AVR packing) and 32 (Curie)
 * for the models whose blocks differ most. The same sources pass {@code avr-gcc -Wconversion}
 * and cppcheck (warning, portability) without a finding.
 */
public class SanitizerHostTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static final List<String> STRICT = List.of("-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-Wconversion");

    private Built generate(String modelName, String device) throws IOException {
        BinaryModel m = Reference.paper(modelName);
        Path dir = tmp.newFolder(modelName + "-" + device).toPath();
        return Built.generate(m, MemoryPlanner.plan(m, Device.named(device)), CompileOptions.defaults(), dir);
    }

    private void check(String modelName, String device) throws IOException {
        Built b = generate(modelName, device);
        Dataset d = Reference.mnist();
        assertEquals("the full MNIST test set", 10_000, d.count());
        Path exe = b.dir.resolve("host_asan");
        Tools.runOk(b.dir, null, 180, cmd(tool("gcc"), STRICT, "-O2", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined",
                "-fno-sanitize-recover=all", b.defines(), "-I" + b.sourceDir(), "-o", exe, Tools.targets().resolve("host/infer_main.c"),
                b.sourceDir().resolve(b.prefix + ".c")));
        Tools.Result r = Tools.run(b.dir, d.samples(), 300, cmd(exe));
        assertEquals(modelName + " on " + device + " words: sanitizer exit\n" + r.err(), 0, r.exit());
        assertEquals(modelName + " on " + device + " words: sanitizer output", "", r.err());
        BinaryModel m = b.model;
        Reference.assertSame(modelName + " on " + device + " words under ASan+UBSan", m, Reference.jvm(m, d.samples()),
                Built.Outputs.parseHost(r.out(), m.classes()));
        cppcheck(b);
    }

    /**
     * cppcheck on the generated sources: --enable=warning,portability, any finding fails
     * (--error-exitcode=1). One configuration each (gcc on the host; for AVR-packed code also
     * __AVR__, the PROGMEM paths): checking every #ifdef combination takes minutes and adds none.
     */
    private static void cppcheck(Built b) throws IOException {
        cppcheck(b, List.of("-D__GNUC__=12"));
        if (b.plan.device().arch() == Device.Arch.AVR)
            cppcheck(b, List.of("-D__GNUC__=12", "-D__AVR__"));
    }

    private static void cppcheck(Built b, List<String> config) throws IOException {
        List<Path> sources;
        try (Stream<Path> s = Files.list(b.sourceDir())) {
            sources = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        }
        assertTrue("generated C sources", !sources.isEmpty());
        Tools.Result r = Tools.run(b.dir, null, 300, cmd(tool("cppcheck"), "--error-exitcode=1", "--enable=warning,portability",
                "--std=c99", "--quiet", config, "-I" + b.sourceDir(), sources));
        assertEquals("cppcheck " + config + " on " + b.dir.getFileName() + ":\n" + r.err() + r.out(), 0, r.exit());
        assertEquals("cppcheck " + config + " findings on " + b.dir.getFileName(), "", r.err().strip());
    }

    @Test
    public void mlp128Host64() throws IOException {
        check("mlp-128", "host");
    }

    @Test
    public void convPool16Host64AndAvr8() throws IOException {
        check("convpool-16", "host");
        check("convpool-16", "atmega328p");
    }

    @Test
    public void tfcHost64AndCurie32() throws IOException {
        check("tfc", "host");
        check("tfc", "arduino101");
    }

    @Test
    public void binaryInputMlp128Host64() throws IOException {
        check("bmlp-128", "host");
    }

    @Test
    public void trainedFinnTfcHost64AndAvr8() throws IOException {
        check("finn-tfc", "host");
        check("finn-tfc", "atmega328p");
    }

    /** The AVR build of the same sources (PROGMEM paths, 16-bit int) is -Wconversion clean too. */
    @Test
    public void avrSourcesAreConversionClean() throws IOException {
        List<String> failures = new ArrayList<>();
        for (String model : List.of("mlp-128", "convpool-16", "tfc", "bmlp-128", "finn-tfc")) {
            Built b = generate(model, "atmega328p");
            Tools.Result r = Tools.run(b.dir, null, 180, cmd(tool("avr-gcc"), "-mmcu=atmega328p", "-Os", STRICT, "-I" + b.sourceDir(), "-c",
                    "-o", b.dir.resolve("model.o"), b.sourceDir().resolve(b.prefix + ".c")));
            if (r.exit() != 0)
                failures.add(model + ":\n" + r.err());
        }
        assertTrue(String.join("\n", failures), failures.isEmpty());
    }
}
