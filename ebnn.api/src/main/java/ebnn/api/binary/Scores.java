package ebnn.api.binary;

import ebnn.api.InvalidModelException;

/** Final integer scores per class: score = acc·multiplier[c] + offset[c], in int32. */
public record Scores(IntArray multiplier, IntArray offset) implements Output {
    public Scores {
        if (multiplier == null || offset == null || multiplier.length() == 0 || multiplier.length() != offset.length())
            throw new InvalidModelException("scores need one multiplier and one offset per class");
    }

    /** Scores equal to the accumulators. */
    public static Scores identity(int classes) {
        return new Scores(IntArray.filled(classes, 1), IntArray.filled(classes, 0));
    }

    @Override
    public int channels() {
        return multiplier.length();
    }
}
