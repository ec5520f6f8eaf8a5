package ebnn.codegen.c.gen;

import org.osgi.annotation.versioning.ConsumerType;

import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputThresholdBlock;

/**
 * What differs between the C targets that share the {@link ModelSource} generator: the kernels.
 * The generator writes the data, the block functions, the output bit packing, the thresholds and
 * scores and the entry point; a kernel strategy may replace the inner computations listed here
 * with code for its target (e.g. Cortex-M DSP intrinsics), or return null to keep the portable C.
 * Every replacement must compute exactly what the portable code computes (the integer contract
 * of {@code ebnn.api.binary}). The portable strategy is {@link #PORTABLE}.
 */
@ConsumerType
public interface Kernels {
    /** The portable C99 kernels (with the AVR assembly kernels under {@code #if defined(__AVR__)}). */
    Kernels PORTABLE = () -> "ebnn C back end";

    /** Names the back end in generated comments and in the memory report, e.g. "ebnn C back end". */
    String title();

    /** Lines added to the model source after {@code #include "ebnn_rt.h"}, e.g. a kernel header include. */
    default String sourcePrologue(ModelSource src) {
        return "";
    }

    /** Text placed after the declarator of each activation buffer, e.g. a section attribute macro. */
    default String bufferAttribute() {
        return "";
    }

    /** One extra line (without newline) for the memory report, or null. */
    default String reportNote(ModelSource src) {
        return null;
    }

    /**
     * Statements that add popcount(a[k] ^ w[k]) over the {@code words} words of one weight row to the
     * variable {@code pop} (declared and 0; its C type is {@code popType}). In scope: {@code const
     * ebnn_word *a} (the input bits) and {@code const ebnn_word *w} (the row, advanced by the
     * generator afterwards), {@code ebnn_idx k} (free to use). Null: the portable loop.
     */
    default String xorPopcount(ModelSource src, int block, DenseBlock dense, int words, String popType) {
        return null;
    }

    /**
     * Statements that set {@code uint32_t p1} (declared, 0) to the sum of the input bytes under the
     * 1-bits of one weight row of a byte-input dense block. In scope: {@code const uint8_t *in}
     * ({@code dense.inputs()} bytes; read no byte past them), {@code const ebnn_word *w} (the row of
     * {@code words} words), {@code ebnn_idx k}. If the block's byte map has an offset, also add the
     * number of 1-bits of the row to {@code int32_t c1} (declared, 0). Null: the portable loop.
     */
    default String maskedByteSum(ModelSource src, int block, DenseBlock dense, int words) {
        return null;
    }

    /**
     * Statements that set {@code uint32_t pt} (declared, 0) to the sum of the {@code dense.inputs()}
     * input bytes {@code const uint8_t *in} of a byte-input dense block (once per block call). Null:
     * the portable loop.
     */
    default String byteSum(ModelSource src, int block, DenseBlock dense) {
        return null;
    }

    /**
     * The whole definition of a conv block function with signature {@code signature} (and any helper
     * it needs before it), or null for the portable one. For byte input with at most 32 taps the
     * generator has already emitted {@code accFunction} (else it is null): the portable accumulator
     * of one conv position, {@code static int32_t accFunction(const uint8_t *in, uint16_t or
     * uint32_t wr, ebnn_idx cy, ebnn_idx cx)} with {@code wr} the filter's bits (tap t = bit t,
     * taps in (ky, kx, channel) order), which the kernel must call at least once (it is static),
     * e.g. at the borders.
     */
    default String convBlock(ModelSource src, int block, ConvBlock conv, String signature, String accFunction) {
        return null;
    }

    /** The whole definition of an input threshold block function, or null for the portable one. */
    default String inputThresholdBlock(ModelSource src, int block, InputThresholdBlock t, String signature) {
        return null;
    }
}
