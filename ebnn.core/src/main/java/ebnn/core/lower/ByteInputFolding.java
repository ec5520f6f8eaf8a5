package ebnn.core.lower;

import java.util.List;

import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.ByteInput;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;

/**
 * Pass: how the first block reads the byte input. The float model sees, per input channel c, the
 * value x = s·p + o[c] of pixel p (the input spec's range and any leading affine/batch-norm layers
 * composed). The device computes integers only, so:
 * <ul>
 * <li>dense and unpadded conv: q = p ({@link ByteInput#IDENTITY}); s goes into the block's per-row
 * multiplier and o·Σw into its per-row constant, because every output sees every tap;</li>
 * <li>padded conv with o ≠ 0: padded taps are 0.0 in float, not o, so o cannot be folded; instead
 * q = multiplier·p + offset with q·k = x exactly (e.g. range −1..1: q = 2p − 255, k = 1/255).</li>
 * </ul>
 */
public final class ByteInputFolding {
    private ByteInputFolding() {
    }

    /** x = scale·p + offset[c] for every input channel c. */
    public record InputAffine(double scale, double[] offset) {
        public boolean hasOffset() {
            for (double o : offset)
                if (o != 0)
                    return true;
            return false;
        }
    }

    /**
     * The device's byte map and what remains for the block: x = k·q + (foldOffsets ? offset[c] : 0).
     */
    public record Choice(ByteInput byteInput, double k, boolean foldOffsets) {
    }

    public static InputAffine analyze(InputSpec spec, List<Layer> chain, Layer firstCompute) {
        List<List<ChannelOp>> ops = InputChain.perChannel(chain, spec.shape());
        int channels = spec.shape().channels();
        double[] s = new double[channels], o = new double[channels];
        for (int c = 0; c < channels; c++) {
            double sc = (spec.high() - spec.low()) / 255.0, oc = spec.low();
            for (ChannelOp op : ops.get(c)) {
                oc = oc * op.slope() + op.intercept();
                sc = sc * op.slope();
            }
            s[c] = sc;
            o[c] = oc;
            if (!(sc > 0) || !Double.isFinite(sc) || !Double.isFinite(oc))
                throw new UnsupportedModelException(firstCompute.kind() + " layer '" + firstCompute.name()
                        + "' reads byte input channel " + c + " scaled by " + sc
                        + "; the input scaling before the first binary layer must be positive");
            if (Math.abs(sc - s[0]) > 1e-12 * Math.abs(s[0]))
                throw new UnsupportedModelException(firstCompute.kind() + " layer '" + firstCompute.name()
                        + "' reads input channels with different scales (" + s[0] + " for channel 0, " + sc + " for channel " + c
                        + "); the integer first layer needs one common positive input scale");
        }
        return new InputAffine(s[0], o);
    }

    public static Choice choose(InputAffine in, boolean padded, Layer compute) {
        if (!padded || !in.hasOffset())
            return new Choice(ByteInput.IDENTITY, in.scale(), in.hasOffset());
        double o = in.offset()[0];
        for (int c = 1; c < in.offset().length; c++)
            if (Math.abs(in.offset()[c] - o) > 1e-12 * Math.max(1, Math.abs(o)))
                throw new UnsupportedModelException(compute.kind() + " layer '" + compute.name()
                        + "' is a padded convolution on input channels with different offsets (" + o + ", " + in.offset()[c]
                        + "); padding would need a per-channel integer input map");
        double r = o / in.scale(); // x = s·(p + r): need p + r = q / multiplier with integer q
        for (int m = 1; m <= 1024; m++) {
            double v = r * m;
            long off = Math.round(v);
            if (Math.abs(v - off) <= 1e-9 * Math.max(1, Math.abs(v)) && Math.abs(off) <= 1 << 18)
                return new Choice(new ByteInput(m, (int) off), in.scale() / m, false);
        }
        throw new UnsupportedModelException(compute.kind() + " layer '" + compute.name()
                + "' is a padded convolution on input x = " + in.scale() + "*p + " + o + ", which no integer map q = m*p + n "
                + "(m <= 1024) is proportional to; use an input range whose low/(high-low)*255 is a simple fraction");
    }
}
