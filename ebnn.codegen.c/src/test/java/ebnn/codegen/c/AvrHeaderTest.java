package ebnn.codegen.c;

import static ebnn.codegen.c.Tools.cmd;
import static ebnn.codegen.c.Tools.tool;
import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.codegen.c.gen.ModelSource;

/**
 * The runtime header {@code ebnn_rt.h} on its own, without any generated model: it compiles alone
 * with -Wall -Wextra -Werror -pedantic for the host and two AVR cores, and its AVR assembly kernels
 * (XOR-popcount with the table in flash, row-interleaved with the table in SRAM, runs of any
 * length with either table, input thresholds)
 * give a plain C reference's results on random bytes under simavr at -O0, -O2 and -Os (test
 * resource {@code header-check/avr_header_check.c}).
 */
public class AvrHeaderTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final int CHECKS = 8;

    @Test
    public void headerCompilesAloneAndItsAvrKernelsEqualTheReference() throws Exception {
        Path dir = tmp.newFolder().toPath();
        Files.writeString(dir.resolve(ModelSource.RUNTIME_HEADER), ModelSource.runtimeHeader(), StandardCharsets.UTF_8);
        Path check = dir.resolve("avr_header_check.c");
        try (var in = getClass().getResourceAsStream("/header-check/avr_header_check.c")) {
            Files.write(check, in.readAllBytes());
        }
        Path alone = dir.resolve("alone.c");
        Files.writeString(alone, "#include \"ebnn_rt.h\"\nint ebnn_header_alone;\n");
        Tools.runOk(dir, null, 60, cmd(tool("gcc"), "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I" + dir, "-c", "-o",
                dir.resolve("alone-host.o"), alone));
        for (String mcu : new String[] { "atmega328p", "atmega2560" })
            Tools.runOk(dir, null, 60, cmd(tool("avr-gcc"), "-mmcu=" + mcu, "-Os", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic",
                    "-I" + dir, "-c", "-o", dir.resolve("alone-" + mcu + ".o"), alone));
        int samples = 8;
        byte[] in = new byte[2 + samples * 128];
        in[0] = (byte) samples;
        new Random(18).nextBytes(in);
        in[0] = (byte) samples;
        in[1] = 0;
        for (int i = 0; i < 128; i++) { // an all-255 and an all-0 sample: carries and empty counts
            in[2 + i] = (byte) 255;
            in[2 + 128 + i] = 0;
        }
        Path input = dir.resolve("input.bin");
        Files.write(input, in);
        for (String opt : new String[] { "-O0", "-O2", "-Os" }) {
            Path elf = dir.resolve("check" + opt + ".elf");
            Tools.runOk(dir, null, 120, cmd(tool("avr-gcc"), "-mmcu=atmega328p", opt, "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic",
                    "-DEBNN_INFER=ebnn_check", "-DEBNN_INPUT_SIZE=128", "-DEBNN_CLASSES=" + CHECKS, "-I" + dir, "-o", elf,
                    Tools.targets().resolve("avr/infer_main.c"), check));
            Tools.Result r = Tools.runOk(dir, null, 300, cmd(Tools.simavrRun(), "-m", "atmega328p", "-i", input, elf));
            Built.Outputs out = Built.Outputs.parseAvr(r.out(), CHECKS);
            assertEquals(opt + " samples", samples, out.classes().length);
            for (int s = 0; s < samples; s++) {
                assertEquals(opt + " sample " + s + ": checks run", CHECKS, out.classes()[s]);
                for (int k = 0; k < CHECKS; k++)
                    assertEquals(opt + " sample " + s + ": mismatches of check " + k, 0, out.scores()[s * CHECKS + k]);
            }
        }
    }
}
