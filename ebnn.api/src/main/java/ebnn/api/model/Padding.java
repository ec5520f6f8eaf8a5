package ebnn.api.model;

import ebnn.api.InvalidModelException;

/** Zero padding (convolution) or ignored padding (pooling) on each side of a feature map. */
public record Padding(int top, int left, int bottom, int right) {
    public static final Padding NONE = new Padding(0, 0, 0, 0);

    public Padding {
        if (top < 0 || left < 0 || bottom < 0 || right < 0 || top > 64 || left > 64 || bottom > 64 || right > 64)
            throw new InvalidModelException("padding must be within 0..64 on each side: " + top + "," + left + "," + bottom + "," + right);
    }

    public static Padding same(int p) {
        return new Padding(p, p, p, p);
    }
}
