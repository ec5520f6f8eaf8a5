package ebnn.api.spi;

import java.nio.file.Path;
import java.util.List;

import ebnn.api.binary.MemoryPlan;

/** What a compile wrote and the memory it planned. */
public record CompileResult(Path outDir, List<Path> files, MemoryPlan plan, String report) {
    public CompileResult {
        files = List.copyOf(files);
    }
}
