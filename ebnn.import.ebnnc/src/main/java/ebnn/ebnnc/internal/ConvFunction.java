package ebnn.ebnnc.internal;

import java.util.List;

import ebnn.api.model.BatchNorm;
import ebnn.api.model.Conv2d;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;

/**
 * {@code fconv_layer} (float input) and {@code bconv_layer} (packed-bit input): binary filters,
 * then max-pool over the raw dot products, then + bias, batch norm {@code (x − mean) / std · γ + β}
 * and {@code res >= 0} as the bit. In the float IR: Conv2d (with the bias: max(x) + b = max(x + b))
 * → MaxPool2d → BatchNorm (variance std², ε 0; a negative std flips γ) → Sign.
 * <ul>
 * <li>Layout: input and output planes channel-major, rows of {@code w} elements; bits most
 * significant first, each layer's output bits in filter, row, column order (CHW).</li>
 * <li>fconv: each filter's {@code kw·kh·d} bits run on across channels, the filter padded to a byte;
 * padded input taps are 0.0 (the IR's zero padding).</li>
 * <li>bconv: each filter channel's {@code kw·kh} bits padded to a byte. At a border eBNN compacts
 * the taps inside the input and their filter bits and XNOR-popcounts only those: padding
 * contributes nothing, which is the IR's zero padding of ±1 values. In a window without padding it
 * popcounts the filter bytes whole, so a filter's padding bits must be 1 (as eBNN's generator
 * writes them), else they would count in some windows and not others; a filter that overhangs
 * both edges of its input at once is compacted inconsistently by eBNN, so it is refused.</li>
 * <li>Max-pool: eBNN's loop bounds are floor-mode pooling; padded pool positions never win.</li>
 * <li>eBNN indexes rows with w and columns with h; only square geometry means one thing, so the
 * width and height arguments must be equal pairwise.</li>
 * </ul>
 */
final class ConvFunction implements LayerFunction {
    private static final List<String> PARAMS = List.of("A", "F", "C", "Bias", "Gamma", "Beta", "Mean", "Std", "m", "num_f", "w", "h", "d",
            "kw", "kh", "sw", "sh", "pw", "ph", "pl_w", "pl_h", "pl_sw", "pl_sh", "pl_pw", "pl_ph");
    /** eBNN's bdot_3d slices a filter channel into MAX_FILTER_BYTES = 12 bytes. */
    static final int MAX_FILTER_BITS = 96;

    private final boolean floatInput;

    ConvFunction(boolean floatInput) {
        this.floatInput = floatInput;
    }

    @Override
    public String name() {
        return floatInput ? "fconv_layer" : "bconv_layer";
    }

    @Override
    public List<String> parameters() {
        return PARAMS;
    }

    @Override
    public String summary() {
        return floatInput ? "fconv_layer: float input (pixels/255), binary filters, max-pool, batch norm, sign -> conv2d + maxpool + batchnorm + sign"
                : "bconv_layer: packed-bit input, binary filters (zero padding), max-pool, batch norm, sign -> conv2d + maxpool + batchnorm + sign";
    }

    @Override
    public void translate(HeaderWalker.Call c, HeaderWalker walk) {
        if (c.readsFloat() != floatInput)
            throw walk.format(c.def.line(), c.name() + " calls " + name() + " but takes " + c.def.inputType() + "* input; " + name() + " reads "
                    + (floatInput ? "float" : "uint8_t") + "*");
        c.literal("m", 1, 1);
        int f = c.literal("num_f", 1, 4096);
        int w = c.literal("w", 1, 4096), h = c.literal("h", 1, 4096), d = c.literal("d", 1, 4096);
        int kw = c.literal("kw", 1, 64), kh = c.literal("kh", 1, 64), sw = c.literal("sw", 1, 64), sh = c.literal("sh", 1, 64);
        int pw = c.literal("pw", 0, 64), ph = c.literal("ph", 0, 64);
        int plw = c.literal("pl_w", 1, 64), plh = c.literal("pl_h", 1, 64), plsw = c.literal("pl_sw", 1, 64), plsh = c.literal("pl_sh", 1, 64);
        int plpw = c.literal("pl_pw", 0, 64), plph = c.literal("pl_ph", 0, 64);
        if (w != h || kw != kh || sw != sh || pw != ph || plw != plh || plsw != plsh || plpw != plph)
            throw walk.unsupported(c.line(), name() + " with w/h, kw/kh, sw/sh, pw/ph or pool arguments that differ: eBNN indexes rows "
                    + "with the width arguments and columns with the height ones, so only square geometry has one meaning");
        if ((long) w * h * d > Shape.MAX_ELEMENTS)
            throw walk.format(c.line(), name() + " input " + d + "x" + h + "x" + w + " is too large");
        Shape in = new Shape(d, h, w);
        if (walk.current() == null)
            walk.input(floatInput ? HeaderWalker.floatPixels(in) : HeaderWalker.bitInput(in), !floatInput);
        else if (!walk.current().equals(in))
            throw walk.format(c.line(), name() + " reads a " + in + " input but the previous layer writes " + walk.current());
        if (w + 2 * pw < kw)
            throw walk.format(c.line(), name() + ": filter " + kw + "x" + kh + " is larger than the padded input " + w + "x" + h);
        int conv = (w - kw + 2 * pw) / sw + 1;
        if (plpw >= plw || conv + 2 * plpw < plw)
            throw walk.format(c.line(), name() + ": pool " + plw + "x" + plh + " with padding " + plpw + " does not fit the " + conv + "x"
                    + conv + " convolution output");
        int pooled = (conv + 2 * plpw - plw) / plsw + 1;
        int taps = kw * kh;
        if (!floatInput && taps > MAX_FILTER_BITS)
            throw walk.unsupported(c.line(), "bconv_layer with a " + kw + "x" + kh + " filter: eBNN slices at most " + MAX_FILTER_BITS
                    + " bits (MAX_FILTER_BYTES 12) per filter channel");
        if (!floatInput && pw > 0)
            for (int t = 0; t < conv; t++) {
                int x = t * sw - pw;
                if (x < 0 && x + kw > w)
                    throw walk.unsupported(c.line(), "bconv_layer: the " + kw + "x" + kh + " filter overhangs both edges of the " + w + "x" + h
                            + " input at once, where eBNN pairs input and filter bits inconsistently");
            }
        long per = floatInput ? (taps * (long) d + 7) / 8 : d * (long) ((taps + 7) / 8);
        double[] bytes = c.array("F", "uint8_t", f * per, f + " filters of " + per + " bytes (" + (floatInput ? d + "x" + kw + "x" + kh
                + " bits, padded to a byte)" : d + " channels of " + kw + "x" + kh + " bits, each padded to a byte)"));
        double[] weights = new double[f * d * taps];
        for (int o = 0; o < f; o++)
            for (int ch = 0; ch < d; ch++) {
                long base = o * per * 8 + (floatInput ? (long) ch * taps : ch * (long) ((taps + 7) / 8) * 8);
                for (int t = 0; t < taps; t++)
                    weights[(o * d + ch) * taps + t] = bit(bytes, base + t) ? 1 : -1;
                if (!floatInput)
                    for (int t = taps; t < (taps + 7) / 8 * 8; t++)
                        if (!bit(bytes, base + t))
                            throw walk.unsupported(c.line(), "bconv_layer filter " + o + " channel " + ch + " in '" + c.arrayName("F")
                                    + "' has a padding bit that is 0 (eBNN's generator writes 1): eBNN would count it in unpadded windows only");
            }
        double[] bias = c.array("Bias", "float", f, "one bias per filter");
        BatchNorm bn = LinearFunction.batchNorm(c, walk, c.name() + "/bn", f);
        String n = c.name();
        walk.add(new Conv2d(n + "/conv", d, f, kh, kw, sh, sw, Padding.same(pw), Params.of(weights), Params.of(bias)));
        if (plw > 1 || plsw > 1 || plpw > 0)
            walk.add(new MaxPool2d(n + "/pool", plh, plw, plsh, plsw, Padding.same(plpw)));
        walk.add(bn);
        walk.add(new Sign(n + "/sign"));
        walk.output(new Shape(f, pooled, pooled), false);
    }

    /** Bit n of packed bytes, most significant bit first. */
    static boolean bit(double[] bytes, long n) {
        return (((int) bytes[(int) (n >>> 3)]) >> (7 - (int) (n & 7)) & 1) != 0;
    }
}
