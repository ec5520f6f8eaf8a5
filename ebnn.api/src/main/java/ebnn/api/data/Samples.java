package ebnn.api.data;

import ebnn.api.model.Shape;

/**
 * Sample byte order. Data sets and float models hold samples channel-major (CHW); the integer
 * contract — every {@code CompiledModel} and every generated C entry point — takes them
 * interleaved (HWC). One place converts, so that every caller feeds the same bytes.
 */
public final class Samples {
    private Samples() {
    }

    /**
     * {@code count} consecutive CHW samples of {@code shape} in HWC order. With one channel the two
     * orders are the same and the array itself is returned (no copy).
     */
    public static byte[] chwToHwc(byte[] chw, int count, Shape shape) {
        int c = shape.channels(), plane = shape.height() * shape.width(), n = shape.size();
        if ((long) count * n > chw.length)
            throw new IllegalArgumentException(count + " samples of " + shape + " need " + (long) count * n + " bytes, got " + chw.length);
        if (c == 1)
            return chw;
        byte[] out = new byte[chw.length];
        for (int i = 0; i < count; i++)
            for (int k = 0; k < c; k++)
                for (int p = 0; p < plane; p++)
                    out[i * n + p * c + k] = chw[i * n + k * plane + p];
        return out;
    }
}
