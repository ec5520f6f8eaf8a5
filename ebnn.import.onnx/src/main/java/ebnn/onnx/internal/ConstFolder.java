package ebnn.onnx.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import ai.onnx.proto.OnnxMl.AttributeProto;

/**
 * The constant folder: ONNX semantics of the standard ops (and of QONNX's quantizers) evaluated on
 * constant tensors, with ONNX multidirectional broadcasting. Values are doubles (exact for every
 * type a file carries up to 2^53); {@link Const#integer()} keeps integer semantics (Div truncates,
 * Cast to an integer type truncates and wraps). The evaluators are registered in {@link OpTable}.
 */
final class ConstFolder {
    private ConstFolder() {
    }

    static Const[] one(Const c) {
        return new Const[] { c };
    }

    static Const need(Node n, Const[] in, int i) {
        if (i >= in.length || in[i] == null)
            throw n.invalid("missing input " + i);
        return in[i];
    }

    static Const finite(Node n, Const c) {
        for (double d : c.values())
            if (!Double.isFinite(d))
                throw n.invalid("constant folding gives a non-finite value");
        return c;
    }

    // ---------------------------------------------------------------- elementwise

    static ConstOp unary(DoubleUnaryOperator f, boolean keepsInteger) {
        return (n, in) -> {
            Const x = need(n, in, 0);
            double[] v = x.values().clone();
            for (int i = 0; i < v.length; i++)
                v[i] = f.applyAsDouble(v[i]);
            return one(finite(n, new Const(x.dims(), v, keepsInteger && x.integer())));
        };
    }

    /** A binary op; {@code integerOp} (may be null) is used when both operands are integer. */
    static ConstOp binary(DoubleBinaryOperator f, DoubleBinaryOperator integerOp) {
        return (n, in) -> {
            Const a = need(n, in, 0), b = need(n, in, 1);
            boolean integer = a.integer() && b.integer();
            DoubleBinaryOperator op = integer && integerOp != null ? integerOp : f;
            Const r = ConstOps.binary(a, b, op, n.describe());
            return one(finite(n, new Const(r.dims(), r.values(), integer)));
        };
    }

    /** A comparison or logical op: a bool result. */
    static ConstOp predicate(DoubleBinaryOperator f) {
        return (n, in) -> {
            Const r = ConstOps.binary(need(n, in, 0), need(n, in, 1), f, n.describe());
            return one(new Const(r.dims(), r.values(), true));
        };
    }

    static double truncDiv(double p, double q) {
        if (q == 0)
            throw new ArithmeticException();
        double v = p / q;
        return v < 0 ? Math.ceil(v) : Math.floor(v);
    }

    static ConstOp div() {
        return (n, in) -> {
            Const a = need(n, in, 0), b = need(n, in, 1);
            boolean integer = a.integer() && b.integer();
            if (integer)
                for (double v : b.values())
                    if (v == 0)
                        throw n.invalid("integer division by zero");
            Const r = ConstOps.binary(a, b, integer ? ConstFolder::truncDiv : (p, q) -> p / q, n.describe());
            return one(finite(n, new Const(r.dims(), r.values(), integer)));
        };
    }

    static ConstOp mod() {
        return (n, in) -> {
            boolean fmod = n.attrInt("fmod", 0) != 0;
            Const a = need(n, in, 0), b = need(n, in, 1);
            Const r = ConstOps.binary(a, b, (p, q) -> {
                if (q == 0)
                    return a.integer() ? 0 : Double.NaN;
                double m = p % q; // C fmod: the sign of the dividend
                return fmod || m == 0 || (m < 0) == (q < 0) ? m : m + q; // Python mod: the sign of the divisor
            }, n.describe());
            return one(finite(n, new Const(r.dims(), r.values(), a.integer() && b.integer())));
        };
    }

    /** Sum/Min/Max/Mean of any number of broadcast inputs. */
    static ConstOp variadic(DoubleBinaryOperator f, boolean mean) {
        return (n, in) -> {
            if (in.length == 0)
                throw n.invalid("needs at least one input");
            Const acc = need(n, in, 0);
            for (int i = 1; i < in.length; i++) {
                Const b = need(n, in, i);
                boolean integer = acc.integer() && b.integer();
                Const r = ConstOps.binary(acc, b, f, n.describe());
                acc = new Const(r.dims(), r.values(), integer);
            }
            if (mean) {
                double[] v = acc.values().clone();
                for (int i = 0; i < v.length; i++)
                    v[i] /= in.length;
                acc = new Const(acc.dims(), v, false);
            }
            return one(finite(n, acc));
        };
    }

    static Const[] where(Node n, Const[] in) {
        Const c = need(n, in, 0), x = need(n, in, 1), y = need(n, in, 2);
        long[] cx = ConstOps.broadcastDims(c.dims(), x.dims());
        long[] d = cx == null ? null : ConstOps.broadcastDims(cx, y.dims());
        if (d == null)
            throw n.invalid("shapes " + Arrays.toString(c.dims()) + ", " + Arrays.toString(x.dims()) + ", " + Arrays.toString(y.dims())
                    + " do not broadcast");
        Const.checkGrowth(Const.count(d, n.describe()), Math.max(c.size(), Math.max(x.size(), y.size())), n.describe(), "Where");
        double[] cv = ConstOps.expand(c, d, n.describe()), xv = ConstOps.expand(x, d, n.describe()), yv = ConstOps.expand(y, d, n.describe());
        double[] out = new double[cv.length];
        for (int i = 0; i < out.length; i++)
            out[i] = cv[i] != 0 ? xv[i] : yv[i];
        return one(new Const(d, out, x.integer() && y.integer()));
    }

    static Const[] clip(Node n, Const[] in) {
        Const x = need(n, in, 0);
        double lo = n.attrFloat("min", Double.NEGATIVE_INFINITY), hi = n.attrFloat("max", Double.POSITIVE_INFINITY);
        if (in.length > 1 && in[1] != null)
            lo = in[1].get(0);
        if (in.length > 2 && in[2] != null)
            hi = in[2].get(0);
        double[] v = x.values().clone();
        for (int i = 0; i < v.length; i++)
            v[i] = Math.min(hi, Math.max(lo, v[i]));
        return one(new Const(x.dims(), v, x.integer()));
    }

    static Const[] cast(Node n, Const[] in) {
        Const x = need(n, in, 0);
        int to = (int) n.attrInt("to", Tensors.FLOAT);
        return one(castTo(n, x, to));
    }

    static Const castTo(Node n, Const x, int to) {
        double[] v = x.values().clone();
        boolean integer = to != Tensors.FLOAT && to != Tensors.DOUBLE && to != Tensors.FLOAT16 && to != Tensors.BFLOAT16;
        for (int i = 0; i < v.length; i++) {
            double d = v[i];
            v[i] = switch (to) {
                case Tensors.FLOAT -> (float) d;
                case Tensors.DOUBLE -> d;
                case Tensors.FLOAT16 -> Tensors.halfToFloat(Tensors.floatToHalf((float) d));
                case Tensors.BFLOAT16 -> Float.intBitsToFloat(Float.floatToIntBits((float) d) & 0xffff0000);
                case Tensors.BOOL -> d != 0 ? 1 : 0;
                case Tensors.INT8 -> (byte) (long) d;
                case Tensors.UINT8 -> ((long) d) & 0xff;
                case Tensors.INT16 -> (short) (long) d;
                case Tensors.UINT16 -> ((long) d) & 0xffff;
                case Tensors.INT32 -> (int) (long) d;
                case Tensors.UINT32 -> ((long) d) & 0xffffffffL;
                case Tensors.INT64, Tensors.UINT64 -> (double) (long) d;
                default -> throw n.unsupported("Cast to " + Tensors.typeName(to));
            };
        }
        return new Const(x.dims(), v, integer);
    }

    // ---------------------------------------------------------------- shape ops

    static long clampAxis(long v, int r) {
        if (v < 0)
            v += r;
        return Math.max(0, Math.min(r, v));
    }

    static int axis(Node n, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw n.invalid("axis " + axis + " out of range for rank " + rank);
        return (int) a;
    }

    /** Dims of a shape op on dims {@code d}: Shape's start/end. */
    static long[] shapeOf(Node n, long[] d) {
        int r = d.length;
        int s = (int) clampAxis(n.attrInt("start", 0), r), e = (int) clampAxis(n.attrInt("end", r), r);
        return Arrays.copyOfRange(d, s, Math.max(s, e));
    }

    /** ONNX Reshape target dims: 0 copies (unless allowzero), -1 infers. */
    static long[] reshapeDims(Node n, long[] from, long total, long[] t) {
        boolean allowZero = n.attrInt("allowzero", 0) != 0;
        long[] nd = new long[t.length];
        int infer = -1;
        long known = 1;
        for (int k = 0; k < t.length; k++) {
            long v = t[k];
            if (v == 0 && !allowZero) {
                if (k >= from.length)
                    throw n.invalid("shape " + Arrays.toString(t) + " copies dimension " + k + " the input does not have");
                v = from[k];
            }
            if (v == -1) {
                if (infer >= 0)
                    throw n.invalid("shape " + Arrays.toString(t) + " has two -1 entries");
                infer = k;
                continue;
            }
            if (v < 0)
                throw n.invalid("shape " + Arrays.toString(t) + " has a negative entry");
            if (v != 0 && known > Const.MAX_ELEMENTS / v)
                throw n.invalid("shape " + Arrays.toString(t) + " has too many elements");
            nd[k] = v;
            known *= v;
        }
        if (infer >= 0) {
            if (known == 0 || total % known != 0)
                throw n.invalid("cannot reshape " + Arrays.toString(from) + " to " + Arrays.toString(t));
            nd[infer] = total / known;
        } else if (known != total)
            throw n.invalid("cannot reshape " + Arrays.toString(from) + " (" + total + " elements) to " + Arrays.toString(t));
        return nd;
    }

    static Const[] reshape(Node n, Const[] in) {
        Const x = need(n, in, 0);
        long[] shape = n.ints("shape", null); // opset < 5
        if (shape == null)
            shape = need(n, in, 1).longs();
        return one(ConstOps.reshape(x, reshapeDims(n, x.dims(), x.size(), shape)));
    }

    static Const[] flatten(Node n, Const[] in) {
        Const x = need(n, in, 0);
        long axis = n.attrInt("axis", 1);
        if (axis < 0)
            axis += x.rank();
        if (axis < 0 || axis > x.rank())
            throw n.invalid("Flatten axis " + n.attrInt("axis", 1));
        long outer = 1;
        for (int q = 0; q < axis; q++)
            outer *= x.dims()[q];
        return one(ConstOps.reshape(x, new long[] { outer, outer == 0 ? 0 : x.size() / outer }));
    }

    /** The axes of Squeeze/Unsqueeze/Reduce*: the attribute (older opsets) or input 1. */
    static long[] axesOf(Node n, Const[] in, int input) {
        long[] axes = n.ints("axes", null);
        if (axes == null && in.length > input && in[input] != null)
            axes = in[input].longs();
        return axes;
    }

    /** Dims after Unsqueeze (unsqueeze) or Squeeze. */
    static long[] squeezeDims(Node n, long[] dims, long[] axes, boolean unsqueeze, boolean keepBatch) {
        List<Long> d = new ArrayList<>();
        for (long v : dims)
            d.add(v);
        if (unsqueeze) {
            if (axes == null)
                throw n.invalid("Unsqueeze without axes");
            int r = d.size() + axes.length;
            long[] norm = axes.clone();
            for (int k = 0; k < norm.length; k++)
                norm[k] = norm[k] < 0 ? norm[k] + r : norm[k];
            Arrays.sort(norm);
            for (long ax : norm) {
                if (ax < (keepBatch ? 1 : 0) || ax > d.size())
                    throw keepBatch ? n.unsupported("Unsqueeze axis " + ax + " (the batch axis must stay first)") : n.invalid("Unsqueeze axis " + ax);
                d.add((int) ax, 1L);
            }
        } else {
            int r = d.size();
            Set<Integer> rm = new HashSet<>();
            if (axes == null) {
                for (int k = keepBatch ? 1 : 0; k < r; k++)
                    if (d.get(k) == 1)
                        rm.add(k);
            } else
                for (long ax : axes) {
                    int x = (int) (ax < 0 ? ax + r : ax);
                    if (x < 0 || x >= r)
                        throw n.invalid("Squeeze axis " + ax);
                    if (keepBatch && x == 0)
                        throw n.unsupported("Squeeze axis " + ax + " (the batch axis must stay)");
                    if (d.get(x) != 1)
                        throw n.invalid("Squeeze of axis " + ax + " of size " + d.get(x));
                    rm.add(x);
                }
            List<Long> kept = new ArrayList<>();
            for (int k = 0; k < r; k++)
                if (!rm.contains(k))
                    kept.add(d.get(k));
            d = kept;
        }
        return d.stream().mapToLong(Long::longValue).toArray();
    }

    static Const[] squeeze(Node n, Const[] in) {
        Const x = need(n, in, 0);
        return one(ConstOps.reshape(x, squeezeDims(n, x.dims(), axesOf(n, in, 1), false, false)));
    }

    static Const[] unsqueeze(Node n, Const[] in) {
        Const x = need(n, in, 0);
        return one(ConstOps.reshape(x, squeezeDims(n, x.dims(), axesOf(n, in, 1), true, false)));
    }

    static Const[] transpose(Node n, Const[] in) {
        Const x = need(n, in, 0);
        long[] p = n.ints("perm", null);
        if (p != null && p.length != x.rank())
            throw n.invalid("Transpose perm " + Arrays.toString(p) + " does not match rank " + x.rank());
        int[] perm = new int[x.rank()];
        for (int q = 0; q < perm.length; q++)
            perm[q] = p == null ? perm.length - 1 - q : (int) p[q];
        return one(ConstOps.transpose(x, perm, n.describe()));
    }

    static Const[] concat(Node n, Const[] in) {
        Const[] parts = new Const[in.length];
        for (int q = 0; q < in.length; q++)
            parts[q] = need(n, in, q);
        return one(ConstOps.concat(parts, (int) n.attrInt("axis", 0), n.describe()));
    }

    static Const[] split(Node n, Const[] in) {
        Const x = need(n, in, 0);
        int ax = axis(n, n.attrInt("axis", 0), x.rank());
        long len = x.dims()[ax];
        int outs = n.proto().getOutputCount();
        long[] sizes = n.ints("split", null);
        if (sizes == null && in.length > 1 && in[1] != null)
            sizes = in[1].longs();
        if (sizes == null) {
            long parts = n.attrInt("num_outputs", outs);
            if (parts <= 0)
                throw n.invalid("Split into " + parts + " parts");
            long each = (len + parts - 1) / parts;
            sizes = new long[(int) parts];
            long left = len;
            for (int i = 0; i < parts; i++) {
                sizes[i] = Math.max(0, Math.min(each, left));
                left -= sizes[i];
            }
        }
        long sum = 0;
        for (long s : sizes) {
            if (s < 0)
                throw n.invalid("Split size " + s);
            sum += s;
        }
        if (sum != len || sizes.length != outs)
            throw n.invalid("Split sizes " + Arrays.toString(sizes) + " do not cover axis " + ax + " of " + Arrays.toString(x.dims())
                    + " in " + outs + " outputs");
        Const[] out = new Const[outs];
        long start = 0;
        for (int i = 0; i < outs; i++) {
            out[i] = ConstOps.slice(x, new long[] { start }, new long[] { start + sizes[i] }, new long[] { ax }, null, n.describe());
            start += sizes[i];
        }
        return out;
    }

    static Const[] slice(Node n, Const[] in) {
        Const x = need(n, in, 0);
        long[] starts = n.ints("starts", null), ends = n.ints("ends", null), axes = n.ints("axes", null), steps = null;
        if (starts == null) {
            starts = need(n, in, 1).longs();
            ends = need(n, in, 2).longs();
            axes = in.length > 3 && in[3] != null ? in[3].longs() : null;
            steps = in.length > 4 && in[4] != null ? in[4].longs() : null;
        }
        if (ends == null || ends.length != starts.length || (axes != null && axes.length != starts.length)
                || (steps != null && steps.length != starts.length))
            throw n.invalid("Slice starts/ends/axes/steps of different lengths");
        return one(ConstOps.slice(x, starts, ends, axes, steps, n.describe()));
    }

    static Const[] gather(Node n, Const[] in) {
        return one(ConstOps.gather(need(n, in, 0), need(n, in, 1), (int) n.attrInt("axis", 0), n.describe()));
    }

    static Const[] expand(Node n, Const[] in) {
        Const x = need(n, in, 0);
        long[] shape = need(n, in, 1).longs();
        long[] d = ConstOps.broadcastDims(x.dims(), shape);
        if (d == null)
            throw n.invalid("cannot expand " + Arrays.toString(x.dims()) + " to " + Arrays.toString(shape));
        Const.checkGrowth(Const.count(d, n.describe()), x.size(), n.describe(), "Expand to " + Arrays.toString(d));
        return one(new Const(d, ConstOps.expand(x, d, n.describe()), x.integer()));
    }

    static Const[] tile(Node n, Const[] in) {
        Const x = need(n, in, 0);
        long[] rep = need(n, in, 1).longs();
        if (rep.length != x.rank())
            throw n.invalid("Tile repeats " + Arrays.toString(rep) + " for rank " + x.rank());
        long[] d = new long[x.rank()];
        for (int i = 0; i < d.length; i++) {
            if (rep[i] < 0)
                throw n.invalid("Tile repeats " + Arrays.toString(rep));
            d[i] = x.dims()[i] * rep[i];
        }
        long total = Const.count(d, n.describe());
        Const.checkGrowth(total, x.size(), n.describe(), "Tile to " + Arrays.toString(d));
        double[] out = new double[(int) total];
        long[] src = Const.strides(x.dims());
        long[] idx = new long[d.length];
        for (int j = 0; j < total; j++) {
            long s = 0;
            for (int i = 0; i < d.length; i++)
                s += (idx[i] % x.dims()[i]) * src[i];
            out[j] = x.get((int) s);
            for (int i = d.length - 1; i >= 0; i--) {
                if (++idx[i] < d[i])
                    break;
                idx[i] = 0;
            }
        }
        return one(new Const(d, out, x.integer()));
    }

    static Const[] constantOfShape(Node n, Const[] in) {
        long[] shape = need(n, in, 0).longs();
        long total = Const.count(shape, n.describe());
        Const.checkGrowth(total, 1, n.describe(), "ConstantOfShape " + Arrays.toString(shape));
        double v = 0;
        boolean integer = false;
        AttributeProto at = n.attr("value");
        if (at != null) {
            Const c = Tensors.decode(at.getT(), "value of " + n.describe());
            if (c.size() != 1)
                throw n.invalid("ConstantOfShape value must hold one element");
            v = c.get(0);
            integer = c.integer();
        }
        double[] vals = new double[(int) total];
        Arrays.fill(vals, v);
        return one(new Const(shape, vals, integer));
    }

    static Const[] range(Node n, Const[] in) {
        Const s = need(n, in, 0), l = need(n, in, 1), d = need(n, in, 2);
        double start = s.get(0), limit = l.get(0), delta = d.get(0);
        if (delta == 0)
            throw n.invalid("Range with delta 0");
        double count = Math.max(0, Math.ceil((limit - start) / delta));
        if (!(count <= Const.MAX_GROWN))
            throw n.invalid("Range gives " + count + " values; ebnn folds constants that grow to at most " + Const.MAX_GROWN);
        double[] v = new double[(int) count];
        for (int i = 0; i < v.length; i++)
            v[i] = start + i * delta;
        return one(new Const(new long[] { v.length }, v, s.integer() && l.integer() && d.integer()));
    }

    static Const[] pad(Node n, Const[] in) {
        Const x = need(n, in, 0);
        String mode = n.attrString("mode", "constant");
        long[] pads = n.ints("pads", null);
        double value = n.attrFloat("value", 0);
        if (pads == null)
            pads = need(n, in, 1).longs();
        if (in.length > 2 && in[2] != null)
            value = in[2].get(0);
        int r = x.rank();
        long[] axes = in.length > 3 && in[3] != null ? in[3].longs() : null;
        long[] full = new long[2 * r];
        if (axes != null) {
            if (pads.length != 2 * axes.length)
                throw n.invalid("Pad pads " + Arrays.toString(pads) + " for axes " + Arrays.toString(axes));
            for (int k = 0; k < axes.length; k++) {
                int a = axis(n, axes[k], r);
                full[a] = pads[k];
                full[a + r] = pads[k + axes.length];
            }
        } else {
            if (pads.length != 2 * r)
                throw n.invalid("Pad pads " + Arrays.toString(pads) + " for rank " + r);
            full = pads;
        }
        long[] d = new long[r];
        for (int i = 0; i < r; i++) {
            d[i] = x.dims()[i] + full[i] + full[i + r];
            if (d[i] < 0)
                throw n.invalid("Pad " + Arrays.toString(pads) + " removes more than axis " + i + " holds");
        }
        long total = Const.count(d, n.describe());
        Const.checkGrowth(total, x.size(), n.describe(), "Pad to " + Arrays.toString(d));
        double[] out = new double[(int) total];
        long[] src = Const.strides(x.dims());
        long[] idx = new long[r];
        for (int j = 0; j < total; j++) {
            long s = 0;
            boolean inside = true;
            for (int i = 0; i < r && inside; i++) {
                long p = idx[i] - full[i], len = x.dims()[i];
                if (p < 0 || p >= len) {
                    switch (mode) {
                        case "constant" -> inside = false;
                        case "edge" -> p = p < 0 ? 0 : len - 1;
                        case "reflect" -> {
                            if (len == 1)
                                p = 0;
                            else {
                                long period = 2 * (len - 1);
                                p = Math.floorMod(p, period);
                                if (p >= len)
                                    p = period - p;
                            }
                        }
                        case "wrap" -> p = Math.floorMod(p, len);
                        default -> throw n.unsupported("Pad mode " + mode);
                    }
                }
                s += p * src[i];
            }
            out[j] = inside && x.size() > 0 ? x.get((int) s) : value;
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < d[i])
                    break;
                idx[i] = 0;
            }
        }
        return one(new Const(d, out, x.integer()));
    }

    // ---------------------------------------------------------------- reductions and linear algebra

    enum Reduce {
        SUM, MEAN, MAX, MIN, PROD
    }

    static ConstOp reduce(Reduce kind) {
        return (n, in) -> {
            Const x = need(n, in, 0);
            int r = x.rank();
            long[] axes = axesOf(n, in, 1);
            boolean keep = n.attrInt("keepdims", 1) != 0;
            boolean[] red = new boolean[r];
            if (axes == null || axes.length == 0) {
                if (n.attrInt("noop_with_empty_axes", 0) != 0)
                    return one(x);
                Arrays.fill(red, true);
            } else
                for (long a : axes)
                    red[axis(n, a, r)] = true;
            List<Long> outDims = new ArrayList<>();
            long[] kept = new long[r];
            for (int i = 0; i < r; i++) {
                kept[i] = red[i] ? 1 : x.dims()[i];
                if (!red[i] || keep)
                    outDims.add(kept[i]);
            }
            long total = Const.count(kept, n.describe());
            if (x.size() == 0 && (kind == Reduce.MAX || kind == Reduce.MIN || kind == Reduce.MEAN))
                throw n.invalid("Reduce of an empty tensor");
            double[] acc = new double[(int) total];
            Arrays.fill(acc, switch (kind) {
                case SUM, MEAN -> 0;
                case PROD -> 1;
                case MAX -> Double.NEGATIVE_INFINITY;
                case MIN -> Double.POSITIVE_INFINITY;
            });
            long[] ks = Const.strides(kept);
            long[] idx = new long[r];
            for (int j = 0; j < x.size(); j++) {
                long o = 0;
                for (int i = 0; i < r; i++)
                    o += (red[i] ? 0 : idx[i]) * ks[i];
                double v = x.get(j);
                int k = (int) o;
                acc[k] = switch (kind) {
                    case SUM, MEAN -> acc[k] + v;
                    case PROD -> acc[k] * v;
                    case MAX -> Math.max(acc[k], v);
                    case MIN -> Math.min(acc[k], v);
                };
                for (int i = r - 1; i >= 0; i--) {
                    if (++idx[i] < x.dims()[i])
                        break;
                    idx[i] = 0;
                }
            }
            if (kind == Reduce.MEAN) {
                long per = total == 0 ? 1 : x.size() / total;
                for (int k = 0; k < acc.length; k++)
                    acc[k] /= per;
            }
            return one(finite(n, new Const(outDims.stream().mapToLong(Long::longValue).toArray(), acc, x.integer() && kind != Reduce.MEAN)));
        };
    }

    /** numpy matmul: 1-D operands promoted and the added axis removed, batch axes broadcast. */
    static Const matmul(Node n, Const a, Const b) {
        if (a.rank() == 0 || b.rank() == 0)
            throw n.invalid("MatMul of a scalar");
        boolean va = a.rank() == 1, vb = b.rank() == 1;
        long[] ad = va ? new long[] { 1, a.dims()[0] } : a.dims(), bd = vb ? new long[] { b.dims()[0], 1 } : b.dims();
        long m = ad[ad.length - 2], k = ad[ad.length - 1], k2 = bd[bd.length - 2], p = bd[bd.length - 1];
        if (k != k2)
            throw n.invalid("MatMul of " + Arrays.toString(a.dims()) + " and " + Arrays.toString(b.dims()));
        long[] ab = Arrays.copyOf(ad, ad.length - 2), bb = Arrays.copyOf(bd, bd.length - 2);
        long[] batch = ConstOps.broadcastDims(ab, bb);
        if (batch == null)
            throw n.invalid("MatMul batch dims " + Arrays.toString(ab) + " and " + Arrays.toString(bb) + " do not broadcast");
        long nb = Const.count(batch, n.describe());
        long total = Const.count(new long[] { nb, m, p }, n.describe());
        Const.checkGrowth(total, Math.max(a.size(), b.size()), n.describe(), "MatMul");
        if ((double) nb * m * p * k > 4e9)
            throw n.unsupported("MatMul of constants needing " + (nb * m * p * k) + " multiplications");
        long[] ea = new long[batch.length + 2], eb = new long[batch.length + 2];
        System.arraycopy(batch, 0, ea, 0, batch.length);
        System.arraycopy(batch, 0, eb, 0, batch.length);
        ea[batch.length] = m;
        ea[batch.length + 1] = k;
        eb[batch.length] = k;
        eb[batch.length + 1] = p;
        double[] x = ConstOps.expand(new Const(ad, a.values(), a.integer()), ea, n.describe());
        double[] y = ConstOps.expand(new Const(bd, b.values(), b.integer()), eb, n.describe());
        double[] out = new double[(int) total];
        for (long q = 0; q < nb; q++)
            for (long i = 0; i < m; i++)
                for (long j = 0; j < p; j++) {
                    double s = 0;
                    for (long t = 0; t < k; t++)
                        s += x[(int) ((q * m + i) * k + t)] * y[(int) ((q * k + t) * p + j)];
                    out[(int) ((q * m + i) * p + j)] = s;
                }
        List<Long> d = new ArrayList<>();
        for (long v : batch)
            d.add(v);
        if (!va)
            d.add(m);
        if (!vb)
            d.add(p);
        return new Const(d.stream().mapToLong(Long::longValue).toArray(), out, a.integer() && b.integer());
    }

    static Const[] matmulOp(Node n, Const[] in) {
        return one(finite(n, matmul(n, need(n, in, 0), need(n, in, 1))));
    }

    static Const[] gemm(Node n, Const[] in) {
        Const a = need(n, in, 0), b = need(n, in, 1);
        if (a.rank() != 2 || b.rank() != 2)
            throw n.invalid("Gemm needs 2-D operands");
        if (n.attrInt("transA", 0) != 0)
            a = ConstOps.transpose(a, new int[] { 1, 0 }, n.describe());
        if (n.attrInt("transB", 0) != 0)
            b = ConstOps.transpose(b, new int[] { 1, 0 }, n.describe());
        double alpha = n.attrFloat("alpha", 1), beta = n.attrFloat("beta", 1);
        Const y = matmul(n, a, b);
        double[] v = y.values().clone();
        for (int i = 0; i < v.length; i++)
            v[i] *= alpha;
        if (in.length > 2 && in[2] != null) {
            double[] c = ConstOps.expand(in[2], y.dims(), n.describe());
            for (int i = 0; i < v.length; i++)
                v[i] += beta * c[i];
        }
        return one(finite(n, new Const(y.dims(), v, false)));
    }

    // ---------------------------------------------------------------- QONNX quantizers

    static Const[] bipolarQuant(Node n, Const[] in) {
        Const r = ConstOps.binary(need(n, in, 0), need(n, in, 1), (v, sc) -> v >= 0 ? sc : -sc, n.describe());
        return one(new Const(r.dims(), r.values(), false));
    }

    static Const[] quant(Node n, Const[] in) {
        Const x = need(n, in, 0), s = need(n, in, 1), z = need(n, in, 2), b = need(n, in, 3);
        if (z.size() != 1 || b.size() != 1)
            throw n.unsupported("Quant with per-channel zero point or bit width");
        boolean signed = n.attrInt("signed", 1) != 0, narrow = n.attrInt("narrow", 0) != 0;
        String mode = n.attrString("rounding_mode", "ROUND");
        double zp = z.get(0), bits = b.get(0);
        Const r = ConstOps.binary(x, s, (v, sc) -> quant(n, v, sc, zp, bits, signed, narrow, mode), n.describe());
        return one(new Const(r.dims(), r.values(), false));
    }

    /**
     * QONNX Quant of one value. A signed 1-bit Quant is bipolar (QONNX evaluates it as ±1 before
     * the zero point and scale: its integer range would otherwise be empty).
     */
    static double quant(Node n, double x, double scale, double zp, double bits, boolean signed, boolean narrow, String mode) {
        if (scale == 0 || !(bits >= 1) || bits > 32)
            throw n.invalid("Quant with scale " + scale + ", bit width " + bits);
        double v = x / scale + zp;
        if (bits == 1 && signed)
            return ((v >= 0 ? 1 : -1) - zp) * scale;
        double min = signed ? (narrow ? -Math.pow(2, bits - 1) + 1 : -Math.pow(2, bits - 1)) : 0;
        double max = signed ? Math.pow(2, bits - 1) - 1 : (narrow ? Math.pow(2, bits) - 2 : Math.pow(2, bits) - 1);
        v = switch (mode.toUpperCase(Locale.ROOT)) {
            case "CEIL" -> Math.ceil(v);
            case "FLOOR" -> Math.floor(v);
            case "ROUND_TO_ZERO" -> v < 0 ? Math.ceil(v) : Math.floor(v);
            default -> Math.rint(v); // numpy round: half to even
        };
        v = Math.max(min, Math.min(max, v));
        return (v - zp) * scale;
    }

    /** The value of a Constant node. */
    static Const[] constant(Node n, Const[] in) {
        for (AttributeProto at : n.proto().getAttributeList()) {
            switch (at.getName()) {
                case "value":
                    return one(Tensors.decode(at.getT(), "constant of " + n.describe()));
                case "value_float":
                    return one(Const.scalar(at.getF(), false));
                case "value_int":
                    return one(Const.scalar(at.getI(), true));
                case "value_floats": {
                    double[] v = new double[at.getFloatsCount()];
                    for (int k = 0; k < v.length; k++)
                        v[k] = at.getFloats(k);
                    return one(new Const(new long[] { v.length }, v, false));
                }
                case "value_ints": {
                    long[] v = new long[at.getIntsCount()];
                    for (int k = 0; k < v.length; k++)
                        v[k] = at.getInts(k);
                    return one(Const.vector(v));
                }
                default:
            }
        }
        throw n.unsupported("Constant without a numeric value");
    }
}
