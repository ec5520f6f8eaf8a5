package ebnn.core.format;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.Test;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Layer;
import ebnn.api.model.Model;
import ebnn.core.lower.Lowering;
import ebnn.core.lower.ThresholdForm;
import ebnn.core.plan.MemoryPlanner;

/**
 * The eight paper-row models of examples/models (six rows and the two low-energy ones) (written by {@code ebnn:train} in threshold form,
 * .ebnn version 3) against the version-2 files they replaced (src/test/resources/.../v2: the same
 * training runs written with their float batch norms, which bench/run's retraining reproduced byte
 * for byte): each lowers to the identical integer model, is exactly the threshold form of the old
 * file (so rewriting is deterministic, and a retraining that gives the old float model gives these
 * bytes), holds no float batch norm, and is at most 1.2x the device's packed weights + thresholds
 * + metadata (issue 17). The table it prints is the one in docs/BENCHMARKS.md (Training section).
 */
public class CommittedModelsTest {
    static final String[] NAMES = { "mlp-1", "mlp-2", "conv-1", "conv-2", "convpool-1", "convpool-2", "conv-1-le-1", "conv-1-le-2" };

    /** What a file must carry besides weights and thresholds: names, labels, the input spec (3 ints, 2 doubles). */
    static long metadataBytes(Model m) {
        long n = m.name().getBytes(StandardCharsets.UTF_8).length + 3 * 4 + 2 * 8;
        for (String l : m.labels())
            n += l.getBytes(StandardCharsets.UTF_8).length;
        for (Layer l : m.layers())
            n += l.name().getBytes(StandardCharsets.UTF_8).length;
        return n;
    }

    @Test
    public void committedModelsAreTheThresholdFormOfTheOldOnesAndAtMostOnePointTwoTimesTheDeviceBytes() throws Exception {
        Device device = Device.named("arduino101");
        StringBuilder table = new StringBuilder(
                "| model | version 2 file (float BN) | **version 3 file** (threshold form) | weights + thresholds on arduino101 | metadata | file / (w+t) | file / (w+t+metadata) |\n|---|---|---|---|---|---|---|\n");
        for (String name : NAMES) {
            Path committed = Path.of("../examples/models", name + ".ebnn"), old = Path.of("src/test/resources/ebnn/core/format/v2", name + ".ebnn");
            byte[] file = Files.readAllBytes(committed), oldFile = Files.readAllBytes(old);
            assertEquals(name, 3, file[7]);
            assertEquals(name, 2, oldFile[7]);
            Model m = EbnnFormat.fromBytes(file), before = EbnnFormat.fromBytes(oldFile);
            BinaryModel integer = Lowering.lower(before);
            assertEquals(name + ": the same integer model", integer, Lowering.lower(m));
            assertArrayEquals(name + ": the threshold form of the version-2 model", EbnnFormat.toBytes(ThresholdForm.of(before)), file);
            assertArrayEquals(name + ": rewriting it gives the same bytes", EbnnFormat.toBytes(ThresholdForm.of(m)), file);
            assertTrue(name, m.layers().stream().noneMatch(l -> l instanceof BatchNorm));
            assertEquals(name + ": name, input range, labels travel", before.name(), m.name());
            assertEquals(name, before.input(), m.input());
            assertEquals(name, before.labels(), m.labels());
            MemoryPlan plan = MemoryPlanner.plan(integer, device);
            long wt = plan.dataFlashBytes(), meta = metadataBytes(m);
            double ratio = (double) file.length / wt, withMeta = (double) file.length / (wt + meta);
            assertTrue(name + ": " + file.length + " B for " + wt + " + " + meta + " B", withMeta <= 1.2);
            table.append(String.format(Locale.ROOT, "| %s | %,d B | **%,d B** | %,d B | %,d B | %.2fx | **%.2fx** |%n", name, oldFile.length,
                    file.length, wt, meta, ratio, withMeta));
        }
        System.out.print(table);
    }
}
