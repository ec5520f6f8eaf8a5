package ebnn.core.passes;

import java.util.List;
import java.util.function.Consumer;

import ebnn.api.model.Affine;
import ebnn.api.model.Layer;

/** Two consecutive affines become one (y = s2·(s1·x + t1) + t2); an identity affine is dropped. */
public final class MergeAffines implements ModelPass {
    @Override
    public String name() {
        return "merge-affines";
    }

    @Override
    public List<Layer> apply(List<Layer> ls, Consumer<String> note) {
        for (int i = 0; i < ls.size(); i++) {
            if (!(ls.get(i) instanceof Affine a))
                continue;
            if (Passes.identity(a) && ls.size() > 1) {
                note.accept("dropped identity affine '" + a.name() + "'");
                return Passes.replace(ls, i, i + 1, List.of());
            }
            if (i + 1 < ls.size() && ls.get(i + 1) instanceof Affine b) {
                int ch = a.channels();
                double[] s = new double[ch], t = new double[ch];
                for (int c = 0; c < ch; c++) {
                    s[c] = b.scaleOf(c) * a.scaleOf(c);
                    t[c] = b.scaleOf(c) * a.shiftOf(c) + b.shiftOf(c);
                }
                note.accept("'" + b.name() + "' merged into '" + a.name() + "'");
                return Passes.replace(ls, i, i + 2, List.of(new Affine(a.name(), ch, Passes.compact(s), Passes.compact(t))));
            }
        }
        return ls;
    }
}
