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
    private final float[] wt; // wb transposed, [r][out]: the scatter path's inner loop runs over output channels
    private final float[][] acc = new float[Par.SHARDS][];
    private final int words; // 64-bit words per (position, tap row) for the popcount path
    private final long[] wbits; // sign bits of the used weights, [out][words]
    private final long[][] xbits = new long[Par.SHARDS][];
    private final long[][] mbits = new long[Par.SHARDS][];
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
        this.wt = new float[outChannels * rows];
        this.words = (rows + 63) / 64;
        this.wbits = new long[outChannels * words];
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
        for (int oc = 0; oc < outChannels; oc++)
            for (int r = 0; r < rows; r++)
                wt[r * outChannels + oc] = wb[oc * rows + r];
        java.util.Arrays.fill(wbits, 0L);
        for (int oc = 0; oc < outChannels; oc++)
            for (int r = 0; r < rows; r++)
                if (wb[oc * rows + r] > 0)
                    wbits[oc * words + (r >> 6)] |= 1L << (r & 63);
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

    private static boolean allSigns(float[] x, int off, int n) {
        for (int i = off; i < off + n; i++)
            if (x[i] != 1f && x[i] != -1f)
                return false;
        return true;
    }

    /**
     * Forward for ±1 inputs (the sign outputs of a previous layer), as the device computes it: per
     * output position the taps' sign bits and a mask of the taps inside the image (padding counts
     * 0), then y = valid − 2·popcount((x XOR w) AND mask). Integer results, equal to the float path's.
     */
    private void popcount(float[] x, int xo, float[] y, int yo, int s) {
        int H = in.height(), W = in.width(), OW = out.width(), k = kernel, P = positions, nw = words;
        if (xbits[s] == null) {
            xbits[s] = new long[P * nw];
            mbits[s] = new long[P * nw];
        }
        long[] xb = xbits[s], mb = mbits[s];
        java.util.Arrays.fill(xb, 0L);
        java.util.Arrays.fill(mb, 0L);
        int[] valid = new int[P];
        for (int p = 0; p < P; p++) {
            int oy = p / OW, ox = p % OW, base = p * nw, n = 0;
            for (int ci = 0; ci < inChannels; ci++)
                for (int ky = 0; ky < k; ky++) {
                    int iy = oy * stride + ky - pad;
                    if (iy < 0 || iy >= H)
                        continue;
                    int xrow = xo + (ci * H + iy) * W, r0 = (ci * k + ky) * k;
                    for (int kx = 0; kx < k; kx++) {
                        int ix = ox * stride + kx - pad;
                        if (ix < 0 || ix >= W)
                            continue;
                        int r = r0 + kx;
                        mb[base + (r >> 6)] |= 1L << (r & 63);
                        if (x[xrow + ix] > 0)
                            xb[base + (r >> 6)] |= 1L << (r & 63);
                        n++;
                    }
                }
            valid[p] = n;
        }
        for (int oc = 0; oc < outChannels; oc++) {
            int ybase = yo + oc * P, wbase = oc * nw;
            for (int p = 0; p < P; p++) {
                int base = p * nw, diff = 0;
                for (int i = 0; i < nw; i++)
                    diff += Long.bitCount((xb[base + i] ^ wbits[wbase + i]) & mb[base + i]);
                y[ybase + p] = valid[p] - 2 * diff;
            }
        }
    }

    private static boolean mostlyZero(float[] x, int off, int n) {
        int zeros = 0;
        for (int i = off; i < off + n; i++)
            if (x[i] == 0f)
                zeros++;
        return zeros * 2 > n;
    }

    /**
     * Forward for a sparse input (the background pixels of an image): each non-zero input adds its
     * value times the weights of every (tap, output position) it reaches, accumulated position-major
     * and then transposed to channel-major. The work is proportional to the non-zero inputs. The
     * sums are the same as the dense path's up to the order of additions (exactly the same for the
     * integer pixel values of a first layer).
     */
    private void scatter(float[] x, int xo, float[] y, int yo, float[] t) {
        int H = in.height(), W = in.width(), OH = out.height(), OW = out.width(), k = kernel, F = outChannels;
        java.util.Arrays.fill(t, 0, positions * F, 0f);
        for (int ci = 0; ci < inChannels; ci++)
            for (int iy = 0; iy < H; iy++)
                for (int ix = 0; ix < W; ix++) {
                    float v = x[xo + (ci * H + iy) * W + ix];
                    if (v == 0f)
                        continue;
                    for (int ky = 0; ky < k; ky++) {
                        int ty = iy + pad - ky;
                        if (ty < 0 || ty % stride != 0 || ty / stride >= OH)
                            continue;
                        int oy = ty / stride;
                        for (int kx = 0; kx < k; kx++) {
                            int tx = ix + pad - kx;
                            if (tx < 0 || tx % stride != 0 || tx / stride >= OW)
                                continue;
                            int tb = (oy * OW + tx / stride) * F, wbase = ((ci * k + ky) * k + kx) * F;
                            for (int oc = 0; oc < F; oc++)
                                t[tb + oc] += v * wt[wbase + oc];
                        }
                    }
                }
        for (int oc = 0; oc < F; oc++) {
            int ybase = yo + oc * positions;
            for (int p = 0; p < positions; p++)
                y[ybase + p] = t[p * F + oc];
        }
    }

    private float[] buf(float[][] b, int s, int n) {
        if (b[s] == null)
            b[s] = new float[n];
        return b[s];
    }

    @Override
    public void forward(Par par, float[] x, float[] y, int batch, boolean train) {
        final int inSize = in.size(), outSize = out.size();
        par.shards(batch, (s, from, to) -> {
            for (int b = from; b < to; b++)
                forwardSample(x, b * inSize, y, b * outSize, s);
        });
    }

    /** One sample: y[yo..] = conv(x[xo..]), on shard {@code s}'s buffers. */
    @Override
    void forwardSample(float[] x, int xo, float[] y, int yo, int s) {
        final int P = positions, R = rows, inSize = in.size(), outSize = out.size();
        if (allSigns(x, xo, inSize)) {
            popcount(x, xo, y, yo, s);
            return;
        }
        if (mostlyZero(x, xo, inSize)) {
            scatter(x, xo, y, yo, buf(acc, s, P * outChannels));
            return;
        }
        float[] c = buf(col, s, R * P);
        im2col(x, xo, c);
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

    @Override
    public void backward(Par par, float[] x, float[] y, float[] dy, float[] dx, int batch) {
        final int inSize = in.size(), outSize = out.size();
        par.shards(batch, (s, from, to) -> {
            beginShard(s);
            for (int b = from; b < to; b++)
                backwardSample(x, b * inSize, dy, b * outSize, dx, b * inSize, s);
        });
        finishGradients(par);
    }

    @Override
    void beginShard(int s) {
        if (shardGrad[s] == null)
            shardGrad[s] = new float[outChannels * rows];
        else
            java.util.Arrays.fill(shardGrad[s], 0f);
    }

    @Override
    void finishGradients(Par par) {
        BinaryDense.sumShards(par, shardGrad, weight.g);
    }

    /**
     * One sample's weight gradient (added to shard {@code s}'s partial sums, in sample order) and, unless
     * dx is null, its input gradient. Position-major unfolding (ct[p][r]): every inner loop is an axpy over
     * the R taps, and positions whose output gradient is zero (all but the winner of each max-pool window)
     * are skipped.
     */
    @Override
    void backwardSample(float[] x, int xo, float[] dy, int yo, float[] dx, int dxo, int s) {
        final int P = positions, R = rows;
        float[] ct = buf(col, s, R * P);
        float[] gs = shardGrad[s];
        im2colT(x, xo, ct);
        for (int oc = 0; oc < outChannels; oc++) {
            int dbase = yo + oc * P, gbase = oc * R;
            for (int p = 0; p < P; p++) {
                float d = dy[dbase + p];
                if (d == 0f)
                    continue;
                int cb = p * R;
                for (int r = 0; r < R; r++)
                    gs[gbase + r] += d * ct[cb + r];
            }
        }
        if (dx == null)
            return;
        float[] dct = buf(dcol, s, R * P);
        java.util.Arrays.fill(dct, 0f);
        for (int p = 0; p < P; p++) {
            int cb = p * R;
            for (int oc = 0; oc < outChannels; oc++) {
                float d = dy[yo + oc * P + p];
                if (d == 0f)
                    continue;
                int wbase = oc * R;
                for (int r = 0; r < R; r++)
                    dct[cb + r] += wb[wbase + r] * d;
            }
        }
        col2imT(dct, dx, dxo);
    }

    /** Bytes of the per-shard unfolding and bit buffers allocated so far (activation work space, not parameters). */
    @Override
    public long scratchBytes() {
        long n = 0;
        for (int s = 0; s < Par.SHARDS; s++)
            n += 4L * (len(col[s]) + len(dcol[s]) + len(acc[s])) + 8L * (len(xbits[s]) + len(mbits[s]));
        return n;
    }

    static long len(float[] a) {
        return a == null ? 0 : a.length;
    }

    static long len(long[] a) {
        return a == null ? 0 : a.length;
    }

    /** ct[p * rows + r] = the input under tap r of output position p (0 in the padding). */
    private void im2colT(float[] x, int xo, float[] ct) {
        int H = in.height(), W = in.width(), OW = out.width(), k = kernel, R = rows;
        for (int p = 0; p < positions; p++) {
            int oy = p / OW, ox = p % OW, base = p * R;
            for (int ci = 0; ci < inChannels; ci++)
                for (int ky = 0; ky < k; ky++) {
                    int iy = oy * stride + ky - pad, r0 = base + (ci * k + ky) * k;
                    if (iy < 0 || iy >= H) {
                        java.util.Arrays.fill(ct, r0, r0 + k, 0f);
                        continue;
                    }
                    int xrow = xo + (ci * H + iy) * W;
                    for (int kx = 0; kx < k; kx++) {
                        int ix = ox * stride + kx - pad;
                        ct[r0 + kx] = ix < 0 || ix >= W ? 0f : x[xrow + ix];
                    }
                }
        }
    }

    private void col2imT(float[] dct, float[] dx, int xo) {
        // dx[xo..] = the sum of the unfolded gradients over the taps that read each input
        int H = in.height(), W = in.width(), OW = out.width(), k = kernel, R = rows;
        java.util.Arrays.fill(dx, xo, xo + in.size(), 0f);
        for (int p = 0; p < positions; p++) {
            int oy = p / OW, ox = p % OW, base = p * R;
            for (int ci = 0; ci < inChannels; ci++)
                for (int ky = 0; ky < k; ky++) {
                    int iy = oy * stride + ky - pad;
                    if (iy < 0 || iy >= H)
                        continue;
                    int xrow = xo + (ci * H + iy) * W, r0 = base + (ci * k + ky) * k;
                    for (int kx = 0; kx < k; kx++) {
                        int ix = ox * stride + kx - pad;
                        if (ix >= 0 && ix < W)
                            dx[xrow + ix] += dct[r0 + kx];
                    }
                }
        }
    }

}
