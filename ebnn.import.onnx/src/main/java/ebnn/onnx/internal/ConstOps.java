package ebnn.onnx.internal;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;

import ebnn.api.InvalidModelException;

/** Tensor arithmetic on constants: what constant folding of shape subgraphs and weight quantizers needs. */
final class ConstOps {
    private ConstOps() {
    }

    /** numpy-style broadcast of two shapes; null if they do not broadcast. */
    static long[] broadcastDims(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            long db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1)
                return null;
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Values of {@code c} broadcast to {@code target} (which must be a broadcast of c's dims). */
    static double[] expand(Const c, long[] target, String where) {
        int r = target.length;
        if (c.rank() > r)
            throw new InvalidModelException(where + ": constant of rank " + c.rank() + " does not broadcast to " + Arrays.toString(target));
        long n = Const.count(target, where);
        long[] cs = Const.strides(c.dims());
        long[] eff = new long[r]; // stride in c for each target axis (0 where broadcast)
        for (int i = 0; i < r; i++) {
            int ci = i - (r - c.rank());
            if (ci < 0)
                continue;
            long cd = c.dims()[ci];
            if (cd != target[i] && cd != 1)
                throw new InvalidModelException(where + ": constant of shape " + Arrays.toString(c.dims()) + " does not broadcast to "
                        + Arrays.toString(target));
            eff[i] = cd == 1 ? 0 : cs[ci];
        }
        double[] out = new double[(int) n];
        long[] idx = new long[r];
        for (int j = 0; j < n; j++) {
            long src = 0;
            for (int i = 0; i < r; i++)
                src += idx[i] * eff[i];
            out[j] = c.get((int) src);
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < target[i])
                    break;
                idx[i] = 0;
            }
        }
        return out;
    }

    static Const binary(Const a, Const b, DoubleBinaryOperator op, String where) {
        long[] dims = broadcastDims(a.dims(), b.dims());
        if (dims == null)
            throw new InvalidModelException(where + ": shapes " + Arrays.toString(a.dims()) + " and " + Arrays.toString(b.dims())
                    + " do not broadcast");
        Const.checkGrowth(Const.count(dims, where), Math.max(a.values().length, b.values().length), where,
                "broadcasting " + Arrays.toString(a.dims()) + " with " + Arrays.toString(b.dims()) + " to " + Arrays.toString(dims));
        double[] x = expand(a, dims, where), y = expand(b, dims, where);
        double[] out = new double[x.length];
        for (int i = 0; i < out.length; i++)
            out[i] = op.applyAsDouble(x[i], y[i]);
        return new Const(dims, out, a.integer() && b.integer());
    }

    static Const reshape(Const c, long[] dims) {
        return new Const(dims, c.values(), c.integer());
    }

    static Const transpose(Const c, int[] perm, String where) {
        int r = c.rank();
        if (perm.length != r)
            throw new InvalidModelException(where + ": perm " + Arrays.toString(perm) + " does not match rank " + r);
        boolean[] seen = new boolean[r];
        for (int v : perm) {
            if (v < 0 || v >= r || seen[v])
                throw new InvalidModelException(where + ": perm " + Arrays.toString(perm) + " is not a permutation of 0.." + (r - 1));
            seen[v] = true;
        }
        long[] dims = new long[r];
        for (int i = 0; i < r; i++)
            dims[i] = c.dims()[perm[i]];
        long[] src = Const.strides(c.dims());
        double[] out = new double[c.size()];
        long[] idx = new long[r];
        for (int j = 0; j < out.length; j++) {
            long s = 0;
            for (int i = 0; i < r; i++)
                s += idx[i] * src[perm[i]];
            out[j] = c.get((int) s);
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < dims[i])
                    break;
                idx[i] = 0;
            }
        }
        return new Const(dims, out, c.integer());
    }

    static Const gather(Const data, Const indices, int axis, String where) {
        int r = data.rank();
        if (r == 0)
            throw new InvalidModelException(where + ": Gather on a scalar");
        if (axis < 0)
            axis += r;
        if (axis < 0 || axis >= r)
            throw new InvalidModelException(where + ": Gather axis out of range");
        long[] dims = new long[r - 1 + indices.rank()];
        int k = 0;
        for (int i = 0; i < axis; i++)
            dims[k++] = data.dims()[i];
        for (long d : indices.dims())
            dims[k++] = d;
        for (int i = axis + 1; i < r; i++)
            dims[k++] = data.dims()[i];
        long n = Const.count(dims, where);
        long outer = 1, inner = 1, ax = data.dims()[axis];
        for (int i = 0; i < axis; i++)
            outer *= data.dims()[i];
        for (int i = axis + 1; i < r; i++)
            inner *= data.dims()[i];
        double[] out = new double[(int) n];
        int p = 0;
        for (long o = 0; o < outer; o++)
            for (int q = 0; q < indices.size(); q++) {
                long ix = (long) indices.get(q);
                if (ix < 0)
                    ix += ax;
                if (ix < 0 || ix >= ax)
                    throw new InvalidModelException(where + ": Gather index " + (long) indices.get(q) + " out of range 0.." + (ax - 1));
                for (long in = 0; in < inner; in++)
                    out[p++] = data.get((int) ((o * ax + ix) * inner + in));
            }
        return new Const(dims, out, data.integer());
    }

    static Const concat(Const[] parts, int axis, String where) {
        if (parts.length == 0)
            throw new InvalidModelException(where + ": Concat without inputs");
        int r = parts[0].rank();
        if (axis < 0)
            axis += r;
        if (axis < 0 || axis >= r)
            throw new InvalidModelException(where + ": Concat axis out of range");
        long[] dims = parts[0].dims().clone();
        long total = 0;
        for (Const c : parts) {
            if (c.rank() != r)
                throw new InvalidModelException(where + ": Concat of tensors with different ranks");
            for (int i = 0; i < r; i++)
                if (i != axis && c.dims()[i] != dims[i])
                    throw new InvalidModelException(where + ": Concat of mismatched shapes");
            total += c.dims()[axis];
        }
        dims[axis] = total;
        long n = Const.count(dims, where);
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++)
            outer *= dims[i];
        for (int i = axis + 1; i < r; i++)
            inner *= dims[i];
        double[] out = new double[(int) n];
        int p = 0;
        boolean integer = true;
        for (long o = 0; o < outer; o++)
            for (Const c : parts) {
                long len = c.dims()[axis] * inner;
                System.arraycopy(c.values(), (int) (o * len), out, p, (int) len);
                p += len;
                integer &= c.integer();
            }
        return new Const(dims, out, integer);
    }

    static Const slice(Const data, long[] starts, long[] ends, long[] axes, long[] steps, String where) {
        int r = data.rank();
        long[] st = new long[r], en = new long[r], sp = new long[r];
        for (int i = 0; i < r; i++) {
            st[i] = 0;
            en[i] = data.dims()[i];
            sp[i] = 1;
        }
        for (int k = 0; k < starts.length; k++) {
            int ax = (int) (axes == null ? k : axes[k] < 0 ? axes[k] + r : axes[k]);
            if (ax < 0 || ax >= r)
                throw new InvalidModelException(where + ": Slice axis out of range");
            long d = data.dims()[ax];
            long step = steps == null ? 1 : steps[k];
            if (step == 0)
                throw new InvalidModelException(where + ": Slice step 0");
            long s = starts[k], e = ends[k];
            if (s < 0)
                s += d;
            if (e < 0)
                e += d;
            if (step > 0) {
                s = Math.max(0, Math.min(s, d));
                e = Math.max(0, Math.min(e, d));
            } else {
                s = Math.max(-1, Math.min(s, d - 1));
                e = Math.max(-1, Math.min(e, d - 1));
            }
            st[ax] = s;
            en[ax] = e;
            sp[ax] = step;
        }
        long[] dims = new long[r];
        for (int i = 0; i < r; i++) {
            long len = sp[i] > 0 ? (en[i] - st[i] + sp[i] - 1) / sp[i] : (st[i] - en[i] - sp[i] - 1) / -sp[i];
            dims[i] = Math.max(0, len);
        }
        long n = Const.count(dims, where);
        long[] src = Const.strides(data.dims());
        double[] out = new double[(int) n];
        long[] idx = new long[r];
        for (int j = 0; j < n; j++) {
            long s = 0;
            for (int i = 0; i < r; i++)
                s += (st[i] + idx[i] * sp[i]) * src[i];
            out[j] = data.get((int) s);
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < dims[i])
                    break;
                idx[i] = 0;
            }
        }
        return new Const(dims, out, data.integer());
    }
}
