package ebnn.codegen.c;

import static ebnn.codegen.c.Tools.cmd;
import static ebnn.codegen.c.Tools.tool;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.spi.CompileOptions;
import ebnn.core.plan.MemoryPlanner;

/**
 * The --arduino layout is an Arduino library (library.properties, src/, examples/NAME/NAME.ino)
 * that builds as the Arduino IDE builds a sketch: the library's .c files with avr-gcc, the .ino
 * as C++ with Arduino.h included first (a stand-in core in targets/avr/arduino), linked for the
 * atmega328p. Run under simavr, the sketch prints over Serial the class and scores of its
 * embedded sample (a real MNIST digit), which must be the JVM runtime's.
 */
public class ArduinoLibraryTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void arduinoLibraryBuildsAsASketchAndPrintsTheClass() throws Exception {
        BinaryModel m = Reference.paper("tfc");
        Dataset d = Reference.mnist();
        int sampleIndex = 7;
        byte[] sample = d.sample(sampleIndex);
        StringJoiner sj = new StringJoiner(",");
        for (byte x : sample)
            sj.add(Integer.toString(x & 0xff));
        Path dir = tmp.newFolder("lib").toPath();
        Built b = Built.generate(m, MemoryPlanner.plan(m, Device.named("atmega328p")),
                new CompileOptions(null, true, false, Map.of("sample", sj.toString())), dir);

        // the Arduino library layout
        String props = Files.readString(dir.resolve("library.properties"));
        assertTrue(props, props.contains("name=ebnn_tfc\n") && props.contains("architectures=avr\n"));
        Path ino = dir.resolve("examples/classify_tfc/classify_tfc.ino");
        assertTrue("example sketch " + ino, Files.exists(ino));
        assertTrue(Files.exists(dir.resolve("src/ebnn_tfc.h")) && Files.exists(dir.resolve("src/ebnn_tfc.c"))
                && Files.exists(dir.resolve("src/ebnn_rt.h")));

        Tools.Result r = buildAndRun(dir, "tfc", ino);
        Reference.Answers expected = Reference.jvm(m, sample);
        List<String> lines = new ArrayList<>(List.of(r.out().split("\n")));
        assertEquals(r.out(), "class " + expected.classes()[0], lines.get(0));
        for (int c = 0; c < m.classes(); c++)
            assertEquals(r.out(), "score " + c + " " + expected.scores()[c], lines.get(1 + c));
        assertTrue(r.out(), lines.get(1 + m.classes()).matches("time_us \\d+"));
    }

    /** Builds the library and sketch like the IDE (library sources with avr-gcc, the sketch as C++ after Arduino.h) and runs it on simavr. */
    private static Tools.Result buildAndRun(Path dir, String sym, Path ino) throws Exception {
        Path stub = Tools.targets().resolve("avr/arduino");
        Path build = Files.createDirectories(dir.resolve("build"));
        List<String> common = List.of("-mmcu=atmega328p", "-DF_CPU=16000000UL", "-Os", "-Wall", "-Wextra", "-Werror", "-I" + dir.resolve("src"),
                "-I" + stub);
        String obj = "ebnn_" + sym + ".o";
        Tools.runOk(build, null, 120, cmd(tool("avr-gcc"), common, "-std=c99", "-pedantic", "-c", "-o", obj, dir.resolve("src/ebnn_" + sym + ".c")));
        Tools.runOk(build, null, 120, cmd(tool("avr-g++"), common, "-x", "c++", "-include", "Arduino.h", "-c", "-o", "sketch.o", ino));
        Tools.runOk(build, null, 120, cmd(tool("avr-g++"), common, "-c", "-o", "core.o", stub.resolve("main.cpp")));
        Tools.runOk(build, null, 120, cmd(tool("avr-g++"), "-mmcu=atmega328p", "-o", "sketch.elf", "sketch.o", obj, "core.o"));
        Tools.Result r = Tools.run(build, null, 120, cmd(Tools.simavrRun(), "-m", "atmega328p", build.resolve("sketch.elf")));
        assertEquals("sketch exit code; stderr: " + r.err(), 0, r.exit());
        return r;
    }

    /** A tinier-nn model.def's sketch prints "bits " and its output bits, first output first: the XOR-popcount rule's. */
    @Test
    public void theSketchOfABitOutputModelPrintsItsBits() throws Exception {
        java.util.Random rnd = new java.util.Random(21);
        List<boolean[][]> layers = new ArrayList<>();
        String def = SeedModelsTest.modelDefText(rnd, new int[] { 32, 64, 32 }, layers);
        BinaryModel m = ebnn.core.lower.Lowering.lower(ebnn.tinier.internal.TinierImporter.translate("model.def", "tinier", def).model());
        byte[] sample = new byte[32];
        boolean[] x = new boolean[32];
        StringJoiner sj = new StringJoiner(",");
        for (int i = 0; i < 32; i++) {
            x[i] = rnd.nextBoolean();
            sample[i] = (byte) (x[i] ? 1 + rnd.nextInt(255) : 0);
            sj.add(Integer.toString(sample[i] & 0xff));
        }
        Path dir = tmp.newFolder("bits").toPath();
        Built.generate(m, MemoryPlanner.plan(m, Device.named("atmega328p")), new CompileOptions(null, true, false, Map.of("sample", sj.toString())), dir);
        Tools.Result r = buildAndRun(dir, "tinier", dir.resolve("examples/classify_tinier/classify_tinier.ino"));
        StringBuilder want = new StringBuilder("bits ");
        for (boolean b : SeedModelsTest.rule(layers, x))
            want.append(b ? '1' : '0');
        List<String> lines = List.of(r.out().split("\n"));
        assertEquals(r.out(), want.toString(), lines.get(0));
        assertTrue(r.out(), lines.get(1).matches("time_us \\d+"));
    }
}
