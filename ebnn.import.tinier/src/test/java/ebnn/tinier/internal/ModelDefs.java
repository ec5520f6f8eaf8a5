package ebnn.tinier.internal;

import java.util.Random;

/** model.def texts built for the tests with a fixed seed, and the XOR-popcount rule evaluated on them directly. */
final class ModelDefs {
    private ModelDefs() {
    }

    private static final java.util.Map<String, String[]> LINES = new java.util.concurrent.ConcurrentHashMap<>();

    private static String[] lines(String def) {
        return LINES.computeIfAbsent(def, d -> d.split("\n"));
    }

    /** A model.def with the given layer sizes (sizes[0] inputs) and random weights. */
    static String random(long seed, int... sizes) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("bnn\n");
        for (int l = 1; l < sizes.length; l++) {
            b.append(sizes[l - 1]).append(',').append(sizes[l]).append('\n');
            for (int o = 0; o < sizes[l]; o++) {
                for (int i = 0; i < sizes[l - 1]; i++)
                    b.append(r.nextBoolean() ? '1' : '0');
                b.append('\n');
            }
        }
        return b.append("0,0\n").toString();
    }

    /**
     * tinier-nn's rule read straight from the text: per layer, output bit o is 1 when the number of
     * positions where line o's character and the input bit differ is at most IN/2.
     */
    static boolean[] evaluate(String def, boolean[] input) {
        return run(lines(def), input);
    }

    private static boolean[] run(String[] lines, boolean[] input) {
        boolean[] x = input;
        int i = 1;
        while (!lines[i].equals("0,0")) {
            String[] io = lines[i].split(",");
            int in = Integer.parseInt(io[0]), out = Integer.parseInt(io[1]);
            boolean[] y = new boolean[out];
            int[] mism = new int[out];
            for (int o = 0; o < out; o++) {
                String row = lines[i + 1 + o];
                for (int c = 0; c < in; c++)
                    mism[o] += (row.charAt(c) == '1') != x[c] ? 1 : 0;
                y[o] = mism[o] <= in / 2;
            }
            x = y;
            i += 1 + out;
        }
        return x;
    }
}
