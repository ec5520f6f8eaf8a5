package ebnn.runtime.java;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import ebnn.api.binary.InputThresholdBlock;

/** Input thresholds: bit = byte ≥ τ of its channel; one channel eight pixels per 64-bit read (SWAR). */
final class InputThresholdKernel extends Kernel<Void> {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long H = 0x8080808080808080L;
    private final int channels;
    private final int size;
    private final int[] tau;

    InputThresholdKernel(InputThresholdBlock b) {
        super(b.name(), b.outputShape().size());
        channels = b.inputShape().channels();
        size = b.inputShape().size();
        tau = b.thresholds().toArray();
    }

    @Override
    String id() {
        return "input-threshold";
    }

    @Override
    Void newScratch() {
        return null;
    }

    @Override
    void run(byte[] bytes, int off, long[] in, long[] out, int[] scores, Void s) {
        clear(out, outBits);
        if (channels == 1) {
            // eight pixels per 64-bit read, compared as unsigned bytes in SWAR, the eight answers
            // gathered into one byte by a multiply
            int t = tau[0], full = size >>> 3;
            long y = t <= 0 ? 0 : t > 255 ? -1 : (t & 0xffL) * 0x0101010101010101L;
            for (int g = 0; g < full; g++) {
                long x = (long) LONGS.get(bytes, off + (g << 3));
                long ge;
                if (t <= 0)
                    ge = H;
                else if (t > 255)
                    ge = 0;
                else {
                    long d = (x | H) - (y & ~H); // per lane: high bit = low 7 bits of x >= those of y
                    ge = ((x & ~y) | (~(x ^ y) & d)) & H;
                }
                long packed = ((ge >>> 7) * 0x0102040810204080L) >>> 56;
                int bit = g << 3;
                out[bit >>> 6] |= packed << (bit & 63);
            }
            for (int i = full << 3; i < size; i++)
                if ((bytes[off + i] & 0xff) >= t)
                    out[i >>> 6] |= 1L << i;
            return;
        }
        int c = 0;
        for (int i = 0; i < size; i++) {
            if ((bytes[off + i] & 0xff) >= tau[c])
                out[i >>> 6] |= 1L << i;
            if (++c == channels)
                c = 0;
        }
    }
}
