package ebnn.core.plan;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import ebnn.api.BudgetExceededException;
import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.BitMatrix;
import ebnn.api.binary.Block;
import ebnn.api.binary.ByteInput;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputKind;
import ebnn.api.binary.IntArray;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.Scores;
import ebnn.api.binary.Thresholds;
import ebnn.api.model.Shape;
import ebnn.core.lower.Lowering;
import ebnn.testing.PaperModels;

/** Planned sizes against numbers computed by hand from the Packing rules (the comments show the arithmetic). */
public class MemoryPlannerTest {
    static DenseBlock dense(String name, InputKind kind, Shape in, int out, int tau) {
        BitMatrix w = BitMatrix.build(out, in.size(), (r, c) -> (r + c) % 3 == 0);
        return new DenseBlock(name, kind, kind == InputKind.BYTES ? ByteInput.IDENTITY : null, in, out, w,
                Thresholds.of(IntArray.filled(out, tau).toArray()));
    }

    static DenseBlock scores(String name, Shape in, int classes) {
        return new DenseBlock(name, InputKind.BITS, null, in, classes, BitMatrix.build(classes, in.size(), (r, c) -> c % 2 == 0),
                Scores.identity(classes));
    }

    /** 25 bytes -> 70 -> 33 (one τ needs int32) -> 100 -> 10 scores. */
    static BinaryModel small() {
        List<Block> b = new ArrayList<>();
        b.add(dense("d0", InputKind.BYTES, new Shape(1, 5, 5), 70, 3));
        b.add(dense("d1", InputKind.BITS, Shape.vector(70), 33, 40_000));
        b.add(dense("d2", InputKind.BITS, Shape.vector(33), 100, -2));
        b.add(scores("d3", Shape.vector(100), 10));
        return new BinaryModel("small", new Shape(1, 5, 5), b, List.of());
    }

    static void assertBlock(MemoryPlan.BlockMemory m, long weights, long thresholds, long output, int buffer) {
        assertEquals(m.block() + " weights", weights, m.weightBytes());
        assertEquals(m.block() + " thresholds", thresholds, m.thresholdBytes());
        assertEquals(m.block() + " output", output, m.outputBytes());
        assertEquals(m.block() + " buffer", buffer, m.buffer());
    }

    @Test
    public void eightBitWords() {
        MemoryPlan p = MemoryPlanner.plan(small(), Device.named("atmega328p"));
        assertBlock(p.blocks().get(0), 70 * 4, 70 * 2, 9, 0);   // 25 bits -> 4 bytes per row; int16 τ; 70 bits -> 9 bytes
        assertBlock(p.blocks().get(1), 33 * 9, 33 * 4, 5, 1);   // 70 bits -> 9 bytes per row; τ 40000 needs int32; 33 bits -> 5 bytes
        assertBlock(p.blocks().get(2), 100 * 5, 100 * 2, 13, 0); // 33 bits -> 5 bytes per row; 100 bits -> 13 bytes
        assertBlock(p.blocks().get(3), 10 * 13, 10 * 8, 40, -1); // 100 bits -> 13 bytes per row; int32 multiplier + offset; 10 int32 scores
        assertEquals(25, p.inputBytes());
        assertEquals(13, p.bufferABytes()); // max(9, 13)
        assertEquals(5, p.bufferBBytes());
        assertEquals(40, p.scoreBytes());
        assertEquals(64, p.stackBytes());
        assertEquals(2048, p.codeBytes());
        assertEquals(280 + 140 + 297 + 132 + 500 + 200 + 130 + 80, p.dataFlashBytes());
        // layers on bits and RAM to spare: the byte popcount table goes to SRAM (256 B + up to 255 B alignment)
        assertEquals(MemoryPlan.POPCOUNT_TABLE_RAM, p.tableBytes());
        assertEquals(25 + 13 + 5 + 40 + 511 + 64, p.ramBytes());
        assertTrue(p.fits());
        assertTrue(MemoryPlanner.report(p), MemoryPlanner.report(p).contains("+ popcount table 511 "));
    }

    /** The popcount table stays in flash where the RAM is not there to spare, and off 8-bit cores. */
    @Test
    public void popcountTableOnlyWhereRamIsToSpare() {
        Device tiny = new Device("tiny-avr", "test", Device.Arch.AVR, "avr5", 32768, 25 + 13 + 5 + 40 + 64 + 510, 8, 16_000_000);
        MemoryPlan p = MemoryPlanner.plan(small(), tiny);
        assertEquals(0, p.tableBytes());
        assertEquals(25 + 13 + 5 + 40 + 64, p.ramBytes());
        Device room = new Device("room-avr", "test", Device.Arch.AVR, "avr5", 32768, 25 + 13 + 5 + 40 + 64 + 511, 8, 16_000_000);
        assertEquals(MemoryPlan.POPCOUNT_TABLE_RAM, MemoryPlanner.plan(small(), room).tableBytes());
        assertEquals(0, MemoryPlanner.plan(small(), Device.named("cortex-m0")).tableBytes());
    }

    @Test
    public void thirtyTwoAndSixtyFourBitWords() {
        MemoryPlan p = MemoryPlanner.plan(small(), Device.named("cortex-m4"));
        assertBlock(p.blocks().get(0), 70 * 4, 140, 12, 0);     // 25 bits -> 1 word; 70 bits -> 3 words
        assertBlock(p.blocks().get(1), 33 * 12, 132, 8, 1);     // 70 bits -> 3 words; 33 bits -> 2 words
        assertBlock(p.blocks().get(2), 100 * 8, 200, 16, 0);    // 33 bits -> 2 words; 100 bits -> 4 words
        assertBlock(p.blocks().get(3), 10 * 16, 80, 40, -1);
        assertEquals(16, p.bufferABytes());
        assertEquals(128, p.stackBytes());
        assertEquals(3072, p.codeBytes());
        MemoryPlan h = MemoryPlanner.plan(small(), Device.named("host"));
        assertBlock(h.blocks().get(0), 70 * 8, 140, 16, 0);     // 25 bits -> 1 long; 70 bits -> 2 longs
        assertBlock(h.blocks().get(1), 33 * 16, 132, 8, 1);
        assertBlock(h.blocks().get(2), 100 * 8, 200, 16, 0);
        assertBlock(h.blocks().get(3), 10 * 16, 80, 40, -1);
        assertEquals(512, h.stackBytes());
    }

    @Test
    public void overBudgetOnAtmega328pGivesTheNumbers() {
        // flash: 784 bytes -> 320 -> 10 scores: 320 * 98 + 320 * 2 + 10 * 40 + 10 * 8 + 2048 code = 34528 of 32768
        BinaryModel flashHeavy = new BinaryModel("flash-heavy", new Shape(1, 28, 28), List.of(
                dense("d0", InputKind.BYTES, new Shape(1, 28, 28), 320, 0), scores("d1", Shape.vector(320), 10)), List.of());
        MemoryPlan p = MemoryPlanner.plan(flashHeavy, Device.named("atmega328p"));
        assertEquals(34528, p.flashBytes());
        assertFalse(p.fits());
        assertEquals(1, p.overflows().size());
        assertEquals(1760, p.overflows().get(0).excessBytes());
        try {
            p.requireFits();
            fail();
        } catch (BudgetExceededException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("flash needs 34528 B, 32768 B available (over by 1760 B)"));
        }
        // RAM: a 3x32x32 image is 3072 input bytes + 1 + 0 + 40 scores + 64 stack = 3177 of 2048
        BinaryModel ramHeavy = new BinaryModel("ram-heavy", new Shape(3, 32, 32), List.of(
                dense("d0", InputKind.BYTES, new Shape(3, 32, 32), 8, 0), scores("d1", Shape.vector(8), 10)), List.of());
        MemoryPlan r = MemoryPlanner.plan(ramHeavy, Device.named("atmega328p"));
        assertEquals(3177, r.ramBytes());
        assertEquals(8 * 384 + 16 + 10 + 80 + 2048, r.flashBytes());
        assertEquals(List.of(new BudgetExceededException.Overflow("RAM", 3177, 2048)), r.overflows());
        assertTrue(MemoryPlanner.report(r), MemoryPlanner.report(r).contains("over by 1129 B"));
    }

    @Test
    public void paperMlpOnTheArduino101() {
        // eBNN's device: 15 KB RAM; mlp-128 needs 784 input + 16 + 0 + 40 + 512 stack (x86 estimate)
        MemoryPlan p = MemoryPlanner.plan(Lowering.lower(PaperModels.mlp128(1)), Device.named("arduino101"));
        assertEquals(784, p.inputBytes());
        assertEquals(128 * 100, p.blocks().get(0).weightBytes()); // 784 bits -> 25 words of 4 bytes per row
        assertEquals(10 * 16, p.blocks().get(1).weightBytes());   // 128 bits -> 4 words
        assertEquals(784 + 16 + 40 + 512, p.ramBytes());
        assertTrue(p.fits());
    }
}
