package ebnn.codegen.cortexm;

import static ebnn.codegen.c.Tools.cmd;
import static ebnn.codegen.c.Tools.tool;
import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.codegen.c.Tools;
import ebnn.codegen.c.gen.ModelSource;

/**
 * The Cortex-M kernel header {@code ebnn_cm.h} on its own, without any generated model: it
 * compiles alone (with the runtime header) with -Wall -Wextra -Werror -pedantic for every core, and
 * its kernels - the Thumb-1 and Thumb-2 assembly included, as the generator instantiates them -
 * give a plain C reference's results on random bytes under qemu (test resource
 * {@code header-check/cm_header_check.c}).
 */
public class CortexMHeaderTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final int CHECKS = 12;

    @Test
    public void headerCompilesAloneAndItsKernelsEqualTheReferenceOnEveryCore() throws Exception {
        Path dir = tmp.newFolder().toPath();
        Files.writeString(dir.resolve(ModelSource.RUNTIME_HEADER), ModelSource.runtimeHeader(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(CortexMBackend.KERNEL_HEADER), CortexMBackend.kernelHeader(), StandardCharsets.UTF_8);
        Path check = dir.resolve("cm_header_check.c");
        try (var in = getClass().getResourceAsStream("/header-check/cm_header_check.c")) {
            Files.write(check, in.readAllBytes());
        }
        Path alone = dir.resolve("alone.c");
        Files.writeString(alone, "#include <stdint.h>\n#include \"ebnn_rt.h\"\n#include \"ebnn_cm.h\"\nint ebnn_header_alone;\n");
        Random r = new Random(18);
        int samples = 40;
        byte[] input = new byte[samples * 256];
        r.nextBytes(input);
        for (int i = 0; i < 256; i++) // one all-255 and one all-0 sample: carries and empty sums
            input[i] = (byte) 255;
        Path arm = Tools.targets().resolve("arm");
        for (Core core : Core.values()) {
            Path b = Files.createDirectories(dir.resolve(core.name()));
            Tools.runOk(b, 120, cmd(tool("arm-none-eabi-gcc"), "-mcpu=" + core.mcpu, "-mthumb", "-O2", "-std=c99", "-Wall", "-Wextra", "-Werror",
                    "-pedantic", "-ffreestanding", "-I" + dir, "-c", "-o", b.resolve("alone.o"), alone));
            Path startup = b.resolve("startup.o"), elf = b.resolve("check.elf");
            Tools.runOk(b, 120, cmd(tool("arm-none-eabi-gcc"), "-mcpu=" + core.mcpu, "-mthumb", "-O2", "-Wall", "-Wextra", "-Werror", "-ffreestanding",
                    "-I" + arm, "-c", "-o", startup, arm.resolve("startup.c")));
            Tools.runOk(b, 180, cmd(tool("arm-none-eabi-gcc"), "-mcpu=" + core.mcpu, "-mthumb", "-O2", "-std=c99", "-Wall", "-Wextra", "-Werror",
                    "-pedantic", "-ffreestanding", "-nostartfiles", "-nostdlib", "-DEBNN_INFER=ebnn_check", "-DEBNN_INPUT_SIZE=256",
                    "-DEBNN_CLASSES=" + CHECKS, "-I" + dir, "-I" + arm, "-T", arm.resolve(core.linkerScript), "-o", elf, startup,
                    arm.resolve("infer_main.c"), check, "-lgcc"));
            Path run = Files.createDirectories(b.resolve("run"));
            Files.write(run.resolve("input.bin"), input);
            Tools.Result res = Tools.runOk(run, 300, cmd(tool("qemu-system-arm"), "-M", core.machine, "-display", "none", "-monitor", "none",
                    "-serial", "none", "-chardev", "stdio,id=s0", "-semihosting-config", "enable=on,target=native,chardev=s0", "-kernel", elf));
            List<String> lines = res.out().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(core + " output lines", samples, lines.size());
            // Thumb-1 (M0): the five C checks and the four T1 kernels; Thumb-2: the C checks, the carry-save popcount and the row loop
            int ran = core == Core.M0 ? 9 : 7;
            for (int s = 0; s < samples; s++) {
                String[] p = lines.get(s).trim().split(" ");
                assertEquals(core + " sample " + s + " fields", CHECKS + 1, p.length);
                for (int k = 0; k < CHECKS - 1; k++)
                    assertEquals(core + " sample " + s + ": mismatches of check " + k, "0", p[1 + k]);
                assertEquals(core + " checks compiled", Integer.toString(ran), p[CHECKS]);
            }
        }
    }
}
