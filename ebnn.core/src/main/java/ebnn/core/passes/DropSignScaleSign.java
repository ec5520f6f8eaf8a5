package ebnn.core.passes;

import java.util.List;
import java.util.function.Consumer;

import ebnn.api.model.Affine;
import ebnn.api.model.Layer;
import ebnn.api.model.Sign;

/**
 * A sign of ±1 values is the identity: sign → sign, and sign → affine → sign where every channel's
 * affine keeps the sign of ±1 (scale > 0 and |shift| < scale: Larq's Sign → Add 0.1 → Sign), become
 * the first sign.
 */
public final class DropSignScaleSign implements ModelPass {
    @Override
    public String name() {
        return "drop-sign-scale-sign";
    }

    @Override
    public List<Layer> apply(List<Layer> ls, Consumer<String> note) {
        for (int i = 0; i + 1 < ls.size(); i++) {
            if (!(ls.get(i) instanceof Sign s))
                continue;
            if (ls.get(i + 1) instanceof Sign t) {
                note.accept("'" + t.name() + "' is a sign of ±1 values (dropped)");
                return Passes.replace(ls, i + 1, i + 2, List.of());
            }
            if (i + 2 < ls.size() && ls.get(i + 1) instanceof Affine a && ls.get(i + 2) instanceof Sign t && keepsSign(a)) {
                note.accept("'" + a.name() + "' and '" + t.name() + "' keep the ±1 values of '" + s.name() + "' (dropped)");
                return Passes.replace(ls, i + 1, i + 3, List.of());
            }
        }
        return ls;
    }

    static boolean keepsSign(Affine a) {
        for (int c = 0; c < a.channels(); c++)
            if (!(a.scaleOf(c) > 0 && Math.abs(a.shiftOf(c)) < a.scaleOf(c)))
                return false;
        return true;
    }
}
