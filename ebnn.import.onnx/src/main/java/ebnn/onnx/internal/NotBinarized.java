package ebnn.onnx.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * Before any layer is built: refuses a network whose activations are quantized to two or more bits
 * (QONNX Quant of bit width ≥ 2 after the first layer, MultiThreshold with several thresholds per
 * channel), naming the node and the bit width, so that such a file is not refused for a weight
 * detail of an earlier layer instead.
 */
final class NotBinarized {
    private NotBinarized() {
    }

    static void check(GraphWalker w, int[] order) {
        Set<String> act = new HashSet<>();
        act.add(w.in.name);
        boolean layerSeen = false;
        for (int i : order) {
            Node n = w.nodes.get(i);
            boolean onPath = false;
            for (String s : n.proto().getInputList())
                onPath |= act.contains(s);
            if (!onPath)
                continue;
            for (String o : n.proto().getOutputList())
                if (!o.isEmpty())
                    act.add(o);
            boolean qonnx = OpTable.domainOf(n.proto().getDomain()).equals(OpTable.QONNX);
            if (qonnx && n.op().equals("Quant") && layerSeen) {
                Const b = n.has(3) ? w.consts.get(n.input(3)) : null;
                if (b != null && b.size() == 1 && b.get(0) >= 2)
                    throw n.unsupported("quantizes activations to " + (long) b.get(0) + " bits (a multi-bit activation, not a binarized network); "
                            + OpTable.TAKES);
            }
            if (qonnx && n.op().equals("MultiThreshold")) {
                Const t = n.has(1) ? w.consts.get(n.input(1)) : null;
                if (t != null && t.rank() == 2 && t.dims()[1] > 1)
                    throw n.unsupported(t.dims()[1] + " thresholds per channel (a " + bits(t.dims()[1]) + "-bit activation); " + OpTable.TAKES);
            }
            if (Set.of("Conv", "MatMul", "Gemm").contains(n.op()) || (qonnx && n.op().equals("XnorPopcountMatMul")))
                layerSeen = true;
        }
    }

    static int bits(long thresholds) {
        return 64 - Long.numberOfLeadingZeros(thresholds);
    }
}
