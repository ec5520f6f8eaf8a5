package ebnn.core.passes;

import java.util.List;
import java.util.function.Consumer;

import ebnn.api.model.Affine;
import ebnn.api.model.Layer;

/** A scalar affine with a positive scale at the end of the model keeps the argmax of the scores: dropped. */
public final class DropArgmaxTail implements ModelPass {
    @Override
    public String name() {
        return "drop-argmax-tail";
    }

    @Override
    public List<Layer> apply(List<Layer> ls, Consumer<String> note) {
        int n = ls.size();
        if (n > 1 && ls.get(n - 1) instanceof Affine a && a.scale().length() == 1 && a.shift().length() == 1 && a.scaleOf(0) > 0) {
            note.accept("'" + a.name() + "' (a positive scalar affine of the scores keeps their argmax)");
            return Passes.replace(ls, n - 1, n, List.of());
        }
        return ls;
    }
}
