package ebnn.api.command;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table for people: columns padded to their widest cell; columns marked numeric are right-aligned. */
public final class Table {
    private final String[] header;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = header;
        this.right = new boolean[header.length];
    }

    /** Right-aligns the given columns (numbers). */
    public Table right(int... columns) {
        for (int c : columns)
            right[c] = true;
        return this;
    }

    public Table row(Object... cells) {
        String[] r = new String[header.length];
        for (int i = 0; i < r.length; i++)
            r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        rows.add(r);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    @Override
    public String toString() {
        int[] w = new int[header.length];
        for (int i = 0; i < w.length; i++)
            w[i] = header[i].length();
        for (String[] r : rows)
            for (int i = 0; i < w.length; i++)
                w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        for (String[] r : rows)
            line(sb, r, w);
        return sb.toString();
    }

    private void line(StringBuilder sb, String[] cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0)
                l.append("  ");
            String c = cells[i];
            boolean last = i == cells.length - 1;
            if (right[i])
                l.append(" ".repeat(w[i] - c.length())).append(c);
            else
                l.append(c).append(last ? "" : " ".repeat(w[i] - c.length()));
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    /** 12345 → "12,345". */
    public static String num(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    /** Bytes for people: exact count, with KB for large values. */
    public static String bytes(long n) {
        return n >= 10 * 1024 ? num(n) + " B (" + String.format(java.util.Locale.ROOT, "%.1f", n / 1024.0) + " KB)" : num(n) + " B";
    }
}
