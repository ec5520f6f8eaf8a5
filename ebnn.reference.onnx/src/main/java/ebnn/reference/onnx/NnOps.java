package ebnn.reference.onnx;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;

/** Linear algebra, convolution, pooling, normalisation, softmax, TopK, ArgMax and the reductions. */
final class NnOps {
    private NnOps() {
    }

    static void register() {
        Ops.standard("MatMul", (n, in) -> new Tensor[] { matmul(n, in[0], in[1]) });
        Ops.standard("Gemm", NnOps::gemm);
        Ops.standard("Conv", NnOps::conv);
        Ops.standard("MaxPool", (n, in) -> new Tensor[] { pool(n, in[0], true) });
        Ops.standard("AveragePool", (n, in) -> new Tensor[] { pool(n, in[0], false) });
        Ops.standard("GlobalAveragePool", (n, in) -> new Tensor[] { reduce(in[0], spatialAxes(in[0]), true, 0, Double::sum, true) });
        Ops.standard("GlobalMaxPool", (n, in) -> new Tensor[] { reduce(in[0], spatialAxes(in[0]), true, Double.NEGATIVE_INFINITY, Math::max, false) });
        Ops.standard("BatchNormalization", NnOps::batchNorm);
        Ops.standard("Softmax", (n, in) -> new Tensor[] { softmax(n, in[0], false) });
        Ops.standard("LogSoftmax", (n, in) -> new Tensor[] { softmax(n, in[0], true) });
        Ops.standard("TopK", NnOps::topK);
        Ops.standard("ArgMax", (n, in) -> new Tensor[] { argExtreme(n, in[0], true) });
        Ops.standard("ArgMin", (n, in) -> new Tensor[] { argExtreme(n, in[0], false) });
        reduction("ReduceSum", 13, 0, Double::sum, false);
        reduction("ReduceMean", 18, 0, Double::sum, true);
        reduction("ReduceMax", 18, Double.NEGATIVE_INFINITY, Math::max, false);
        reduction("ReduceMin", 18, Double.POSITIVE_INFINITY, Math::min, false);
        reduction("ReduceProd", 18, 1, (a, b) -> a * b, false);
    }

    /** out[..., m, n] = sum_k a[..., m, k] * b[..., k, n], batch dimensions broadcast; 1-D operands as numpy promotes them. */
    static Tensor matmul(Node node, Tensor a, Tensor b) {
        boolean vecA = a.rank() == 1, vecB = b.rank() == 1;
        int[] sa = vecA ? new int[] { 1, a.shape[0] } : a.shape, sb = vecB ? new int[] { b.shape[0], 1 } : b.shape;
        int m = sa[sa.length - 2], k = sa[sa.length - 1], k2 = sb[sb.length - 2], nn = sb[sb.length - 1];
        if (k != k2)
            throw node.error("inner dimensions " + k + " and " + k2 + " differ");
        int[] batch = Elementwise.broadcast(Arrays.copyOf(sa, sa.length - 2), Arrays.copyOf(sb, sb.length - 2));
        int[] stA = Elementwise.broadcastStrides(Arrays.copyOf(sa, sa.length - 2), batch);
        int[] stB = Elementwise.broadcastStrides(Arrays.copyOf(sb, sb.length - 2), batch);
        int batches = (int) Tensor.count(batch);
        Tensor.count(new int[] { batches, m, nn });
        work(node, (long) batches * m * nn * k);
        double[] o = new double[batches * m * nn];
        int[] idx = new int[batch.length];
        for (int q = 0; q < batches; q++) {
            int offA = 0, offB = 0;
            for (int d = 0; d < batch.length; d++) {
                offA += idx[d] * stA[d];
                offB += idx[d] * stB[d];
            }
            offA *= m * k;
            offB *= k * nn;
            int offO = q * m * nn;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < k; j++) {
                    double x = a.data[offA + i * k + j];
                    if (x == 0)
                        continue;
                    int row = offB + j * nn, out = offO + i * nn;
                    for (int c = 0; c < nn; c++)
                        o[out + c] += x * b.data[row + c];
                }
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++idx[d] < batch[d])
                    break;
                idx[d] = 0;
            }
        }
        int[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = m;
        shape[batch.length + 1] = nn;
        if (vecA || vecB) {
            // numpy drops the promoted dimensions again
            int drop = (vecA ? 1 : 0) + (vecB ? 1 : 0);
            int[] s = new int[shape.length - drop];
            int p = 0;
            for (int d = 0; d < shape.length; d++)
                if (!(vecA && d == batch.length) && !(vecB && d == batch.length + 1))
                    s[p++] = shape[d];
            shape = s;
        }
        return Tensor.of(a.type, shape, o);
    }

    private static Tensor[] gemm(Node n, Tensor[] in) {
        Tensor a = in[0], b = in[1];
        if (a.rank() != 2 || b.rank() != 2)
            throw n.error("Gemm takes 2-D A and B, not ranks " + a.rank() + " and " + b.rank());
        if (n.i("transA", 0) != 0)
            a = ShapeOps.transpose(a, new int[] { 1, 0 });
        double alpha = n.f("alpha", 1), beta = n.f("beta", 1);
        Tensor y = n.i("transB", 0) != 0 ? matmulTransposed(n, a, b) : matmul(n, a, b);
        if (alpha != 1)
            y = Elementwise.map(y, y.type, v -> alpha * v);
        if (in.length > 2 && in[2] != null) {
            Tensor c = in[2];
            int[] shape = y.shape;
            y = Elementwise.binary(y, c, y.type, (p, q) -> p + beta * q);
            if (!Arrays.equals(y.shape, shape))
                throw n.error("C of shape " + Arrays.toString(c.shape) + " does not broadcast to the output");
        }
        return new Tensor[] { y };
    }

    /** Most multiply-adds one node may take for one sample: a hostile file cannot keep verify busy for hours. */
    static final long MAX_WORK = 1L << 32;

    private static void work(Node n, long macs) {
        if (macs > MAX_WORK)
            throw n.error(macs + " multiply-adds for one sample, more than the interpreter's limit of " + MAX_WORK);
    }

    /** a [m, k] times the transpose of b [n, k]: dot products along rows of both. */
    private static Tensor matmulTransposed(Node node, Tensor a, Tensor b) {
        int m = a.shape[0], k = a.shape[1], nn = b.shape[0];
        if (b.shape[1] != k)
            throw node.error("inner dimensions " + k + " and " + b.shape[1] + " differ");
        Tensor.count(new int[] { m, nn });
        work(node, (long) m * nn * k);
        double[] o = new double[m * nn];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < nn; j++) {
                double acc = 0;
                int ra = i * k, rb = j * k;
                for (int q = 0; q < k; q++)
                    acc += a.data[ra + q] * b.data[rb + q];
                o[i * nn + j] = acc;
            }
        return Tensor.of(a.type, new int[] { m, nn }, o);
    }

    /** Geometry of one 2-D window op (Conv, pooling): kernel, strides, dilations, pads and output size. */
    private record Window(int kh, int kw, int sh, int sw, int dh, int dw, int padTop, int padLeft, int oh, int ow) {
        static Window of(Node n, int h, int w, int kh, int kw, boolean ceil) {
            long[] s = n.ints("strides"), d = n.ints("dilations"), p = n.ints("pads");
            int sh = s == null ? 1 : (int) s[0], sw = s == null ? 1 : (int) s[1];
            int dh = d == null ? 1 : (int) d[0], dw = d == null ? 1 : (int) d[1];
            if (sh < 1 || sw < 1 || dh < 1 || dw < 1)
                throw n.error("strides and dilations must be positive");
            int ekh = (kh - 1) * dh + 1, ekw = (kw - 1) * dw + 1;
            String auto = n.s("auto_pad", "NOTSET");
            int pt, pl, pb, pr;
            if (auto.equals("SAME_UPPER") || auto.equals("SAME_LOWER")) {
                int oh = (h + sh - 1) / sh, ow = (w + sw - 1) / sw;
                int th = Math.max(0, (oh - 1) * sh + ekh - h), tw = Math.max(0, (ow - 1) * sw + ekw - w);
                boolean upper = auto.equals("SAME_UPPER");
                pt = upper ? th / 2 : th - th / 2;
                pl = upper ? tw / 2 : tw - tw / 2;
                pb = th - pt;
                pr = tw - pl;
            } else if (auto.equals("VALID") || p == null) {
                pt = pl = pb = pr = 0;
            } else {
                if (p.length != 4)
                    throw n.error("pads " + Arrays.toString(p) + " for a 2-D window");
                pt = (int) p[0];
                pl = (int) p[1];
                pb = (int) p[2];
                pr = (int) p[3];
            }
            int nh = h + pt + pb - ekh, nw = w + pl + pr - ekw;
            if (nh < 0 || nw < 0)
                throw n.error("window " + kh + "x" + kw + " larger than the padded input " + (h + pt + pb) + "x" + (w + pl + pr));
            int oh = ceil ? (nh + sh - 1) / sh + 1 : nh / sh + 1, ow = ceil ? (nw + sw - 1) / sw + 1 : nw / sw + 1;
            if (ceil) {
                // a last window that would start in the end padding is dropped
                if ((oh - 1) * sh >= h + pt)
                    oh--;
                if ((ow - 1) * sw >= w + pl)
                    ow--;
            }
            return new Window(kh, kw, sh, sw, dh, dw, pt, pl, oh, ow);
        }
    }

    private static Tensor[] conv(Node n, Tensor[] in) {
        Tensor x = in[0], wt = in[1], bias = in.length > 2 ? in[2] : null;
        if (x.rank() != 4 || wt.rank() != 4)
            throw n.error("the interpreter runs 2-D convolutions (rank-4 input and weights), not rank " + x.rank());
        int nb = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        int m = wt.shape[0], cg = wt.shape[1], group = (int) n.i("group", 1);
        if (group < 1 || c % group != 0 || m % group != 0 || cg != c / group)
            throw n.error("group " + group + " with " + c + " input channels and weights " + Arrays.toString(wt.shape));
        Window g = Window.of(n, h, w, wt.shape[2], wt.shape[3], false);
        int mg = m / group, plane = g.oh * g.ow, taps = cg * g.kh * g.kw;
        Tensor.count(new int[] { nb, m, g.oh, g.ow });
        Tensor.count(new int[] { taps, plane });
        work(n, (long) nb * m * plane * taps);
        double[] o = new double[nb * m * plane];
        // im2col: one row per (input channel, ky, kx) tap holding its input value at every output position, so that
        // each output channel is a sum of weight x row over long contiguous rows
        double[] cols = new double[taps * plane];
        for (int b = 0; b < nb; b++)
            for (int grp = 0; grp < group; grp++) {
                for (int ic = 0; ic < cg; ic++) {
                    int xc = (b * c + grp * cg + ic) * h * w;
                    for (int ky = 0; ky < g.kh; ky++)
                        for (int kx = 0; kx < g.kw; kx++) {
                            int row = ((ic * g.kh + ky) * g.kw + kx) * plane;
                            for (int oy = 0; oy < g.oh; oy++) {
                                int iy = oy * g.sh + ky * g.dh - g.padTop;
                                for (int ox = 0; ox < g.ow; ox++) {
                                    int ix = ox * g.sw + kx * g.dw - g.padLeft;
                                    cols[row + oy * g.ow + ox] = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0 : x.data[xc + iy * w + ix];
                                }
                            }
                        }
                }
                for (int oc = grp * mg; oc < (grp + 1) * mg; oc++) {
                    int out = (b * m + oc) * plane;
                    if (bias != null)
                        Arrays.fill(o, out, out + plane, bias.data[oc]);
                    for (int t = 0; t < taps; t++) {
                        double wv = wt.data[oc * taps + t];
                        if (wv == 0)
                            continue;
                        int row = t * plane;
                        for (int q = 0; q < plane; q++)
                            o[out + q] += wv * cols[row + q];
                    }
                }
            }
        return new Tensor[] { Tensor.of(x.type, new int[] { nb, m, g.oh, g.ow }, o) };
    }

    private static Tensor pool(Node n, Tensor x, boolean max) {
        if (x.rank() != 4)
            throw n.error("the interpreter pools 2-D inputs (rank 4), not rank " + x.rank());
        long[] k = n.ints("kernel_shape");
        if (k == null || k.length != 2)
            throw n.error("needs a 2-D kernel_shape");
        int nb = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        Window g = Window.of(n, h, w, (int) k[0], (int) k[1], n.i("ceil_mode", 0) != 0);
        boolean includePad = n.i("count_include_pad", 0) != 0;
        long[] p = n.ints("pads");
        // the explicit padded extent, which count_include_pad averages over
        int hp = h + (p == null ? 0 : (int) p[2]), wp = w + (p == null ? 0 : (int) p[3]);
        Tensor.count(new int[] { nb, c, g.oh, g.ow });
        double[] o = new double[nb * c * g.oh * g.ow];
        for (int bc = 0; bc < nb * c; bc++)
            for (int oy = 0; oy < g.oh; oy++)
                for (int ox = 0; ox < g.ow; ox++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int cnt = 0, padded = 0;
                    for (int ky = 0; ky < g.kh; ky++) {
                        int iy = oy * g.sh + ky * g.dh - g.padTop;
                        for (int kx = 0; kx < g.kw; kx++) {
                            int ix = ox * g.sw + kx * g.dw - g.padLeft;
                            if (iy >= -g.padTop && iy < hp && ix >= -g.padLeft && ix < wp)
                                padded++;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                                continue;
                            double v = x.data[(bc * h + iy) * w + ix];
                            acc = max ? Math.max(acc, v) : acc + v;
                            cnt++;
                        }
                    }
                    o[(bc * g.oh + oy) * g.ow + ox] = max ? acc : acc / (includePad ? padded : Math.max(cnt, 1));
                }
        return Tensor.of(x.type, new int[] { nb, c, g.oh, g.ow }, o);
    }

    private static Tensor[] batchNorm(Node n, Tensor[] in) {
        Tensor x = in[0], scale = in[1], b = in[2], mean = in[3], var = in[4];
        if (n.i("training_mode", 0) != 0)
            throw n.error("training_mode batch normalization is not inference");
        double eps = n.f("epsilon", 1e-5);
        int c = x.rank() > 1 ? x.shape[1] : 1;
        long inner = x.size() / Math.max(1, (long) x.shape[0] * c);
        double[] o = new double[x.size()];
        double[] a = new double[c], s = new double[c];
        for (int q = 0; q < c; q++) {
            a[q] = scale.data[q] / Math.sqrt(var.data[q] + eps);
            s[q] = b.data[q] - mean.data[q] * a[q];
        }
        for (int i = 0; i < o.length; i++) {
            int q = (int) ((i / inner) % c);
            o[i] = x.data[i] * a[q] + s[q];
        }
        return new Tensor[] { Tensor.of(x.type, x.shape, o) };
    }

    private static Tensor softmax(Node n, Tensor x, boolean log) {
        int axis = Tensor.axis(n.i("axis", n.opset() < 13 ? 1 : -1), x.rank());
        long outer = 1, len = 1, inner = 1;
        for (int d = 0; d < x.rank(); d++)
            if (d < axis)
                outer *= x.shape[d];
            else if (d == axis || n.opset() < 13)
                len *= x.shape[d]; // before opset 13 the axis and all after it form one row
            else
                inner *= x.shape[d];
        double[] o = new double[x.size()];
        for (long q = 0; q < outer; q++)
            for (long r = 0; r < inner; r++) {
                double mx = Double.NEGATIVE_INFINITY, sum = 0;
                for (long i = 0; i < len; i++)
                    mx = Math.max(mx, x.data[(int) ((q * len + i) * inner + r)]);
                for (long i = 0; i < len; i++)
                    sum += Math.exp(x.data[(int) ((q * len + i) * inner + r)] - mx);
                for (long i = 0; i < len; i++) {
                    int at = (int) ((q * len + i) * inner + r);
                    o[at] = log ? x.data[at] - mx - Math.log(sum) : Math.exp(x.data[at] - mx) / sum;
                }
            }
        return Tensor.of(x.type, x.shape, o);
    }

    private static Tensor[] topK(Node n, Tensor[] in) {
        Tensor x = in[0];
        long k = n.opset() < 10 ? n.i("k", -1) : in[1].data[0] >= 0 ? (long) in[1].data[0] : -1;
        int axis = Tensor.axis(n.i("axis", -1), x.rank());
        boolean largest = n.i("largest", 1) != 0;
        int len = x.shape[axis];
        if (k < 0 || k > len)
            throw n.error("k " + k + " for an axis of " + len);
        long outer = 1, inner = 1;
        for (int d = 0; d < axis; d++)
            outer *= x.shape[d];
        for (int d = axis + 1; d < x.rank(); d++)
            inner *= x.shape[d];
        int[] shape = x.shape.clone();
        shape[axis] = (int) k;
        double[] vals = new double[(int) Tensor.count(shape)], idx = new double[vals.length];
        Integer[] order = new Integer[len];
        for (long q = 0; q < outer; q++)
            for (long r = 0; r < inner; r++) {
                final long qq = q, rr = r, in1 = inner;
                for (int i = 0; i < len; i++)
                    order[i] = i;
                // the k largest (smallest), equal values in index order
                Arrays.sort(order, (i, j) -> {
                    double a = x.data[(int) ((qq * len + i) * in1 + rr)], b = x.data[(int) ((qq * len + j) * in1 + rr)];
                    int c = largest ? Double.compare(b, a) : Double.compare(a, b);
                    return c != 0 ? c : Integer.compare(i, j);
                });
                for (int i = 0; i < k; i++) {
                    int at = (int) ((q * k + i) * inner + r);
                    vals[at] = x.data[(int) ((q * len + order[i]) * inner + r)];
                    idx[at] = order[i];
                }
            }
        return new Tensor[] { new Tensor(x.type, shape, vals), new Tensor(Tensor.INT64, shape, idx) };
    }

    private static Tensor argExtreme(Node n, Tensor x, boolean max) {
        int axis = Tensor.axis(n.i("axis", 0), x.rank());
        boolean keep = n.i("keepdims", 1) != 0, last = n.i("select_last_index", 0) != 0;
        long outer = 1, inner = 1;
        for (int d = 0; d < axis; d++)
            outer *= x.shape[d];
        for (int d = axis + 1; d < x.rank(); d++)
            inner *= x.shape[d];
        int len = x.shape[axis];
        double[] o = new double[(int) (outer * inner)];
        for (long q = 0; q < outer; q++)
            for (long r = 0; r < inner; r++) {
                int best = 0;
                for (int i = 1; i < len; i++) {
                    double v = x.data[(int) ((q * len + i) * inner + r)], b = x.data[(int) ((q * len + best) * inner + r)];
                    if (max ? v > b || (last && v == b) : v < b || (last && v == b))
                        best = i;
                }
                o[(int) (q * inner + r)] = best;
            }
        int[] shape = keep ? x.shape.clone() : new int[x.rank() - 1];
        if (keep)
            shape[axis] = 1;
        else
            for (int d = 0, p = 0; d < x.rank(); d++)
                if (d != axis)
                    shape[p++] = x.shape[d];
        return new Tensor(Tensor.INT64, shape, o);
    }

    private static void reduction(String op, int axesInputSince, double init, DoubleBinaryOperator f, boolean mean) {
        Ops.standard(op, (n, in) -> {
            Tensor x = in[0];
            long[] axes = n.opset() >= axesInputSince ? (in.length > 1 && in[1] != null ? in[1].longs() : null) : n.ints("axes");
            boolean keep = n.i("keepdims", 1) != 0;
            if ((axes == null || axes.length == 0) && n.i("noop_with_empty_axes", 0) != 0)
                return new Tensor[] { x };
            boolean[] red = new boolean[x.rank()];
            if (axes == null || axes.length == 0)
                Arrays.fill(red, true);
            else
                for (long a : axes)
                    red[Tensor.axis(a, x.rank())] = true;
            return new Tensor[] { reduce(x, red, keep, init, f, mean) };
        });
    }

    private static boolean[] spatialAxes(Tensor x) {
        boolean[] r = new boolean[x.rank()];
        for (int d = 2; d < r.length; d++)
            r[d] = true;
        return r;
    }

    static Tensor reduce(Tensor x, boolean[] red, boolean keep, double init, DoubleBinaryOperator f, boolean mean) {
        int r = x.rank();
        int[] kept = new int[r];
        long count = 1;
        for (int d = 0; d < r; d++) {
            kept[d] = red[d] ? 1 : x.shape[d];
            if (red[d])
                count *= x.shape[d];
        }
        int[] os = Tensor.strides(kept);
        double[] o = new double[(int) Tensor.count(kept)];
        Arrays.fill(o, init);
        int[] idx = new int[r];
        for (int i = 0; i < x.size(); i++) {
            int at = 0;
            for (int d = 0; d < r; d++)
                if (!red[d])
                    at += idx[d] * os[d];
            o[at] = f.applyAsDouble(o[at], x.data[i]);
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < x.shape[d])
                    break;
                idx[d] = 0;
            }
        }
        if (mean)
            for (int i = 0; i < o.length; i++)
                o[i] /= Math.max(count, 1);
        int[] shape = kept;
        if (!keep) {
            int nk = 0;
            for (boolean b : red)
                nk += b ? 0 : 1;
            shape = new int[nk];
            for (int d = 0, p = 0; d < r; d++)
                if (!red[d])
                    shape[p++] = x.shape[d];
        }
        return Tensor.of(x.type, shape, o);
    }
}
