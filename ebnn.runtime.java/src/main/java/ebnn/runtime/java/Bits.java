package ebnn.runtime.java;

/**
 * Bit-stream helpers over 64-bit words, LSB first (bit i of a stream is bit i%64 of word i/64), as
 * {@link ebnn.api.binary.BitMatrix} and the integer contract lay streams out. Every array read
 * through {@link #read64} has one spare word after its last data word, so an unaligned read never
 * needs a bounds branch.
 */
final class Bits {
    private Bits() {
    }

    static int words(long bits) {
        return (int) ((bits + 63) >>> 6);
    }

    /** The 64 bits starting at bit {@code pos}. */
    static long read64(long[] a, int pos) {
        int w = pos >>> 6;
        int s = pos & 63;
        return s == 0 ? a[w] : (a[w] >>> s) | (a[w + 1] << (64 - s));
    }

    /** ORs the low {@code len} (1..64) bits of {@code value} (higher bits must be 0) into {@code dst} at bit {@code pos}. */
    static void or(long[] dst, int pos, long value, int len) {
        int w = pos >>> 6;
        int s = pos & 63;
        dst[w] |= value << s;
        if (s != 0 && s + len > 64)
            dst[w + 1] |= value >>> (64 - s);
    }

    static long low(int n) {
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    /** ORs {@code len} bits of {@code src} from {@code srcPos} into {@code dst} at {@code dstPos}. */
    static void copy(long[] src, int srcPos, long[] dst, int dstPos, int len) {
        while (len > 0) {
            int n = Math.min(len, 64);
            or(dst, dstPos, read64(src, srcPos) & low(n), n);
            srcPos += n;
            dstPos += n;
            len -= n;
        }
    }

    /** Sets {@code len} bits from {@code pos}. */
    static void set(long[] dst, int pos, int len) {
        while (len > 0) {
            int n = Math.min(len, 64 - (pos & 63));
            dst[pos >>> 6] |= low(n) << (pos & 63);
            pos += n;
            len -= n;
        }
    }
}
