package ebnn.api.binary;

/** What a block reads. */
public enum InputKind {
    /** Unsigned bytes of the device input (only the first block). */
    BYTES,
    /** Packed bits written by the previous block. */
    BITS
}
