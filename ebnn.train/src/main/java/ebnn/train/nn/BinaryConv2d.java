package ebnn.train.nn;

import java.util.List;

import ebnn.api.model.Shape;

/**
 * Square-kernel convolution (zero padding, equal stride in both directions) with binary weights and the straight-through
 * estimator, no bias. Per sample the input is unfolded (im2col, rows r = (ci, ky, kx), columns =
 * output positions), so every inner loop is a contiguous axpy over output positions.
 */
public final class BinaryConv2d extends Op {
    public final int inChannels;
    public final int outChannels;
    public final int kernel;
    public final int pad;
    public final int stride;
    public final Param weight; // [out][in][ky][kx], the IR's order
    private final float[] wb;
    private final int rows;
    private final int positions;
    private final float[][] col = new float[Par.SHARDS][];
    private final float[][] dcol = new float[Par.SHARDS][];
    private final float[][] shardGrad = new float[Par.SHARDS][];

    public BinaryConv2d(String name, Shape in, int outChannels, int kernel, int pad) {
        this(name, in, outChannels, kernel, pad, 1);
    }

    public BinaryConv2d(String name, Shape in, int outChannels, int kernel, int pad, int stride) {
        super(name, in, new Shape(outChannels, (in.height() + 2 * pad - kernel) / stride + 1, (in.width() + 2 * pad - kernel) / stride + 1));
        this.stride = stride;
        this.inChannels = in.channels();
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.pad = pad;
        this.rows = inChannels * kernel * kernel;
        this.positions = out.height() * out.width();
        this.weight = new Param(name + ".weight", outChannels * rows, true);
        this.wb = new float[outChannels * rows];
    }

    @Override
    public List<Param> params() {
        return List.of(weight);
    }

    @Override
    public void prepare() {
        float[] w = weight.w;
        for (int i = 0; i < w.length; i++)
            wb[i] = w[i] >= 0 ? 1f : -1f;
    }

    private void im2col(float[] x, int xo, float[] c) {
        int H = in.height(), W = in.width(), OH = out.height(), OW = out.width(), k = kernel;
        for (int ci = 0; ci < inChannels; ci++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++) {
                    int r = (ci * k + ky) * k + kx;
                    int ro = r * positions;
                    for (int oy = 0; oy < OH; oy++) {
                        int iy = oy * stride + ky - pad;
                        int po = ro + oy * OW;
                        if (iy < 0 || iy >= H) {
                            java.util.Arrays.fill(c, po, po + OW, 0f);
                            continue;
                        }
                        int xrow = xo + (ci * H + iy) * W;
                        for (int ox = 0; ox < OW; ox++) {
                            int ix = ox * stride + kx - pad;
                            c[po + ox] = ix < 0 || ix >= W ? 0f : x[xrow + ix];
                        }
                    }
                }
    }

    private float[] buf(float[][] b, int s, int n) {
        if (b[s] == null)
            b[s] = new float[n];
        return b[s];
    }

    @Override
    public void forward(Par par, float[] x, float[] y, int batch, boolean train) {
        final int P = positions, R = rows, inSize = in.size(), outSize = out.size();
        par.shards(batch, (s, from, to) -> {
            float[] c = buf(col, s, R * P);
            for (int b = from; b < to; b++) {
                im2col(x, b * inSize, c);
                int yo = b * outSize;
                java.util.Arrays.fill(y, yo, yo + outSize, 0f);
                for (int oc = 0; oc < outChannels; oc++) {
                    int ybase = yo + oc * P;
                    for (int r = 0; r < R; r++) {
                        float w = wb[oc * R + r];
                        int cbase = r * P;
                        for (int p = 0; p < P; p++)
                            y[ybase + p] += w * c[cbase + p];
                    }
                }
            }
        });
    }

    @Override
    public void backward(Par par, float[] x, float[] y, float[] dy, float[] dx, int batch) {
        final int P = positions, R = rows, inSize = in.size(), outSize = out.size();
        par.shards(batch, (s, from, to) -> {
            float[] c = buf(col, s, R * P);
            float[] gs = shardGrad[s];
            if (gs == null)
                gs = shardGrad[s] = new float[outChannels * R];
            else
                java.util.Arrays.fill(gs, 0f);
            float[] dc = dx == null ? null : buf(dcol, s, R * P);
            for (int b = from; b < to; b++) {
                im2col(x, b * inSize, c);
                int yo = b * outSize;
                for (int oc = 0; oc < outChannels; oc++) {
                    int dbase = yo + oc * P;
                    for (int r = 0; r < R; r++) {
                        int cbase = r * P;
                        float acc = 0f;
                        for (int p = 0; p < P; p++)
                            acc += dy[dbase + p] * c[cbase + p];
                        gs[oc * R + r] += acc;
                    }
                }
                if (dc != null) {
                    java.util.Arrays.fill(dc, 0f);
                    for (int oc = 0; oc < outChannels; oc++) {
                        int dbase = yo + oc * P;
                        for (int r = 0; r < R; r++) {
                            float w = wb[oc * R + r];
                            int cbase = r * P;
                            for (int p = 0; p < P; p++)
                                dc[cbase + p] += w * dy[dbase + p];
                        }
                    }
                    col2im(dc, dx, b * inSize);
                }
            }
        });
        BinaryDense.sumShards(par, shardGrad, weight.g);
    }

    private void col2im(float[] dc, float[] dx, int xo) {
        int H = in.height(), W = in.width(), OH = out.height(), OW = out.width(), k = kernel;
        java.util.Arrays.fill(dx, xo, xo + in.size(), 0f);
        for (int ci = 0; ci < inChannels; ci++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++) {
                    int ro = ((ci * k + ky) * k + kx) * positions;
                    for (int oy = 0; oy < OH; oy++) {
                        int iy = oy * stride + ky - pad;
                        if (iy < 0 || iy >= H)
                            continue;
                        int xrow = xo + (ci * H + iy) * W, po = ro + oy * OW;
                        for (int ox = 0; ox < OW; ox++) {
                            int ix = ox * stride + kx - pad;
                            if (ix >= 0 && ix < W)
                                dx[xrow + ix] += dc[po + ox];
                        }
                    }
                }
    }
}
