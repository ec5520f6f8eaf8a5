package ebnn.core.passes;

import java.util.ArrayList;
import java.util.List;

import ebnn.api.model.Layer;
import ebnn.api.model.Model;

/** The float-level clean-ups, listed here once, and how they run: in order, repeated until none applies. */
public final class Passes {
    private Passes() {
    }

    /** Every pass, in the order it runs. */
    public static final List<ModelPass> STANDARD = List.of(new FoldBias(), new MergeAffines(), new DropSignScaleSign(),
            new FoldScaleIntoWeights(), new DropArgmaxTail());

    /** A model after the passes, with one line per rewrite ("pass-name: what"). */
    public record Result(Model model, List<String> notes) {
        public Result {
            notes = List.copyOf(notes);
        }
    }

    public static Model apply(Model m) {
        return run(m).model();
    }

    public static Result run(Model m) {
        return run(m, STANDARD);
    }

    public static Result run(Model m, List<ModelPass> passes) {
        List<String> notes = new ArrayList<>();
        List<Layer> layers = m.layers();
        // each rewrite removes a layer or makes one simpler, so this ends; the bound only guards a defect
        for (int round = 0; round < 4 * layers.size() + 4; round++) {
            boolean changed = false;
            for (ModelPass p : passes) {
                List<Layer> next = p.apply(layers, s -> notes.add(p.name() + ": " + s));
                if (next != layers) {
                    layers = next;
                    changed = true;
                }
            }
            if (!changed)
                break;
        }
        if (layers == m.layers())
            return new Result(m, notes);
        return new Result(new Model(m.name(), m.input(), layers, m.labels()), notes);
    }

    static boolean identity(ebnn.api.model.Affine a) {
        for (int c = 0; c < a.scale().length(); c++)
            if (a.scale().get(c) != 1)
                return false;
        for (int c = 0; c < a.shift().length(); c++)
            if (a.shift().get(c) != 0)
                return false;
        return true;
    }

    static ebnn.api.model.Params compact(double[] v) {
        for (double x : v)
            if (x != v[0])
                return ebnn.api.model.Params.of(v);
        return ebnn.api.model.Params.of(v[0]);
    }

    static List<Layer> replace(List<Layer> ls, int from, int to, List<Layer> with) {
        List<Layer> out = new ArrayList<>(ls.subList(0, from));
        out.addAll(with);
        out.addAll(ls.subList(to, ls.size()));
        return out;
    }
}
