package ebnn.codegen.c;

import java.util.ArrayList;
import java.util.List;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.Block;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.Packing;

/**
 * Memory plans for the tests, straight from the {@link Packing} rules of ebnn.api (block i writes
 * buffer i % 2, the last the scores). Stand-in until ebnn.core's MemoryPlanner is available.
 */
final class TestPlans {
    private TestPlans() {
    }

    static MemoryPlan plan(BinaryModel m, Device d, long stackBytes, long codeBytes) {
        int wb = d.wordBits();
        long[] buf = new long[2];
        List<MemoryPlan.BlockMemory> blocks = new ArrayList<>();
        for (int i = 0; i < m.blocks().size(); i++) {
            Block b = m.blocks().get(i);
            boolean last = i == m.blocks().size() - 1;
            long out = Packing.outputBytes(b, wb);
            if (!last)
                buf[i % 2] = Math.max(buf[i % 2], out);
            blocks.add(new MemoryPlan.BlockMemory(b.name(), Packing.weightBytes(b, wb), Packing.thresholdBytes(b), out, last ? -1 : i % 2));
        }
        return new MemoryPlan(m.name(), d, m.inputSize(), buf[0], buf[1], 4L * m.classes(), stackBytes, codeBytes, blocks);
    }

    static MemoryPlan plan(BinaryModel m, Device d) {
        return plan(m, d, 256, 2048);
    }
}
