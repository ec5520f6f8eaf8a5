package ebnn.core.lower;

import java.util.List;

import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.binary.IntArray;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.Sign;

/**
 * Pass: leading per-channel layers plus a sign on the input become an {@link InputThresholdBlock}.
 * For each channel the threshold t (0..256) is found by evaluating all 256 pixel values through
 * the exact float chain; the pixels giving +1 must be exactly {@code p >= t}.
 */
public final class InputThresholds {
    private InputThresholds() {
    }

    public static InputThresholdBlock build(String blockName, InputSpec spec, List<Layer> chain, Sign sign) {
        List<List<ChannelOp>> ops = InputChain.perChannel(chain, spec.shape());
        int[] t = new int[spec.shape().channels()];
        for (int c = 0; c < t.length; c++) {
            boolean[] one = new boolean[256];
            for (int p = 0; p < 256; p++)
                one[p] = ChannelOp.applyAll(ops.get(c), spec.valueOf(p)) >= 0;
            int first = 256;
            for (int p = 0; p < 256; p++)
                if (one[p]) {
                    first = p;
                    break;
                }
            for (int p = first; p < 256; p++)
                if (!one[p])
                    throw new UnsupportedModelException("sign layer '" + sign.name() + "' on the input: channel " + c
                            + " gives +1 for pixel " + first + " but -1 for pixel " + p
                            + "; an input threshold needs +1 exactly for pixels >= t (is an input scale negative?)");
            t[c] = first;
        }
        return new InputThresholdBlock(blockName, spec.shape(), IntArray.of(t));
    }
}
