package ebnn.core.passes;

import java.util.List;
import java.util.function.Consumer;

import ebnn.api.model.Affine;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Layer;
import ebnn.api.model.Params;

/** An affine of unit scale right after a dense or conv layer is a bias: it goes into the layer's bias. */
public final class FoldBias implements ModelPass {
    @Override
    public String name() {
        return "fold-bias";
    }

    @Override
    public List<Layer> apply(List<Layer> ls, Consumer<String> note) {
        for (int i = 0; i + 1 < ls.size(); i++) {
            Layer l = ls.get(i);
            if (!(ls.get(i + 1) instanceof Affine a) || !(l instanceof Dense || l instanceof Conv2d))
                continue;
            boolean unit = true;
            for (int c = 0; c < a.scale().length(); c++)
                unit &= a.scale().get(c) == 1;
            if (!unit)
                continue;
            int out = l instanceof Dense d ? d.outputs() : ((Conv2d) l).outChannels();
            double[] b = new double[out];
            for (int o = 0; o < out; o++)
                b[o] = (l instanceof Dense d ? d.biasOf(o) : ((Conv2d) l).biasOf(o)) + a.shiftOf(o);
            Layer folded = l instanceof Dense d ? new Dense(d.name(), d.inputs(), d.outputs(), d.weights(), Params.of(b))
                    : with((Conv2d) l, Params.of(b));
            note.accept("'" + a.name() + "' into the bias of '" + l.name() + "'");
            return Passes.replace(ls, i, i + 2, List.of(folded));
        }
        return ls;
    }

    static Conv2d with(Conv2d c, Params bias) {
        return new Conv2d(c.name(), c.inChannels(), c.outChannels(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding(),
                c.weights(), bias);
    }

    static Conv2d with(Conv2d c, Params weights, Params bias) {
        return new Conv2d(c.name(), c.inChannels(), c.outChannels(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding(),
                weights, bias);
    }
}
