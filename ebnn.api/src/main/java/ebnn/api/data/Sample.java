package ebnn.api.data;

/**
 * One sample as the model takes it.
 *
 * @param index  position in its source, from 0
 * @param bytes  the model's input bytes in CHW order ({@code shape().size()} of the reader)
 * @param label  class index, or {@link #NO_LABEL}
 * @param origin where it came from, for messages (a file name, or the source and index)
 */
public record Sample(long index, byte[] bytes, int label, String origin) {
    public static final int NO_LABEL = -1;

    public boolean labelled() {
        return label != NO_LABEL;
    }
}
