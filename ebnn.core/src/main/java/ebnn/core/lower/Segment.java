package ebnn.core.lower;

import java.util.List;

import ebnn.api.model.Layer;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Sign;

/**
 * The float layers that become one binary block: flattens before it, the compute layer (dense or
 * conv), the per-channel layers and pool before the sign, the sign (null for the scoring block) and
 * the pool and flattens after the sign.
 *
 * @param firstLayer index in the model's layer list of the first layer of this segment
 */
public record Segment(int firstLayer, List<Layer> before, Layer compute, List<Layer> tail, Sign sign, List<Layer> afterSign) {
    public Segment {
        before = List.copyOf(before);
        tail = List.copyOf(tail);
        afterSign = List.copyOf(afterSign);
    }

    /** The block's max-pool, or null. */
    public MaxPool2d pool() {
        for (Layer l : tail)
            if (l instanceof MaxPool2d p)
                return p;
        for (Layer l : afterSign)
            if (l instanceof MaxPool2d p)
                return p;
        return null;
    }

    /** Whether the pool works on the signed ±1 values (Larq/FINN order) rather than on the raw values (eBNN order). */
    public boolean poolAfterSign() {
        return afterSign.stream().anyMatch(l -> l instanceof MaxPool2d);
    }

    public boolean scores() {
        return sign == null;
    }
}
