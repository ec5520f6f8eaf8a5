package ebnn.api.binary;

import java.util.List;

import ebnn.api.InvalidModelException;

/**
 * Per-channel integer thresholds: bit = (acc >= tau[c]). A constant channel (γ = 0 in the float
 * model) has tau below the smallest or above the largest reachable acc. {@code combine} says, per
 * channel, how a pooling window's bits combine (ignored without a pool).
 */
public record Thresholds(IntArray tau, List<PoolCombine> combine) implements Output {
    public Thresholds {
        if (tau == null || tau.length() == 0)
            throw new InvalidModelException("thresholds must not be empty");
        combine = combine == null || combine.isEmpty() ? java.util.Collections.nCopies(tau.length(), PoolCombine.OR) : List.copyOf(combine);
        if (combine.size() != tau.length())
            throw new InvalidModelException("thresholds: " + combine.size() + " pool modes for " + tau.length() + " channels");
    }

    public static Thresholds of(int... tau) {
        return new Thresholds(IntArray.of(tau), null);
    }

    @Override
    public int channels() {
        return tau.length();
    }

    public boolean anyAnd() {
        return combine.contains(PoolCombine.AND);
    }
}
