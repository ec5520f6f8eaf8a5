package ebnn.api.binary;

import java.util.Arrays;
import java.util.stream.IntStream;

/** An immutable int array, equal by content. */
public final class IntArray {
    private final int[] values;

    private IntArray(int[] values) {
        this.values = values;
    }

    public static IntArray of(int... values) {
        return new IntArray(values.clone());
    }

    public static IntArray filled(int n, int value) {
        int[] v = new int[n];
        Arrays.fill(v, value);
        return new IntArray(v);
    }

    public int length() {
        return values.length;
    }

    public int get(int i) {
        return values[i];
    }

    public int[] toArray() {
        return values.clone();
    }

    public IntStream stream() {
        return Arrays.stream(values);
    }

    public int min() {
        return stream().min().orElse(0);
    }

    public int max() {
        return stream().max().orElse(0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntArray a && Arrays.equals(values, a.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return values.length <= 8 ? Arrays.toString(values) : "IntArray[" + values.length + "]";
    }
}
