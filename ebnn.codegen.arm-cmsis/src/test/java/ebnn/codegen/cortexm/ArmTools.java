package ebnn.codegen.cortexm;

import static ebnn.codegen.c.Tools.cmd;
import static ebnn.codegen.c.Tools.runOk;
import static ebnn.codegen.c.Tools.targets;
import static ebnn.codegen.c.Tools.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What only the Cortex-M tests build; compilers, processes and targets/ are ebnn.codegen.c's test {@code Tools}. */
final class ArmTools {
    private ArmTools() {
    }

    private static Path plugin;

    /**
     * The instruction-count TCG plugin (targets/arm/insn_count.c), built once per test JVM with the
     * host gcc (Debian's qemu ships no plugin header; the plugin declares the API it uses).
     */
    static synchronized Path insnCountPlugin() {
        if (plugin != null)
            return plugin;
        try {
            Path dir = Files.createDirectories(Path.of("target", "qemu-plugin"));
            Path so = dir.resolve("insn_count.so").toAbsolutePath();
            runOk(dir, 120, cmd(tool("gcc"), "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror", "-o", so, targets().resolve("arm/insn_count.c")));
            plugin = so;
            return so;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
