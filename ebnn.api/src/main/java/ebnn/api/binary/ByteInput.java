package ebnn.api.binary;

import ebnn.api.InvalidModelException;

/**
 * How a first block turns an input byte p (0..255) into the integer q = multiplier·p + offset it
 * accumulates, chosen by lowering so that q is proportional (with a positive factor) to the value
 * the float model saw. E.g. inputs 0..255 or 0..1: q = p; inputs −1..1: q = 2p − 255.
 */
public record ByteInput(int multiplier, int offset) {
    public static final ByteInput IDENTITY = new ByteInput(1, 0);

    public ByteInput {
        if (multiplier <= 0 || multiplier > 1024 || Math.abs(offset) > 1 << 18)
            throw new InvalidModelException("byte input map q = " + multiplier + "*p + " + offset + " out of range");
    }

    /** Largest |q| over all bytes. */
    public int maxMagnitude() {
        return Math.max(Math.abs(offset), Math.abs(255 * multiplier + offset));
    }

    public int apply(int unsignedByte) {
        return multiplier * unsignedByte + offset;
    }
}
