package ebnn.core.lower;

import ebnn.api.binary.PoolCombine;

/**
 * Pass rule: how a pooling window's threshold bits combine into the pooled bit.
 * <ul>
 * <li>Pool after the sign (Larq/FINN order): max of ±1 values = OR of the bits.</li>
 * <li>Pool before the sign (eBNN order conv → pool → BN → sign): the pooled bit is
 * h2(max of the pre-pool values) >= 0, where h2 is the chain after the pool. If h2 is increasing
 * the max wins exactly when any position passes: OR. If h2 is decreasing (γ < 0 after the pool)
 * the max is the position that passes last: AND. This holds whatever the direction of the chain
 * before the pool and whether the row's weights were flipped: after flipping, the max of the
 * original accumulators is minus the min of the flipped ones, which the same case analysis covers.</li>
 * <li>h2 constant: the bit does not depend on the window; OR.</li>
 * </ul>
 */
public final class PoolCombineRule {
    private PoolCombineRule() {
    }

    /** @param postPoolDirection sign of the slope of the chain between the pool and the sign */
    public static PoolCombine combine(boolean poolAfterSign, int postPoolDirection) {
        if (poolAfterSign)
            return PoolCombine.OR;
        return postPoolDirection < 0 ? PoolCombine.AND : PoolCombine.OR;
    }
}
