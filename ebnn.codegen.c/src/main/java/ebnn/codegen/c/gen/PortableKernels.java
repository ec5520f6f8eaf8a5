package ebnn.codegen.c.gen;

import java.util.List;

/**
 * The plain C back end's kernel selector: portable C99, with the AVR assembly kernels of
 * {@code ebnn_rt.h} under {@code #if defined(__AVR__)}, and on AVR plans the byte-input conv
 * {@link ConvTablesKernel} (plain C, position-major, ahead of the per-channel conv kernels).
 * Bounds measured on AVR only.
 */
public final class PortableKernels {
    private PortableKernels() {
    }

    /** The portable kernels in order of preference (the first that applies to a block is its kernel). */
    public static final List<BlockKernel> KERNELS = List.of(ThresholdKernel.BYTES8, ThresholdKernel.GENERIC, new DenseKernel.OnBitsAvrRows(), new DenseKernel.OnBitsAvr(),
            new DenseKernel.OnBits(), new DenseKernel.OnBytes(), ConvTablesKernel.INSTANCE, ConvKernel.MASK, ConvKernel.WORDS, ConvKernel.UNROLLED, ConvKernel.BYTES,
            ConvKernel.BITS);

    public static final KernelSelector SELECTOR = new KernelSelector("ebnn C back end", KERNELS, "", "", null, AvrBounds.CODE_BASE);
}
