package ebnn.ebnnc.internal;

import java.util.List;

import ebnn.api.model.BatchNorm;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;

/**
 * {@code blinear_layer} (bits out) and {@code blinear_sm_layer} (class index out): XNOR-popcount
 * of the packed input against each row of {@code F} ({@code ceil(n/8)} bytes a row), + bias, batch
 * norm; then {@code res >= 0} as the bit, or the argmax with the first maximum winning (the IR's
 * ties to the lowest index). In the float IR: [Flatten] → Dense → BatchNorm [→ Sign].
 * <p>
 * eBNN popcounts whole bytes: a row's padding bits beyond n meet the input's padding bits, which
 * are 0 (every conv layer clears its output, and the buffers are cleared), so each 0 padding bit of
 * row j adds 2 to its dot product; that constant goes into the bias, exactly.
 */
final class LinearFunction implements LayerFunction {
    private static final List<String> PARAMS = List.of("A", "F", "C", "Bias", "Gamma", "Beta", "Mean", "Std", "m", "n", "k");

    private final boolean argmax;

    LinearFunction(boolean argmax) {
        this.argmax = argmax;
    }

    @Override
    public String name() {
        return argmax ? "blinear_sm_layer" : "blinear_layer";
    }

    @Override
    public List<String> parameters() {
        return PARAMS;
    }

    @Override
    public String summary() {
        return argmax ? "blinear_sm_layer: packed bits, binary weights, batch norm, argmax (the class) -> dense + batchnorm (class scores)"
                : "blinear_layer: packed bits, binary weights, batch norm, sign -> dense + batchnorm + sign";
    }

    @Override
    public void translate(HeaderWalker.Call c, HeaderWalker walk) {
        if (c.readsFloat())
            throw walk.format(c.def.line(), c.name() + " calls " + name() + " but takes float* input; " + name() + " reads uint8_t*");
        c.literal("m", 1, 1);
        int n = c.literal("n", 1, 1 << 24), k = c.literal("k", 1, 1 << 16);
        if (walk.current() == null)
            walk.input(HeaderWalker.bitInput(Shape.vector(n)), true);
        else if (walk.current().size() != n)
            throw walk.format(c.line(), name() + " reads n = " + n + " bits but the previous layer writes " + walk.current().size()
                    + " (" + walk.current() + ")");
        long row = (n + 7) / 8;
        double[] bytes = c.array("F", "uint8_t", k * row, k + " rows of " + row + " bytes (" + n + " bits each, padded to a byte)");
        if ((long) n * k > Shape.MAX_ELEMENTS)
            throw walk.format(c.line(), name() + " has " + n + "x" + k + " weights, more than " + Shape.MAX_ELEMENTS);
        double[] w = new double[n * k];
        double[] bias = c.array("Bias", "float", k, "one bias per output").clone();
        int padded = 0;
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < n; i++)
                w[j * n + i] = ConvFunction.bit(bytes, j * row * 8 + i) ? 1 : -1;
            int zeros = 0;
            for (long i = n; i < row * 8; i++)
                zeros += ConvFunction.bit(bytes, j * row * 8 + i) ? 0 : 1;
            bias[j] += 2 * zeros; // exact: a small integer added to a float
            padded += zeros > 0 ? 1 : 0;
        }
        if (padded > 0)
            walk.note("note: " + c.name() + ": " + padded + " of " + k + " rows of '" + c.arrayName("F") + "' have 0 padding bits, which eBNN's "
                    + "byte-wise popcount counts as matches; their bias includes +2 per such bit");
        BatchNorm bn = batchNorm(c, walk, c.name() + "/bn", k);
        if (!walk.current().isVector())
            walk.add(new Flatten(c.name() + "/flatten"));
        walk.add(new Dense(c.name() + "/dense", n, k, Params.of(w), Params.of(bias)));
        walk.add(bn);
        if (!argmax)
            walk.add(new Sign(c.name() + "/sign"));
        walk.output(Shape.vector(k), argmax);
    }

    /** eBNN's {@code (x − Mean) / Std · Gamma + Beta} as an IR batch norm: variance Std², ε 0, γ negated where Std < 0. */
    static BatchNorm batchNorm(HeaderWalker.Call c, HeaderWalker walk, String name, int channels) {
        double[] gamma = c.array("Gamma", "float", channels, "one gamma per output").clone();
        double[] beta = c.array("Beta", "float", channels, "one beta per output");
        double[] mean = c.array("Mean", "float", channels, "one mean per output");
        double[] std = c.array("Std", "float", channels, "one std per output");
        double[] var = new double[channels];
        for (int i = 0; i < channels; i++) {
            if (std[i] == 0)
                throw walk.format(c.line(), "'" + c.arrayName("Std") + "'[" + i + "] is 0: eBNN's batch norm divides by it");
            var[i] = std[i] * std[i]; // exact in double for a float std, and sqrt gives |std| back exactly
            if (std[i] < 0)
                gamma[i] = -gamma[i];
            if (!Double.isFinite(var[i]))
                throw walk.format(c.line(), "'" + c.arrayName("Std") + "'[" + i + "] is too large");
        }
        return new BatchNorm(name, channels, Params.of(gamma), Params.of(beta), Params.of(mean), Params.of(var), 0);
    }
}
