package ebnn.core.lower;

import java.util.ArrayList;
import java.util.List;

import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Layer;
import ebnn.api.model.Model;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;

/** Runs the float reference layer by layer and keeps the ±1 tensors right after each sign (CHW), for bit-exact comparisons. */
final class FloatBits {
    private FloatBits() {
    }

    record Trace(List<double[]> signs, List<Shape> signShapes, double[] scores) {
    }

    static Trace trace(Model m, byte[] chw) {
        Shape s = m.input().shape();
        double[] x = new double[s.size()];
        for (int i = 0; i < x.length; i++)
            x[i] = m.input().valueOf(chw[i] & 0xff);
        List<double[]> signs = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        List<Layer> ls = m.layers();
        for (int i = 0; i < ls.size(); i++) {
            Layer l = ls.get(i);
            Shape out = l.outputShape(s);
            x = FloatEvaluator.apply(l, s, out, x);
            s = out;
            if (l instanceof Sign) {
                // a block's bits are after its sign and any pool/flatten following it: record at the next compute layer
                int j = i + 1;
                Shape t = s;
                double[] y = x;
                while (j < ls.size() && !(ls.get(j) instanceof ebnn.api.model.Dense) && !(ls.get(j) instanceof ebnn.api.model.Conv2d)) {
                    Shape o = ls.get(j).outputShape(t);
                    if (!(ls.get(j) instanceof ebnn.api.model.Flatten)) {
                        y = FloatEvaluator.apply(ls.get(j), t, o, y);
                        t = o;
                    }
                    j++;
                }
                signs.add(y);
                shapes.add(t);
            }
        }
        return new Trace(signs, shapes, x);
    }

    /** CHW ±1 values to HWC 0/1 bits. */
    static int[] hwcBits(Shape s, double[] chw) {
        int C = s.channels(), H = s.height(), W = s.width();
        int[] out = new int[chw.length];
        for (int c = 0; c < C; c++)
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                    out[(y * W + x) * C + c] = chw[(c * H + y) * W + x] > 0 ? 1 : 0;
        return out;
    }
}
