package ebnn.api.data.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import ebnn.api.data.DataException;
import ebnn.api.data.DataOptions;
import ebnn.api.data.Sample;
import ebnn.api.data.SampleReader;
import ebnn.api.model.Shape;

/**
 * CSV with a header row: one sample per row, every column a feature except the label column
 * ({@code --label-column NAME}, else a column named {@code label}; without one the rows are
 * unlabelled). Values go through the model's input range like any non-uint8 data.
 */
final class Csv implements SampleReader {
    private final String name;
    private final BufferedReader in;
    private final String delimiter;
    private final int columns, labelColumn;
    private final Geometry geometry;
    private final Values values;
    private long line = 1, next;

    private Csv(Path p, BufferedReader in, DataOptions o) throws IOException {
        this.name = p.getFileName().toString();
        this.in = in;
        String header = in.readLine();
        if (header == null || header.isBlank())
            throw new DataException(p + ": empty CSV (a header row naming the columns comes first)");
        if (header.startsWith("\ufeff"))
            header = header.substring(1);
        delimiter = header.contains(",") ? "," : header.contains("\t") ? "\t" : ";";
        String[] names = split(header);
        columns = names.length;
        int lc = -1;
        for (int i = 0; i < names.length; i++) {
            if (o.labelColumn() != null ? names[i].equals(o.labelColumn()) : names[i].equalsIgnoreCase("label"))
                lc = i;
            else if (o.labelColumn() == null || !names[i].equals(o.labelColumn()))
                try {
                    Double.parseDouble(names[i]);
                    throw new DataException(p + ": the first row holds numbers (" + names[i] + ", ...); a CSV needs a header row naming its columns");
                } catch (NumberFormatException e) {
                    // a name, as it should be
                }
        }
        if (o.labelColumn() != null && lc < 0)
            throw new DataException(p + ": no column '" + o.labelColumn() + "' (--label-column); columns: " + String.join(", ", List.of(names)));
        labelColumn = lc;
        int features = columns - (lc >= 0 ? 1 : 0);
        if (features == 0)
            throw new DataException(p + ": no feature columns besides the label");
        geometry = Geometry.of(name, new long[] { features }, null, null, o.shape());
        values = new Values(o.low(), o.high());
    }

    static SampleReader open(Path p, DataOptions o) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(Streams.open(p), StandardCharsets.UTF_8), 1 << 16);
        try {
            return new Csv(p, in, o);
        } catch (RuntimeException | IOException e) {
            in.close();
            throw e;
        }
    }

    private String[] split(String row) {
        String[] f = row.split(java.util.regex.Pattern.quote(delimiter), -1);
        for (int i = 0; i < f.length; i++) {
            String s = f[i].trim();
            if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\""))
                s = s.substring(1, s.length() - 1).trim();
            f[i] = s;
        }
        return f;
    }

    @Override
    public String name() {
        return name + " (CSV)";
    }

    @Override
    public Shape shape() {
        return geometry.shape();
    }

    @Override
    public long count() {
        return -1;
    }

    @Override
    public boolean labelled() {
        return labelColumn >= 0;
    }

    @Override
    public Sample next() {
        String row;
        try {
            do {
                row = in.readLine();
                line++;
            } while (row != null && row.isBlank());
        } catch (IOException e) {
            throw new DataException(name + ": cannot read line " + line + ": " + e.getMessage(), e);
        }
        if (row == null)
            return null;
        String[] f = split(row);
        if (f.length != columns)
            throw new DataException(name + ": line " + line + " has " + f.length + " fields, the header " + columns);
        long i = next++;
        int n = geometry.stored().size();
        byte[] out = new byte[n];
        int label = Sample.NO_LABEL;
        for (int c = 0, j = 0; c < columns; c++) {
            if (c == labelColumn) {
                label = label(f[c]);
                continue;
            }
            double v;
            try {
                v = Double.parseDouble(f[c]);
            } catch (NumberFormatException e) {
                throw new DataException(name + ": line " + line + " (sample " + i + "), value " + j + " is '" + f[c] + "', not a number");
            }
            out[j] = values.toByte(v, name + " line " + line, i, j);
            j++;
        }
        return new Sample(i, out, label, name + " line " + line);
    }

    private int label(String s) {
        try {
            double v = Double.parseDouble(s);
            if (v >= 0 && v <= 255 && v == Math.rint(v))
                return (int) v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DataException(name + ": line " + line + ": label '" + s + "' is not a class index 0..255");
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // read already
        }
    }
}
