package ebnn.api.binary;

import java.util.Arrays;

import ebnn.api.InvalidModelException;

/**
 * An immutable matrix of bits (1 = +1, 0 = −1): one row per output channel, one column per tap in
 * the block's documented order. Stored as 64-bit words, each row starting on a new word, bit c of a
 * row in word c/64 at bit c%64 (LSB first); padding bits are 0.
 */
public final class BitMatrix {
    private final int rows;
    private final int cols;
    private final int wordsPerRow;
    private final long[] words;

    private BitMatrix(int rows, int cols, long[] words) {
        this.rows = rows;
        this.cols = cols;
        this.wordsPerRow = (cols + 63) >>> 6;
        this.words = words;
    }

    /** Gives the bit of (row, col). */
    @FunctionalInterface
    public interface BitSource {
        boolean bit(int row, int col);
    }

    public static BitMatrix build(int rows, int cols, BitSource source) {
        check(rows, cols);
        int wpr = (cols + 63) >>> 6;
        long[] w = new long[rows * wpr];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                if (source.bit(r, c))
                    w[r * wpr + (c >>> 6)] |= 1L << (c & 63);
        return new BitMatrix(rows, cols, w);
    }

    /** From row-major words as {@link #rowWords} gives them; padding bits must be 0. */
    public static BitMatrix ofWords(int rows, int cols, long[] words) {
        check(rows, cols);
        int wpr = (cols + 63) >>> 6;
        if (words.length != (long) rows * wpr)
            throw new InvalidModelException("bit matrix " + rows + "x" + cols + " needs " + (long) rows * wpr + " words, got " + words.length);
        long[] copy = words.clone();
        int tail = cols & 63;
        if (tail != 0)
            for (int r = 0; r < rows; r++)
                if ((copy[r * wpr + wpr - 1] >>> tail) != 0)
                    throw new InvalidModelException("bit matrix row " + r + " has padding bits set");
        return new BitMatrix(rows, cols, copy);
    }

    private static void check(int rows, int cols) {
        if (rows <= 0 || cols <= 0 || (long) rows * cols > (1L << 31))
            throw new InvalidModelException("bad bit matrix size " + rows + "x" + cols);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int wordsPerRow() {
        return wordsPerRow;
    }

    public boolean get(int row, int col) {
        if (row < 0 || row >= rows || col < 0 || col >= cols)
            throw new IndexOutOfBoundsException("(" + row + "," + col + ") outside " + rows + "x" + cols);
        return (words[row * wordsPerRow + (col >>> 6)] >>> (col & 63) & 1L) != 0;
    }

    /** Copies row {@code row}'s 64-bit words into {@code dest} at {@code offset}. */
    public void rowWords(int row, long[] dest, int offset) {
        System.arraycopy(words, row * wordsPerRow, dest, offset, wordsPerRow);
    }

    /** All words, row-major, each row padded to whole 64-bit words. */
    public long[] toWords() {
        return words.clone();
    }

    /** Number of 1 bits in a row. */
    public int rowPopcount(int row) {
        int n = 0;
        for (int i = 0; i < wordsPerRow; i++)
            n += Long.bitCount(words[row * wordsPerRow + i]);
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BitMatrix m && m.rows == rows && m.cols == cols && Arrays.equals(words, m.words);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "BitMatrix[" + rows + "x" + cols + "]";
    }
}
