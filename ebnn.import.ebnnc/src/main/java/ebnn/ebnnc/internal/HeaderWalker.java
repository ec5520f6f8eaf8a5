package ebnn.ebnnc.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ebnn.api.InvalidModelException;
import ebnn.api.ModelFormatException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.Layout;
import ebnn.api.model.Model;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;
import ebnn.api.spi.ImportResult;

/**
 * Walks {@code ebnn_compute}'s calls in order, checks the buffers chain (input → temp → ... →
 * output), and hands each layer function's call to its translator in {@link LayerFunctions}; the
 * translators append float-IR layers and say what the layer's input and output are.
 */
final class HeaderWalker {
    private final String where;
    private final Header header;
    private final List<Layer> layers = new ArrayList<>();
    private final List<String> report = new ArrayList<>();
    private InputSpec input;
    /** The shape the next layer reads, null before the first. */
    private Shape current;
    private boolean scores;

    private HeaderWalker(String where, Header header) {
        this.where = where;
        this.header = header;
    }

    static ImportResult walk(String where, String modelName, Header h) {
        HeaderWalker w = new HeaderWalker(where, h);
        Model m = w.run(modelName);
        return new ImportResult(m, w.report);
    }

    private Model run(String modelName) {
        String prev = "input";
        Map<String, Integer> written = new HashMap<>();
        for (int i = 0; i < header.compute().size(); i++) {
            Header.Step s = header.compute().get(i);
            boolean last = i == header.compute().size() - 1;
            if (!s.in().equals(prev))
                throw format(s.line(), "ebnn_compute passes " + s.in() + " to " + s.layer() + ", but the previous layer wrote " + prev);
            if (s.out().equals("input") || s.out().equals(s.in()))
                throw format(s.line(), s.layer() + " would write into its own input " + s.out());
            if (last != s.out().equals("output"))
                throw format(s.line(), last ? "the last layer must write to output, writes " + s.out()
                        : s.layer() + " writes to output but is not the last layer");
            if (scores)
                throw format(s.line(), "a layer follows blinear_sm_layer, whose output is the class index");
            Header.LayerDef def = header.layers().get(s.layer());
            LayerFunction fn = LayerFunctions.get(def.call().function());
            if (fn == null)
                throw format(def.call().line(), "unknown layer function " + def.call().function() + " (known: " + LayerFunctions.names() + ")");
            boolean floatIn = def.inputType().equals("float");
            if (i == 0 && !def.inputType().equals(header.inputType()))
                throw format(header.computeLine(), "ebnn_compute takes " + header.inputType() + "* input but its first layer "
                        + def.name() + " reads " + def.inputType() + "*");
            if (i > 0 && floatIn)
                throw format(def.line(), def.name() + " reads float* but follows another layer, whose output is packed bits");
            Call call = bind(fn, def);
            if (def.call().function().equals("blinear_layer") && written.containsKey(s.out()))
                report.add("note: blinear_layer ORs into its output without clearing it, and " + def.name() + " writes " + s.out()
                        + ", which an earlier layer of the same inference wrote: eBNN's own C then gives the OR of both; "
                        + "ebnn computes the layer's own bits");
            int before = layers.size();
            fn.translate(call, this);
            int bytes = (current.size() + 7) / 8;
            if (!s.out().equals("output")) {
                int size = header.temps().get(s.out());
                written.merge(s.out(), bytes, Math::max);
                if (size < bytes)
                    report.add("warning: " + s.out() + " is declared with " + size + " B but " + def.name() + " writes " + bytes
                            + " B: eBNN's own C overflows it (and its answers then depend on the platform's memory layout); "
                            + "ebnn plans its buffers from the layers, not from the header");
            }
            report.add(def.call().function() + " '" + def.name() + "' (line " + def.call().line() + ") -> "
                    + describe(layers.subList(before, layers.size())) + ", output " + current);
            prev = s.out();
        }
        if (!scores)
            throw format(header.compute().get(header.compute().size() - 1).line(),
                    "the last layer must be blinear_sm_layer (its argmax is the class); the header ends in packed bits");
        try {
            return new Model(modelName, input, layers);
        } catch (InvalidModelException e) {
            throw new InvalidModelException(where + ": " + e.getMessage());
        }
    }

    private static String describe(List<Layer> ls) {
        StringBuilder b = new StringBuilder();
        for (Layer l : ls)
            b.append(b.length() == 0 ? "" : " + ").append(l.kind());
        return b.toString();
    }

    private Call bind(LayerFunction fn, Header.LayerDef def) {
        List<String> params = fn.parameters();
        List<Header.Arg> args = def.call().args();
        if (args.size() != params.size())
            throw format(def.call().line(), fn.name() + " takes " + params.size() + " arguments (" + String.join(", ", params) + "), "
                    + def.name() + " passes " + args.size());
        Map<String, Header.Arg> byName = new HashMap<>();
        for (int i = 0; i < params.size(); i++)
            byName.put(params.get(i), args.get(i));
        Header.Arg a = byName.get(params.get(0)), c = byName.get(params.get(2));
        if (a.isLiteral() || !a.identifier().equals("input"))
            throw format(a.line(), fn.name() + "'s first argument is " + def.name() + "'s input, found " + a.text());
        if (c.isLiteral() || !c.identifier().equals("output"))
            throw format(c.line(), fn.name() + "'s third argument is " + def.name() + "'s output, found " + c.text());
        return new Call(fn, def, byName);
    }

    // ---- what translators use

    String where() {
        return where;
    }

    /** The shape the layer reads; null for the first layer. */
    Shape current() {
        return current;
    }

    /** The first layer declares the model's input; later layers must read what the previous one wrote. */
    void input(InputSpec spec, boolean binarize) {
        input = spec;
        report.add(binarize ? "input: " + spec.shape() + " bits, one byte each (0 = bit 0, any other byte = bit 1)"
                : "input: " + spec.shape() + " floats, assumed pixels/255 (range 0..1) as eBNN's data headers hold them; "
                        + "change it with --input-range LOW,HIGH");
        if (binarize)
            layers.add(new Sign("input_bits"));
    }

    void add(Layer l) {
        layers.add(l);
    }

    void output(Shape s, boolean classScores) {
        current = s;
        scores = classScores;
    }

    void note(String line) {
        report.add(line);
    }

    /** A header does not say its input's range; eBNN's data headers hold pixels/255, so that is assumed (the report says so). */
    static InputSpec floatPixels(Shape s) {
        return new InputSpec(s, Layout.NCHW, 0, 1, InputSpec.RangeSource.ASSUMED);
    }

    /**
     * Packed-bit input, one device byte per bit: byte 0 is bit 0 (−1), any other byte bit 1 (+1).
     * The float model sees byte b as b − 0.5 (range −0.5..254.5) before its sign.
     */
    static InputSpec bitInput(Shape s) {
        return new InputSpec(s, Layout.NCHW, -0.5, 254.5);
    }

    ModelFormatException format(int line, String what) {
        return new ModelFormatException(where + " line " + line + ": " + what);
    }

    UnsupportedModelException unsupported(int line, String what) {
        return new UnsupportedModelException(where + " line " + line + ": " + what);
    }

    /** One layer function's call with its arguments bound to eBNN's parameter names. */
    final class Call {
        final LayerFunction fn;
        final Header.LayerDef def;
        private final Map<String, Header.Arg> args;

        Call(LayerFunction fn, Header.LayerDef def, Map<String, Header.Arg> args) {
            this.fn = fn;
            this.def = def;
            this.args = args;
        }

        String name() {
            return def.name();
        }

        int line() {
            return def.call().line();
        }

        boolean readsFloat() {
            return def.inputType().equals("float");
        }

        /** An integer literal argument within lo..hi. */
        int literal(String param, int lo, int hi) {
            Header.Arg a = args.get(param);
            if (!a.isLiteral())
                throw format(a.line(), "argument " + param + " of " + fn.name() + " must be an integer literal, found '" + a.text() + "'");
            if (a.literal() < lo || a.literal() > hi)
                throw format(a.line(), "argument " + param + " of " + fn.name() + " is " + a.literal() + ", must be within " + lo + ".." + hi);
            return (int) (long) a.literal();
        }

        /** The array an argument names: declared above with this element type and exactly {@code size} values. */
        double[] array(String param, String type, long size, String meaning) {
            Header.Arg a = args.get(param);
            if (a.isLiteral())
                throw format(a.line(), "argument " + param + " of " + fn.name() + " must name an array, found " + a.text());
            Header.ArrayDecl d = header.arrays().get(a.identifier());
            if (d == null)
                throw format(a.line(), "argument " + param + " of " + fn.name() + " names '" + a.identifier()
                        + "', which is not an array declared above");
            if (!d.type().equals(type))
                throw format(d.line(), "array '" + d.name() + "' (" + param + " of " + name() + ") must be " + type + ", is " + d.type());
            if (d.size() != size)
                throw format(d.line(), "array '" + d.name() + "' has " + d.size() + " values but " + name() + "'s " + fn.name() + " needs "
                        + size + " for " + meaning);
            return d.values();
        }

        String arrayName(String param) {
            return args.get(param).identifier();
        }
    }
}
