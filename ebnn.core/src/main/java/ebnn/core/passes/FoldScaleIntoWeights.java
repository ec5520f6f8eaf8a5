package ebnn.core.passes;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import ebnn.api.model.Affine;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.Layer;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Sign;

/**
 * A scalar affine s·x + t between a sign and the next dense or conv layer (a BipolarQuant scale,
 * FINN's unipolar {0,1} activations) goes into that layer: weights ·s, bias + t·Σw. It may pass
 * max-pools (when s > 0, which keeps the max) and flattens. A shift is not folded into a padded conv
 * (the padding is 0, not t).
 */
public final class FoldScaleIntoWeights implements ModelPass {
    @Override
    public String name() {
        return "fold-scale-into-weights";
    }

    @Override
    public List<Layer> apply(List<Layer> ls, Consumer<String> note) {
        for (int i = 1; i < ls.size(); i++) {
            if (!(ls.get(i) instanceof Affine a) || !(ls.get(i - 1) instanceof Sign) || a.scale().length() != 1 || a.shift().length() != 1)
                continue;
            double s = a.scaleOf(0), t = a.shiftOf(0);
            if (s == 0)
                continue;
            int j = i + 1;
            while (j < ls.size() && (ls.get(j) instanceof Flatten || (ls.get(j) instanceof MaxPool2d && s > 0)))
                j++;
            if (j == ls.size())
                continue;
            Layer next = ls.get(j), folded;
            if (next instanceof Dense d) {
                double[] w = d.weights().toArray(), b = new double[d.outputs()];
                for (int o = 0; o < d.outputs(); o++) {
                    double row = 0;
                    for (int k = 0; k < d.inputs(); k++) {
                        row += w[o * d.inputs() + k];
                        w[o * d.inputs() + k] *= s;
                    }
                    b[o] = d.biasOf(o) + t * row;
                }
                folded = new Dense(d.name(), d.inputs(), d.outputs(), Params.of(w), t == 0 && d.bias().isEmpty() ? Params.empty() : Params.of(b));
            } else if (next instanceof Conv2d c && (t == 0 || c.padding().equals(Padding.NONE))) {
                double[] w = c.weights().toArray(), b = new double[c.outChannels()];
                int per = w.length / c.outChannels();
                for (int o = 0; o < c.outChannels(); o++) {
                    double row = 0;
                    for (int k = 0; k < per; k++) {
                        row += w[o * per + k];
                        w[o * per + k] *= s;
                    }
                    b[o] = c.biasOf(o) + t * row;
                }
                folded = FoldBias.with(c, Params.of(w), t == 0 && c.bias().isEmpty() ? Params.empty() : Params.of(b));
            } else
                continue;
            note.accept("'" + a.name() + "' into the weights of '" + next.name() + "'");
            List<Layer> mid = new ArrayList<>(ls.subList(i + 1, j));
            mid.add(folded);
            return Passes.replace(ls, i, j + 1, mid);
        }
        return ls;
    }
}
