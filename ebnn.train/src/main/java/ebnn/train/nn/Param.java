package ebnn.train.nn;

/**
 * A trainable tensor: values, their gradient and Adam's moments. A {@code binary} parameter holds
 * latent weights whose sign is what the network uses; it stays clipped to [−1, 1] (BinaryConnect).
 */
public final class Param {
    public final String name;
    public final float[] w;
    public final float[] g;
    final float[] m;
    final float[] v;
    public final boolean binary;

    public Param(String name, int n, boolean binary) {
        this.name = name;
        this.w = new float[n];
        this.g = new float[n];
        this.m = new float[n];
        this.v = new float[n];
        this.binary = binary;
    }
}
