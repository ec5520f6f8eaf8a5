package ebnn.reference.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.onnx.proto.OnnxMl.AttributeProto;

/** Shape and data-movement ops: Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Concat, Shape, Gather, Slice, Cast, Constant, ... */
final class ShapeOps {
    private ShapeOps() {
    }

    static void register() {
        Ops.standard("Reshape", ShapeOps::reshape);
        Ops.standard("Flatten", (n, in) -> {
            Tensor x = in[0];
            int axis = n.i("axis", 1) < 0 ? (int) n.i("axis", 1) + x.rank() : (int) n.i("axis", 1);
            if (axis < 0 || axis > x.rank())
                throw n.error("axis " + n.i("axis", 1) + " out of range for rank " + x.rank());
            long outer = 1;
            for (int d = 0; d < axis; d++)
                outer *= x.shape[d];
            return new Tensor[] { x.reshape(new int[] { (int) outer, (int) (x.size() / Math.max(outer, 1)) }) };
        });
        Ops.standard("Squeeze", (n, in) -> {
            Tensor x = in[0];
            long[] axes = n.opset() >= 13 ? (in.length > 1 && in[1] != null ? in[1].longs() : null) : n.ints("axes");
            boolean[] drop = new boolean[x.rank()];
            if (axes == null)
                for (int d = 0; d < x.rank(); d++)
                    drop[d] = x.shape[d] == 1;
            else
                for (long a : axes) {
                    int d = Tensor.axis(a, x.rank());
                    if (x.shape[d] != 1)
                        throw n.error("cannot squeeze axis " + a + " of size " + x.shape[d]);
                    drop[d] = true;
                }
            List<Integer> dims = new ArrayList<>();
            for (int d = 0; d < x.rank(); d++)
                if (!drop[d])
                    dims.add(x.shape[d]);
            return new Tensor[] { x.reshape(dims.stream().mapToInt(Integer::intValue).toArray()) };
        });
        Ops.standard("Unsqueeze", (n, in) -> {
            Tensor x = in[0];
            long[] axes = n.opset() >= 13 ? in[1].longs() : n.ints("axes");
            if (axes == null)
                throw n.error("needs axes");
            int r = x.rank() + axes.length;
            boolean[] added = new boolean[r];
            for (long a : axes)
                added[Tensor.axis(a, r)] = true;
            int[] shape = new int[r];
            for (int d = 0, k = 0; d < r; d++)
                shape[d] = added[d] ? 1 : x.shape[k++];
            return new Tensor[] { x.reshape(shape) };
        });
        Ops.standard("Transpose", (n, in) -> {
            Tensor x = in[0];
            long[] p = n.ints("perm");
            int[] perm = new int[x.rank()];
            for (int d = 0; d < perm.length; d++)
                perm[d] = p == null ? perm.length - 1 - d : Tensor.axis(p[d], x.rank());
            return new Tensor[] { transpose(x, perm) };
        });
        Ops.standard("Concat", (n, in) -> {
            int axis = Tensor.axis(n.i("axis", 0), in[0].rank());
            int[] shape = in[0].shape.clone();
            shape[axis] = 0;
            for (Tensor t : in) {
                if (t.rank() != shape.length)
                    throw n.error("inputs of different ranks");
                shape[axis] += t.shape[axis];
            }
            double[] o = new double[(int) Tensor.count(shape)];
            long outer = 1;
            for (int d = 0; d < axis; d++)
                outer *= shape[d];
            int pos = 0;
            for (long q = 0; q < outer; q++)
                for (Tensor t : in) {
                    int chunk = (int) (t.size() / Math.max(outer, 1));
                    System.arraycopy(t.data, (int) q * chunk, o, pos, chunk);
                    pos += chunk;
                }
            return new Tensor[] { new Tensor(in[0].type, shape, o) };
        });
        Ops.standard("Shape", (n, in) -> {
            int r = in[0].rank();
            int start = (int) clampAxis(n.i("start", 0), r), end = (int) clampAxis(n.i("end", r), r);
            long[] dims = new long[Math.max(0, end - start)];
            for (int d = start; d < end; d++)
                dims[d - start] = in[0].shape[d];
            return new Tensor[] { Tensor.longs(dims) };
        });
        Ops.standard("Size", (n, in) -> new Tensor[] { Tensor.scalar(Tensor.INT64, in[0].size()) });
        Ops.standard("Gather", ShapeOps::gather);
        Ops.standard("Slice", ShapeOps::slice);
        Ops.standard("Expand", (n, in) -> {
            long[] s = in[1].longs();
            int[] want = new int[s.length];
            for (int d = 0; d < s.length; d++)
                want[d] = (int) s[d];
            int[] shape = Elementwise.broadcast(in[0].shape, want);
            return new Tensor[] { Elementwise.binary(in[0], new Tensor(in[0].type, shape, new double[(int) Tensor.count(shape)]), in[0].type,
                    (a, b) -> a) };
        });
        Ops.standard("Cast", (n, in) -> {
            int to = (int) n.i("to", Tensor.FLOAT);
            Tensor x = in[0];
            if (Tensor.isFloat(to))
                return new Tensor[] { Tensor.of(to == Tensor.FLOAT16 ? Tensor.FLOAT : to, x.shape, x.data.clone()) };
            if (to == Tensor.BOOL)
                return new Tensor[] { Elementwise.map(x, to, v -> v != 0 ? 1 : 0) };
            // to an integer type: truncation towards zero, as C casts do
            return new Tensor[] { Elementwise.map(x, to, v -> v < 0 ? Math.ceil(v) : Math.floor(v)) };
        });
        Ops.standard("Constant", (n, in) -> new Tensor[] { constant(n) });
        Ops.standard("ConstantOfShape", (n, in) -> {
            long[] s = in[0].longs();
            int[] shape = new int[s.length];
            for (int d = 0; d < s.length; d++)
                shape[d] = (int) s[d];
            AttributeProto v = n.attrs().get("value");
            Tensor fill = v == null ? Tensor.scalar(Tensor.FLOAT, 0) : Protos.tensor(v.getT());
            double[] o = new double[(int) Tensor.count(shape)];
            Arrays.fill(o, fill.data[0]);
            return new Tensor[] { Tensor.of(fill.type, shape, o) };
        });
    }

    private static long clampAxis(long a, int r) {
        long v = a < 0 ? a + r : a;
        return Math.max(0, Math.min(r, v));
    }

    private static Tensor[] reshape(Node n, Tensor[] in) {
        Tensor x = in[0];
        long[] s = in[1].longs();
        boolean allowZero = n.i("allowzero", 0) != 0;
        int[] shape = new int[s.length];
        int infer = -1;
        long known = 1;
        for (int d = 0; d < s.length; d++) {
            long v = s[d];
            if (v == 0 && !allowZero) {
                if (d >= x.rank())
                    throw n.error("dimension " + d + " is 0 (copy) but the input has rank " + x.rank());
                v = x.shape[d];
            }
            if (v == -1) {
                if (infer >= 0)
                    throw n.error("two -1 dimensions");
                infer = d;
                continue;
            }
            if (v < 0 || v > Integer.MAX_VALUE)
                throw n.error("dimension " + v);
            shape[d] = (int) v;
            known *= v;
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0)
                throw n.error("cannot infer -1 for " + x.size() + " elements in " + Arrays.toString(s));
            shape[infer] = (int) (x.size() / known);
        } else if (known != x.size())
            throw n.error("shape " + Arrays.toString(s) + " for " + x.size() + " elements");
        return new Tensor[] { x.reshape(shape) };
    }

    static Tensor transpose(Tensor x, int[] perm) {
        int r = x.rank();
        int[] shape = new int[r];
        int[] inStrides = Tensor.strides(x.shape);
        int[] step = new int[r];
        for (int d = 0; d < r; d++) {
            shape[d] = x.shape[perm[d]];
            step[d] = inStrides[perm[d]];
        }
        double[] o = new double[x.size()];
        int[] idx = new int[r];
        int src = 0;
        for (int i = 0; i < o.length; i++) {
            o[i] = x.data[src];
            for (int d = r - 1; d >= 0; d--) {
                idx[d]++;
                src += step[d];
                if (idx[d] < shape[d])
                    break;
                src -= step[d] * shape[d];
                idx[d] = 0;
            }
        }
        return new Tensor(x.type, shape, o);
    }

    private static Tensor[] gather(Node n, Tensor[] in) {
        Tensor x = in[0], ind = in[1];
        int axis = Tensor.axis(n.i("axis", 0), x.rank());
        int[] shape = new int[x.rank() - 1 + ind.rank()];
        int k = 0;
        for (int d = 0; d < axis; d++)
            shape[k++] = x.shape[d];
        for (int d : ind.shape)
            shape[k++] = d;
        for (int d = axis + 1; d < x.rank(); d++)
            shape[k++] = x.shape[d];
        long outer = 1, inner = 1;
        for (int d = 0; d < axis; d++)
            outer *= x.shape[d];
        for (int d = axis + 1; d < x.rank(); d++)
            inner *= x.shape[d];
        int dim = x.shape[axis];
        double[] o = new double[(int) Tensor.count(shape)];
        int pos = 0;
        for (long q = 0; q < outer; q++)
            for (double iv : ind.data) {
                long i = (long) iv;
                if (i < 0)
                    i += dim;
                if (i < 0 || i >= dim)
                    throw n.error("index " + (long) iv + " out of range for dimension " + dim);
                System.arraycopy(x.data, (int) ((q * dim + i) * inner), o, pos, (int) inner);
                pos += (int) inner;
            }
        return new Tensor[] { new Tensor(x.type, shape, o) };
    }

    private static Tensor[] slice(Node n, Tensor[] in) {
        Tensor x = in[0];
        long[] starts, ends, axes, steps;
        if (n.opset() < 10) {
            starts = n.ints("starts");
            ends = n.ints("ends");
            axes = n.ints("axes");
            steps = null;
        } else {
            starts = in[1].longs();
            ends = in[2].longs();
            axes = in.length > 3 && in[3] != null ? in[3].longs() : null;
            steps = in.length > 4 && in[4] != null ? in[4].longs() : null;
        }
        int r = x.rank();
        int[] begin = new int[r], step = new int[r], shape = x.shape.clone();
        Arrays.fill(step, 1);
        for (int k = 0; k < starts.length; k++) {
            int d = axes == null ? k : Tensor.axis(axes[k], r);
            long dim = x.shape[d], st = steps == null ? 1 : steps[k];
            if (st == 0)
                throw n.error("step 0");
            long s = starts[k] < 0 ? starts[k] + dim : starts[k], e = ends[k] < 0 ? ends[k] + dim : ends[k];
            if (st > 0) {
                s = Math.max(0, Math.min(dim, s));
                e = Math.max(0, Math.min(dim, e));
            } else {
                s = Math.max(0, Math.min(dim - 1, s));
                e = Math.max(-1, Math.min(dim - 1, e));
            }
            long len = st > 0 ? Math.max(0, (e - s + st - 1) / st) : Math.max(0, (s - e - st - 1) / -st);
            begin[d] = (int) s;
            step[d] = (int) st;
            shape[d] = (int) len;
        }
        int[] strides = Tensor.strides(x.shape);
        double[] o = new double[(int) Tensor.count(shape)];
        int[] idx = new int[r];
        for (int i = 0; i < o.length; i++) {
            int src = 0;
            for (int d = 0; d < r; d++)
                src += (begin[d] + idx[d] * step[d]) * strides[d];
            o[i] = x.data[src];
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < shape[d])
                    break;
                idx[d] = 0;
            }
        }
        return new Tensor[] { new Tensor(x.type, shape, o) };
    }

    static Tensor constant(Node n) {
        AttributeProto a;
        if ((a = n.attrs().get("value")) != null)
            return Protos.tensor(a.getT());
        if ((a = n.attrs().get("value_float")) != null)
            return Tensor.scalar(Tensor.FLOAT, a.getF());
        if ((a = n.attrs().get("value_int")) != null)
            return Tensor.scalar(Tensor.INT64, a.getI());
        if ((a = n.attrs().get("value_floats")) != null) {
            double[] v = new double[a.getFloatsCount()];
            for (int i = 0; i < v.length; i++)
                v[i] = a.getFloats(i);
            return Tensor.of(Tensor.FLOAT, new int[] { v.length }, v);
        }
        if ((a = n.attrs().get("value_ints")) != null)
            return Tensor.longs(n.ints("value_ints"));
        throw n.error("a Constant needs value, value_float(s) or value_int(s)");
    }
}
