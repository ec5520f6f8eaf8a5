package ebnn.api.binary;

/** How the threshold bits of a pooling window combine into one pooled bit. */
public enum PoolCombine {
    /** Max-pool after a monotone increasing map: any bit set. */
    OR,
    /** Max-pool of raw accumulators before a decreasing batch norm (γ < 0): all bits set. */
    AND
}
