package ebnn.train.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ebnn.api.model.Shape;
import ebnn.train.api.Architecture;
import ebnn.train.api.TrainingException;
import ebnn.train.nn.BatchNorm;
import ebnn.train.nn.BinaryConv2d;
import ebnn.train.nn.BinaryDense;
import ebnn.train.nn.MaxPool;
import ebnn.train.nn.Net;
import ebnn.train.nn.Op;
import ebnn.train.nn.SignAct;

/**
 * The named architectures and the layer-spec grammar.
 *
 * <p>The paper (McDanel, Teerapittayanon, Kung, "Embedded Binarized Neural Networks", EWSN 2017)
 * names its MNIST families by their layer kinds and gives each one's accuracy and memory, not every
 * width: MLP-k is k binary fully connected hidden layers, Conv-k is k binary convolution layers
 * without pooling, ConvPool-k is k convolution + max-pool blocks; each block is followed by batch
 * norm and binary activation, and every network ends in a binary fully connected layer with batch
 * norm to the 10 class scores (eBNN's {@code BinaryLinearBNSoftmax}); the first layer takes the
 * input as is (uint8 pixels times ±1 weights here). Kernel, stride, pool window and widths are our
 * pinning: chosen so that each model's flash + RAM, as ebnn's planner counts it on the paper's
 * device (arduino101, Intel Curie: code and stack estimates included), stays within the paper's KB
 * for that row, whether a KB is read as 1,024 or as 1,000 bytes. The paper's two low-energy rows (Conv-1-LE-I, -II)
 * are Conv-1 with fewer filters: fewer first-layer taps, so fewer cycles and less energy per inference; their
 * paper KB (5.99, 4.63) is below the planner's fixed Curie estimates alone (code + stack + input + scores, 9,528 B),
 * so they are sized by filters, not by that budget. docs/BENCHMARKS.md ("Training") has the measured accuracy and bytes of each.
 */
public final class Architectures {
    private Architectures() {
    }

    public static final List<Architecture> NAMED = List.of(
            new Architecture("mlp-1", "dense:48",
                    "eBNN MLP-1: one binary hidden layer of 48 (on MNIST 784-48-10, sized to the paper's 14.73 KB on arduino101)"),
            new Architecture("mlp-2", "dense:34,dense:24",
                    "eBNN MLP-2: two binary hidden layers of 34 and 24 (MNIST: 784-34-24-10, paper: 13.53 KB)"),
            new Architecture("conv-1", "conv:40:7:0:5",
                    "eBNN Conv-1: one binary conv, 40 filters 7x7 stride 5, no pool (5x5x40 bits on 28x28), binary dense to the classes (paper: 11.48 KB)"),
            new Architecture("conv-1-le-1", "conv:24:7:0:5",
                    "eBNN Conv-1-LE-I (low energy): Conv-1's 7x7 stride-5 conv with 24 filters instead of 40 (5x5x24 bits on 28x28), binary dense to the classes (paper: 91.95 %, 5.99 KB)"),
            new Architecture("conv-1-le-2", "conv:16:7:0:5",
                    "eBNN Conv-1-LE-II (low energy): Conv-1's 7x7 stride-5 conv with 16 filters (5x5x16 bits on 28x28), binary dense to the classes (paper: 90.74 %, 4.63 KB)"),
            new Architecture("conv-2", "conv:32:6:0:2,conv:44:3:0:2",
                    "eBNN Conv-2: two binary convs, 32 filters 6x6 stride 2, 44 filters 3x3 stride 2 (12x12x32, 5x5x44 on 28x28), no pool, binary dense to the classes (paper: 13.77 KB)"),
            new Architecture("convpool-1", "conv:48:5,pool:4:4",
                    "eBNN ConvPool-1: binary conv 48 filters 5x5, 4x4 max-pool (6x6x48 bits on 28x28), binary dense to the classes (paper: 12.79 KB)"),
            new Architecture("convpool-2", "conv:32:5,pool:3:2,conv:44:3,pool:2:2",
                    "eBNN ConvPool-2: conv 32x5x5 + 3x3/2 max-pool, conv 44x3x3 + 2x2 max-pool (11x11x32, 4x4x44 on 28x28), binary dense to the classes (paper: 13.07 KB)"),
            new Architecture("tfc", "dense:64,dense:64,dense:64", "FINN TFC shape: three binary hidden layers of 64 (MNIST: 784-64-64-64-10)"),
            new Architecture("sfc", "dense:256,dense:256,dense:256", "FINN SFC shape: three binary hidden layers of 256 (MNIST: 784-256-256-256-10)"));

    /** The spec of a name, or the argument itself when it already is a spec. */
    public static String spec(String nameOrSpec) {
        String key = nameOrSpec.trim().toLowerCase(Locale.ROOT);
        for (Architecture a : NAMED)
            if (a.name().equals(key))
                return a.spec();
        if (key.contains(":"))
            return key;
        throw new TrainingException("unknown architecture '" + nameOrSpec + "'; known: "
                + String.join(", ", NAMED.stream().map(Architecture::name).toList())
                + ", or a spec such as conv:16:3,pool:2:2,dense:64 (conv:FILTERS:KERNEL[:PAD[:STRIDE]], pool:KERNEL:STRIDE, dense:UNITS)");
    }

    /** A readable model name: the family name, or the spec with ':' and ',' made file-friendly. */
    public static String modelName(String nameOrSpec) {
        String key = nameOrSpec.trim().toLowerCase(Locale.ROOT);
        for (Architecture a : NAMED)
            if (a.name().equals(key))
                return a.name();
        return key.replace(':', '-').replace(',', '_');
    }

    /**
     * Builds the training network of a spec for inputs of {@code input} (any channels × height × width; a flat
     * feature vector is {@code [F]} = F×1×1, which takes dense layers only) and {@code classes} classes.
     */
    public static Net build(String nameOrSpec, Shape input, int classes) {
        String spec = spec(nameOrSpec);
        List<Op> ops = new ArrayList<>();
        Shape s = input;
        String[] tokens = spec.split(",");
        int convs = 0, denses = 0;
        for (int t = 0; t < tokens.length; t++) {
            String tok = tokens[t].trim();
            String[] f = tok.split(":");
            try {
                switch (f[0]) {
                case "conv" -> {
                    if (f.length < 3 || f.length > 5)
                        throw bad(spec, tok, "conv:FILTERS:KERNEL[:PAD[:STRIDE]]");
                    if (denses > 0)
                        throw bad(spec, tok, "convolutions must come before dense layers");
                    int filters = positive(f[1]), k = positive(f[2]), pad = f.length >= 4 ? Integer.parseInt(f[3].trim()) : 0;
                    int stride = f.length == 5 ? positive(f[4]) : 1;
                    if (s.isVector() && k > 1)
                        throw bad(spec, tok, "the input " + s + " is a flat vector of features, a " + k + "x" + k
                                + " convolution needs an image (use dense layers, e.g. dense:64,dense:32)");
                    if (pad < 0 || pad >= k || s.height() + 2 * pad < k || s.width() + 2 * pad < k || filters > 4096 || stride > k)
                        throw bad(spec, tok, "kernel " + k + " with padding " + pad + " and stride " + stride + " does not fit the input " + s);
                    String n = "conv" + (++convs);
                    BinaryConv2d c = new BinaryConv2d(n, s, filters, k, pad, stride);
                    ops.add(c);
                    s = c.out;
                    if (t + 1 < tokens.length && tokens[t + 1].trim().startsWith("pool")) {
                        String[] p = tokens[++t].trim().split(":");
                        if (p.length != 3)
                            throw bad(spec, tokens[t], "pool:KERNEL:STRIDE");
                        int pk = positive(p[1]), ps = positive(p[2]);
                        if (pk > s.height() || pk > s.width())
                            throw bad(spec, tokens[t], "pool window larger than the map " + s);
                        MaxPool mp = new MaxPool("pool" + convs, s, pk, ps);
                        ops.add(mp);
                        s = mp.out;
                    }
                    ops.add(new BatchNorm("bn" + ops.size(), s));
                    ops.add(new SignAct("sign" + ops.size(), s));
                }
                case "dense" -> {
                    if (f.length != 2)
                        throw bad(spec, tok, "dense:UNITS");
                    int units = positive(f[1]);
                    if ((long) units * s.size() > (1L << 26))
                        throw bad(spec, tok, "too large: " + s.size() + " x " + units + " weights");
                    BinaryDense d = new BinaryDense("fc" + (++denses), s.size(), units);
                    ops.add(d);
                    s = d.out;
                    ops.add(new BatchNorm("bn" + ops.size(), s));
                    ops.add(new SignAct("sign" + ops.size(), s));
                }
                case "pool" -> throw bad(spec, tok, "a pool must directly follow a conv");
                default -> throw bad(spec, tok, "unknown layer kind '" + f[0] + "' (conv, pool, dense)");
                }
            } catch (NumberFormatException e) {
                throw bad(spec, tok, "not a number: " + e.getMessage());
            }
        }
        BinaryDense last = new BinaryDense("fc" + (++denses), s.size(), classes);
        ops.add(last);
        ops.add(new BatchNorm("bn" + ops.size(), last.out));
        return new Net(modelName(nameOrSpec), input, ops);
    }

    private static int positive(String s) {
        int v = Integer.parseInt(s.trim());
        if (v <= 0)
            throw new NumberFormatException(s + " must be positive");
        return v;
    }

    private static TrainingException bad(String spec, String token, String why) {
        return new TrainingException("architecture spec '" + spec + "', layer '" + token + "': " + why);
    }
}
