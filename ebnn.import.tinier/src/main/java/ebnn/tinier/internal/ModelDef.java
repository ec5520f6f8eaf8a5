package ebnn.tinier.internal;

import java.util.ArrayList;
import java.util.List;

import ebnn.api.ModelFormatException;

/**
 * codekansas/tinier-nn's text model: the line {@code bnn}; per dense layer a line {@code IN,OUT}
 * and OUT lines of IN characters 0/1 (one line per output neuron, first character = first input,
 * 1 = +1); a final {@code 0,0}. Sizes are multiples of 32 (tinier-nn packs bits in 32-bit words)
 * and each layer's IN is the previous layer's OUT. Line ends {@code \n} or {@code \r\n}; nothing but
 * blank lines after {@code 0,0}.
 *
 * @param layers weights[out][in] per layer, true = +1
 */
record ModelDef(List<boolean[][]> layers) {
    /** Neurons and inputs per layer: bounds memory on hostile input. */
    static final int MAX_SIZE = 1 << 16;
    /** Weights in the whole model. */
    static final long MAX_WEIGHTS = 1L << 26;

    ModelDef {
        layers = List.copyOf(layers);
    }

    int inputs() {
        return layers.get(0)[0].length;
    }

    int outputs() {
        boolean[][] last = layers.get(layers.size() - 1);
        return last.length;
    }

    static boolean looksLikeModelDef(byte[] head) {
        String s = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
        return s.matches("(?s)bnn\r?\n[0-9].*") || s.equals("bnn\n") || s.equals("bnn\r\n");
    }

    static ModelDef parse(String where, String text) {
        String[] lines = text.split("\r?\n", -1);
        int i = 0;
        if (lines.length == 0 || !lines[0].equals("bnn"))
            throw new ModelFormatException(where + " line 1: a tinier-nn model.def starts with the line 'bnn'");
        i++;
        List<boolean[][]> layers = new ArrayList<>();
        long total = 0;
        int prevOut = -1;
        while (true) {
            if (i >= lines.length || i == lines.length - 1 && lines[i].isEmpty())
                throw new ModelFormatException(where + " line " + (i + 1) + ": file ends before the final '0,0' (truncated?)");
            String head = lines[i];
            if (!head.matches("[0-9]{1,6},[0-9]{1,6}"))
                throw new ModelFormatException(where + " line " + (i + 1) + ": expected 'IN,OUT' (two decimal sizes), found '" + shorten(head) + "'");
            int in = Integer.parseInt(head.substring(0, head.indexOf(','))), out = Integer.parseInt(head.substring(head.indexOf(',') + 1));
            if (in == 0 && out == 0) {
                if (layers.isEmpty())
                    throw new ModelFormatException(where + " line " + (i + 1) + ": '0,0' ends a model that has no layer");
                for (int j = i + 1; j < lines.length; j++)
                    if (!lines[j].isEmpty())
                        throw new ModelFormatException(where + " line " + (j + 1) + ": nothing may follow the final '0,0', found '"
                                + shorten(lines[j]) + "'");
                return new ModelDef(layers);
            }
            if (in == 0 || out == 0 || in % 32 != 0 || out % 32 != 0 || in > MAX_SIZE || out > MAX_SIZE)
                throw new ModelFormatException(where + " line " + (i + 1) + ": layer " + (layers.size() + 1) + " is " + in + "," + out
                        + "; tinier-nn's sizes are positive multiples of 32 (bit vectors in 32-bit words), at most " + MAX_SIZE);
            if (prevOut >= 0 && in != prevOut)
                throw new ModelFormatException(where + " line " + (i + 1) + ": layer " + (layers.size() + 1) + " reads " + in
                        + " bits but the previous layer writes " + prevOut);
            total += (long) in * out;
            if (total > MAX_WEIGHTS)
                throw new ModelFormatException(where + " line " + (i + 1) + ": more than " + MAX_WEIGHTS + " weights");
            if (lines.length - (i + 1) < out)
                throw new ModelFormatException(where + " line " + lines.length + ": layer " + (layers.size() + 1) + " declares " + out
                        + " neurons but the file ends after " + Math.max(0, lines.length - (i + 1) - 1) + " (truncated?)");
            boolean[][] w = new boolean[out][];
            for (int o = 0; o < out; o++) {
                String row = lines[i + 1 + o];
                int ln = i + 2 + o;
                if (row.length() != in)
                    throw new ModelFormatException(where + " line " + ln + ": neuron " + o + " of layer " + (layers.size() + 1) + " has "
                            + row.length() + " weights, the layer has " + in + " inputs");
                w[o] = new boolean[in];
                for (int c = 0; c < in; c++) {
                    char ch = row.charAt(c);
                    if (ch != '0' && ch != '1')
                        throw new ModelFormatException(where + " line " + ln + ": weight " + (c + 1) + " is '" + (ch >= 32 && ch < 127 ? ch : '?')
                                + "'; weights are the characters 0 and 1");
                    w[o][c] = ch == '1';
                }
            }
            layers.add(w);
            prevOut = out;
            i += 1 + out;
        }
    }

    /** The text tinier-nn reads, byte for byte what {@link #parse} accepts back. */
    String write() {
        StringBuilder b = new StringBuilder("bnn\n");
        for (boolean[][] w : layers) {
            b.append(w[0].length).append(',').append(w.length).append('\n');
            for (boolean[] row : w) {
                for (boolean x : row)
                    b.append(x ? '1' : '0');
                b.append('\n');
            }
        }
        return b.append("0,0\n").toString();
    }

    private static String shorten(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
