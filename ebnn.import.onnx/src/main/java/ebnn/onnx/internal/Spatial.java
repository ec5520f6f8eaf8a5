package ebnn.onnx.internal;

import java.util.Arrays;

import ebnn.api.model.Padding;

/** What Conv, MaxPool and Pad share: the feature-map check, pads (with auto_pad) and dilations. */
final class Spatial {
    private Spatial() {
    }

    static void requireFeatureMap(GraphWalker w, Node n, Act a, String what) {
        long[] d = a.dims();
        if (d.length != 4 || a.perm() != null || d[1] != w.cur.channels() || d[2] != w.cur.height() || d[3] != w.cur.width())
            throw n.unsupported(what + " on a tensor " + Arrays.toString(d) + " whose layout ebnn cannot map to CHW " + w.cur
                    + (a.perm() != null ? " (it is transposed; ONNX Conv/MaxPool take NCHW)" : ""));
    }

    static Padding pads(Node n, int h, int w, int kh, int kw, int sh, int sw) {
        String auto = n.attrString("auto_pad", "NOTSET");
        long[] pads = n.ints("pads", new long[] { 0, 0, 0, 0 });
        if (pads.length != 4)
            throw n.invalid("pads " + Arrays.toString(pads) + " (expected 4 values)");
        for (long p : pads)
            if (p < 0 || p > 64)
                throw n.unsupported("padding " + Arrays.toString(pads));
        switch (auto) {
            case "NOTSET", "" -> {
                return new Padding((int) pads[0], (int) pads[1], (int) pads[2], (int) pads[3]);
            }
            case "VALID" -> {
                return Padding.NONE;
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                int th = Math.max(0, ((h + sh - 1) / sh - 1) * sh + kh - h), tw = Math.max(0, ((w + sw - 1) / sw - 1) * sw + kw - w);
                boolean upper = auto.equals("SAME_UPPER");
                int top = upper ? th / 2 : th - th / 2, left = upper ? tw / 2 : tw - tw / 2;
                return new Padding(top, left, th - top, tw - left);
            }
            default -> throw n.invalid("auto_pad " + auto);
        }
    }

    static void unitDilations(Node n) {
        long[] dil = n.ints("dilations", null);
        if (dil != null)
            for (long v : dil)
                if (v != 1)
                    throw n.unsupported("dilations " + Arrays.toString(dil));
    }
}
