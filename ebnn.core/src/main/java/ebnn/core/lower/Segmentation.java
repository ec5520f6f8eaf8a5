package ebnn.core.lower;

import java.util.ArrayList;
import java.util.List;

import ebnn.api.UnsupportedModelException;
import ebnn.api.model.Affine;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.Layer;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Model;
import ebnn.api.model.Sign;

/**
 * Pass 1: splits the layer chain into the groups that become blocks.
 * <pre>
 *   model    := input-chain [Sign] segment+
 *   input    := (Affine | BatchNorm | Flatten)*          -- folded into the first block's byte map,
 *                                                         -- or with Sign an input threshold block
 *   segment  := Flatten* (Dense | Conv2d) (BatchNorm | Affine | MaxPool2d | Flatten)* Sign (MaxPool2d | Flatten)*
 *   last     := Flatten* Dense (BatchNorm | Affine | Flatten)*                 -- the scoring block
 *             | Flatten* Dense (BatchNorm | Affine | Flatten)* Sign Flatten*    -- a bit-vector output (OutputKind.BITS)
 * </pre>
 * At most one max-pool per block. Anything else is an {@link UnsupportedModelException} naming the layer.
 *
 * @param inputChain per-channel layers applied to the input before the first block
 * @param inputSign  the sign of an input threshold block, or null if the first block reads bytes
 */
public record Segmentation(List<Layer> inputChain, Sign inputSign, List<Segment> segments) {
    public Segmentation {
        inputChain = List.copyOf(inputChain);
        segments = List.copyOf(segments);
    }

    public static Segmentation of(Model model) {
        List<Layer> ls = model.layers();
        int n = ls.size(), i = 0;
        List<Layer> inputChain = new ArrayList<>();
        while (i < n && (ls.get(i) instanceof Affine || ls.get(i) instanceof BatchNorm || ls.get(i) instanceof Flatten))
            inputChain.add(ls.get(i++));
        Sign inputSign = null;
        if (i < n && ls.get(i) instanceof Sign s) {
            inputSign = s;
            i++;
        }
        List<Segment> segments = new ArrayList<>();
        while (i < n) {
            int first = i;
            List<Layer> before = new ArrayList<>();
            while (i < n && ls.get(i) instanceof Flatten)
                before.add(ls.get(i++));
            if (i == n)
                break; // trailing flattens after the scores cannot happen (the scoring block ends the model)
            Layer compute = ls.get(i);
            if (!(compute instanceof Dense || compute instanceof Conv2d))
                throw unsupported(compute, segments.isEmpty() && inputSign == null && !(compute instanceof MaxPool2d)
                        ? "where a dense or conv layer (or an input sign) is expected"
                        : "where a dense or conv layer is expected; supported blocks are "
                                + "(dense|conv) (batchnorm|affine|maxpool|flatten)* sign (maxpool|flatten)*");
            i++;
            List<Layer> tail = new ArrayList<>();
            int pools = 0;
            while (i < n && (ls.get(i) instanceof BatchNorm || ls.get(i) instanceof Affine || ls.get(i) instanceof MaxPool2d
                    || ls.get(i) instanceof Flatten)) {
                Layer l = ls.get(i++);
                if (l instanceof MaxPool2d && ++pools > 1)
                    throw unsupported(l, "is a second max-pool in the block of '" + compute.name() + "'");
                tail.add(l);
            }
            Sign sign = null;
            List<Layer> after = new ArrayList<>();
            if (i < n && ls.get(i) instanceof Sign s) {
                sign = s;
                i++;
                while (i < n && (ls.get(i) instanceof MaxPool2d || ls.get(i) instanceof Flatten)) {
                    Layer l = ls.get(i++);
                    if (l instanceof MaxPool2d && ++pools > 1)
                        throw unsupported(l, "is a second max-pool in the block of '" + compute.name() + "'");
                    after.add(l);
                }
                // a sign ending the model makes its output a bit vector (OutputKind.BITS): bit i = output i,
                // which only a dense layer's vector gives without reordering (a conv map's bits are HWC, its float CHW)
                if (i == n && !(compute instanceof Dense))
                    throw unsupported(sign, "ends the model after " + compute.kind() + " layer '" + compute.name()
                            + "': the last layer must produce class scores (a dense layer optionally followed by batchnorm/affine)"
                            + " or a bit vector (a dense layer, optionally batchnorm/affine, then a sign)");
            } else if (i < n) {
                Layer next = ls.get(i);
                throw unsupported(next, next instanceof Dense || next instanceof Conv2d
                        ? "follows '" + compute.name() + "' without a sign activation in between"
                        : "cannot follow '" + compute.name() + "' here");
            }
            if (sign == null) {
                if (!(compute instanceof Dense))
                    throw unsupported(compute, "is the last compute layer; the scoring block must be a dense layer");
                if (pools > 0)
                    throw unsupported(tail.stream().filter(l -> l instanceof MaxPool2d).findFirst().get(),
                            "max-pool in the scoring block (after the last dense layer) is not supported");
            }
            segments.add(new Segment(first, before, compute, tail, sign, after));
        }
        if (segments.isEmpty())
            throw new UnsupportedModelException("model '" + model.name() + "' has no dense or conv layer");
        return new Segmentation(inputChain, inputSign, segments);
    }

    static UnsupportedModelException unsupported(Layer l, String what) {
        return new UnsupportedModelException(l.kind() + " layer '" + l.name() + "' " + what);
    }
}
