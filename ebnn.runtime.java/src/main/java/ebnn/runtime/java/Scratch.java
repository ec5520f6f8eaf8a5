package ebnn.runtime.java;

/** One thread's working memory for one compiled model, allocated once and reused for every inference. */
final class Scratch {
    final long[] bufA, bufB; // ping-pong activation bits; block i writes A when i is even
    final long[] win, mask; // a bit-input conv window and its valid-tap mask
    final int[] q; // the byte input mapped to q = multiplier·p + offset
    final int[] qwin; // a byte-input conv window
    final long[] chBits, orAcc, andAcc; // one position's channel bits, pool accumulators
    final int[] scores;
    final char[] planes, planeAcc, planeSums; // PlaneConv: zero-padded input planes, one filter's P, window sums S
    final int[] planeInts; // PlaneConv: one filter's accumulators
    final int[] popcounts; // bit-input blocks: popcount per output row
    final short[] planeDiffs;
    final int[][] positionWords; // PositionConv: windows, word-major [word][position]
    final int[] positionAcc; // PositionConv: one filter's accumulators over all positions // PlaneConv: one filter's ±(2P − S)
    final char[][] shifted; // PlaneConv: one shifted copy of the planes per tap

    Scratch(int activationBits, int windowWords, int byteInts, int windowInts, int channelWords, int classes, int planeChars, int planeTaps, int planeAccLen, int popcountRows, int posWords, int positions) {
        bufA = new long[Bits.words(activationBits) + 1];
        bufB = new long[Bits.words(activationBits) + 1];
        win = new long[windowWords + 1];
        mask = new long[windowWords + 1];
        q = new int[byteInts];
        qwin = new int[windowInts];
        chBits = new long[channelWords + 1];
        orAcc = new long[channelWords + 1];
        andAcc = new long[channelWords + 1];
        scores = new int[classes];
        planes = new char[planeChars];
        planeAcc = new char[planeAccLen];
        planeSums = new char[planeAccLen];
        planeInts = new int[planeAccLen];
        planeDiffs = new short[planeAccLen];
        popcounts = new int[popcountRows];
        positionWords = new int[posWords][positions];
        positionAcc = new int[positions];
        shifted = new char[planeTaps][planeAccLen];
    }
}
