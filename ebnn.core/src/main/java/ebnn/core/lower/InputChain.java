package ebnn.core.lower;

import java.util.ArrayList;
import java.util.List;

import ebnn.api.model.Flatten;
import ebnn.api.model.Layer;
import ebnn.api.model.Shape;

/** The per-channel steps of the layers applied to the raw input, channel by channel. */
final class InputChain {
    private InputChain() {
    }

    /** ops.get(c) = the steps of input channel c. */
    static List<List<ChannelOp>> perChannel(List<Layer> chain, Shape input) {
        List<List<ChannelOp>> out = new ArrayList<>();
        for (int c = 0; c < input.channels(); c++) {
            List<ChannelOp> ops = new ArrayList<>();
            boolean flattened = false;
            for (Layer l : chain) {
                if (l instanceof Flatten) {
                    flattened = true;
                    continue;
                }
                ops.add(ChannelOp.of(l, input, flattened, c));
            }
            out.add(ops);
        }
        return out;
    }
}
