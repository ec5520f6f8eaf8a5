package ebnn.api.model;

import ebnn.api.InvalidModelException;

/** A CHW tensor shape. A vector of n values is (n, 1, 1). */
public record Shape(int channels, int height, int width) {

    /** Largest element count a tensor may have; keeps every index an int and absurd shapes out early. */
    public static final long MAX_ELEMENTS = 1L << 28;

    public Shape {
        if (channels <= 0 || height <= 0 || width <= 0)
            throw new InvalidModelException("shape dimensions must be positive: " + channels + "x" + height + "x" + width);
        long n = (long) channels * height * width;
        if (n > MAX_ELEMENTS)
            throw new InvalidModelException("shape " + channels + "x" + height + "x" + width + " has " + n
                    + " elements, more than the limit of " + MAX_ELEMENTS);
    }

    public static Shape vector(int n) {
        return new Shape(n, 1, 1);
    }

    public int size() {
        return channels * height * width;
    }

    public boolean isVector() {
        return height == 1 && width == 1;
    }

    @Override
    public String toString() {
        return isVector() ? "[" + channels + "]" : "[" + channels + "x" + height + "x" + width + "]";
    }
}
