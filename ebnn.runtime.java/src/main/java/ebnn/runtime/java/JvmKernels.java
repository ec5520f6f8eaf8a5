package ebnn.runtime.java;

import java.util.List;

import ebnn.api.binary.Block;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputThresholdBlock;

/**
 * The jvm back end's one kernel selector: for each block the first registered kernel whose
 * {@code applies} holds, in the order of {@link #REGISTRY} (the whole-map kernels before the
 * per-position fallbacks). The compiled model, the tests and the bench's block profiler all ask
 * here, so a block runs the kernel they name.
 */
final class JvmKernels {
    private JvmKernels() {
    }

    /** One registered kernel: when it applies to a block (with the ±1-table size limit) and how it is built. */
    private record Entry(String family, Applies applies, Make make) {
    }

    @FunctionalInterface
    private interface Applies {
        boolean test(Block b, int signLimit);
    }

    @FunctionalInterface
    private interface Make {
        Kernel<?> make(Block b, int signLimit);
    }

    private static final List<Entry> REGISTRY = List.of(
            new Entry("input-threshold", (b, l) -> b instanceof InputThresholdBlock, (b, l) -> new InputThresholdKernel((InputThresholdBlock) b)),
            new Entry("dense-bits", (b, l) -> b instanceof DenseBlock d && DenseKernel.OnBits.applies(d), (b, l) -> new DenseKernel.OnBits((DenseBlock) b)),
            new Entry("dense-bytes", (b, l) -> b instanceof DenseBlock d && DenseKernel.OnBytes.applies(d),
                    (b, l) -> new DenseKernel.OnBytes((DenseBlock) b, l)),
            new Entry("conv-bytes-planes", (b, l) -> b instanceof ConvBlock c && PlaneConv.applies(c, signsT(c, l)),
                    (b, l) -> new PlaneConv((ConvBlock) b, new ConvShape((ConvBlock) b), signsT((ConvBlock) b, l))),
            new Entry("conv-bits-positions", (b, l) -> b instanceof ConvBlock c && PositionConv.applies(c),
                    (b, l) -> new PositionConv((ConvBlock) b, new ConvShape((ConvBlock) b))),
            new Entry("conv-bits-window-filters", (b, l) -> b instanceof ConvBlock c && WindowConv.ByFilters.applies(c),
                    (b, l) -> new WindowConv.ByFilters(new ConvShape((ConvBlock) b))),
            new Entry("conv-bytes-window", (b, l) -> b instanceof ConvBlock c && new ConvShape(c).byteInput,
                    (b, l) -> new WindowConv.OnBytes((ConvBlock) b, new ConvShape((ConvBlock) b), signsT((ConvBlock) b, l))),
            new Entry("conv-bits-window", (b, l) -> b instanceof ConvBlock, (b, l) -> new WindowConv.OnBits(new ConvShape((ConvBlock) b))));

    /** The kernel of block {@code b}; byte-input layers up to {@code signLimit} weights get a ±1 int table. */
    static Kernel<?> select(Block b, int signLimit) {
        for (Entry e : REGISTRY)
            if (e.applies().test(b, signLimit))
                return e.make().make(b, signLimit);
        throw new IllegalStateException("no jvm kernel for block '" + b.name() + "'"); // the last entries take every block kind
    }

    /** The kernels of every block of a model, in order. */
    static Kernel<?>[] select(List<Block> blocks, int signLimit) {
        Kernel<?>[] k = new Kernel<?>[blocks.size()];
        for (int i = 0; i < k.length; i++)
            k[i] = select(blocks.get(i), signLimit);
        return k;
    }

    /** Byte input: the weights as ±1 per (tap, channel), tap-major; null for bit input or past the size limit. */
    static int[] signsT(ConvBlock c, int signLimit) {
        if (!new ConvShape(c).byteInput)
            return null;
        int[] signs = Kernel.signs(c.weights(), signLimit);
        if (signs == null)
            return null;
        int outC = c.outChannels(), taps = c.weights().cols();
        int[] t = new int[signs.length];
        for (int o = 0; o < outC; o++)
            for (int k = 0; k < taps; k++)
                t[k * outC + o] = signs[o * taps + k];
        return t;
    }
}
