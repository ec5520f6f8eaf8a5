package ebnn.api.model;

import java.util.Arrays;

/** An immutable array of real parameters (weights, batch-norm statistics, scales), equal by content. */
public final class Params {
    private final double[] values;

    private Params(double[] values) {
        this.values = values;
    }

    public static Params of(double... values) {
        return new Params(values.clone());
    }

    public static Params of(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++)
            d[i] = values[i];
        return new Params(d);
    }

    public static Params filled(int n, double value) {
        double[] d = new double[n];
        Arrays.fill(d, value);
        return new Params(d);
    }

    public static Params empty() {
        return new Params(new double[0]);
    }

    public int length() {
        return values.length;
    }

    public double get(int i) {
        return values[i];
    }

    public double[] toArray() {
        return values.clone();
    }

    public boolean isEmpty() {
        return values.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params p && Arrays.equals(values, p.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return values.length <= 8 ? Arrays.toString(values) : "Params[" + values.length + "]";
    }
}
