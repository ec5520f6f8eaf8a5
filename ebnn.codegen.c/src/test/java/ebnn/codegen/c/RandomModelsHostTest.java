package ebnn.codegen.c;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.spi.CompileOptions;
import ebnn.codegen.c.gen.BlockKernel;
import ebnn.codegen.c.gen.PortableKernels;
import ebnn.core.lower.Lowering;
import ebnn.core.plan.MemoryPlanner;
import ebnn.testing.RandomModels;

/**
 * Random models of every shape the foundation generates (conv with padding and stride, pools in
 * both orders and with padding, negative and zero γ, multi-channel input, byte-input maps, input
 * thresholds, score affines), each built with host gcc for 8-, 32- or 64-bit words, must give the
 * JVM runtime's classes and scores. The samples come in a shuffled order with repeats, so a block
 * that left stale bits in a buffer from an earlier inference would give a wrong answer.
 */
public class RandomModelsHostTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final String[] DEVICES = { "atmega328p", "arduino101", "host" };

    @Test
    public void randomModelsEqualTheJvmRuntime() throws Exception {
        Set<RandomModels.Feature> covered = EnumSet.noneOf(RandomModels.Feature.class);
        int models = 0;
        for (RandomModels.Generated g : RandomModels.many(24, 9100)) {
            check(g, Device.named(DEVICES[models % DEVICES.length]));
            covered.addAll(g.features());
            models++;
        }
        assertEquals(24, models);
        for (RandomModels.Feature f : EnumSet.of(RandomModels.Feature.CONV_PADDED, RandomModels.Feature.CONV_STRIDED,
                RandomModels.Feature.POOL_BEFORE_BN, RandomModels.Feature.POOL_AFTER_SIGN, RandomModels.Feature.NEGATIVE_GAMMA,
                RandomModels.Feature.MULTI_CHANNEL_INPUT, RandomModels.Feature.INPUT_THRESHOLD, RandomModels.Feature.MLP))
            assertTrue("random models cover " + f + ": " + covered, covered.contains(f));
    }

    /**
     * Paths the generator takes for rarer shapes, each on the next four random models that have it,
     * on every device (8-, 32- and 64-bit words): a conv on 32 or 64 binary channels reads whole
     * words of channel bits (XOR + popcount per word) where they fill the device's words; a 6x6 or
     * 7x7 filter on bytes has an unrolled interior window that reads each weight word once.
     */
    @Test
    public void rarerConvShapesEqualTheJvmRuntime() throws Exception {
        for (RandomModels.Feature feature : EnumSet.of(RandomModels.Feature.CONV_ON_WORD_CHANNELS, RandomModels.Feature.WIDE_FILTER)) {
            int models = 0;
            for (RandomModels.Generated g : RandomModels.many(400, 9200)) {
                if (!g.features().contains(feature))
                    continue;
                for (String device : DEVICES)
                    check(g, Device.named(device));
                if (++models == 4)
                    break;
            }
            assertEquals(feature + " models", 4, models);
        }
    }

    /**
     * Every kernel of the C back end's selector, on every word size where it can apply (8, 32, 64
     * bits), runs on the host in some random model and gives the JVM runtime's answers: per device,
     * the random models in order, each taken when the selector picks a kernel for one of its blocks
     * that no model taken before had. Only the AVR kernels (threshold-8, dense-bits-avr*, *-avr) need
     * 8-bit words. On 8-bit words conv-bytes-mask is left only the byte convs conv-bytes-tables-avr
     * refuses (accumulators beyond int16, more than 255 channels), which the random models do not
     * have: there it is covered on 32 and 64 bits.
     */
    @Test
    public void everyKernelOnEveryWordSizeEqualsTheJvmRuntime() throws Exception {
        List<RandomModels.Generated> candidates = RandomModels.many(2000, 9100);
        for (String name : DEVICES) {
            Device device = Device.named(name);
            Set<String> want = new TreeSet<>();
            for (BlockKernel k : PortableKernels.KERNELS)
                if (device.wordBits() == 8 ? !k.id().equals("conv-bytes-mask")
                        : !k.id().equals("threshold-8") && !k.id().startsWith("dense-bits-avr") && !k.id().endsWith("-avr"))
                    want.add(k.id());
            Set<String> seen = new TreeSet<>();
            for (RandomModels.Generated g : candidates) {
                BinaryModel m = Lowering.lower(g.model());
                Set<String> ids = new TreeSet<>();
                for (BlockKernel k : PortableKernels.SELECTOR.select(m, MemoryPlanner.plan(m, device)))
                    ids.add(k.id());
                if (seen.containsAll(ids))
                    continue;
                check(g, device);
                seen.addAll(ids);
                if (seen.containsAll(want))
                    break;
            }
            assertEquals("kernels run on " + name, want, seen);
        }
    }

    private void check(RandomModels.Generated g, Device device) throws Exception {
        BinaryModel m = Lowering.lower(g.model());
        Random rnd = new Random(g.seed());
        int distinct = 12, runs = 40;
        byte[][] pool = new byte[distinct][];
        for (int i = 0; i < distinct; i++)
            pool[i] = RandomModels.chwToHwc(m.input(), RandomModels.input(g.model(), rnd));
        byte[] samples = new byte[runs * m.inputSize()];
        for (int i = 0; i < runs; i++)
            System.arraycopy(pool[rnd.nextInt(distinct)], 0, samples, i * m.inputSize(), m.inputSize());
        Path dir = tmp.newFolder().toPath();
        Built b = Built.generate(m, MemoryPlanner.plan(m, device), CompileOptions.defaults(), dir);
        Reference.assertSame("random model " + g.seed() + " " + g.features() + " on " + device.name(), m, Reference.jvm(m, samples),
                b.runHost(b.buildHost(), samples));
    }
}
