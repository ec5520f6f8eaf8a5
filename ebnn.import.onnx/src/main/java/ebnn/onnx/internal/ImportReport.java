package ebnn.onnx.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Layer;
import ebnn.api.model.MaxPool2d;

/** The import report's node lines: every node is accounted for, as a layer, a folded constant, a no-op or a dropped head. */
final class ImportReport {
    private ImportReport() {
    }

    static String layerText(Layer l) {
        if (l instanceof Dense d)
            return "dense '" + d.name() + "' " + d.inputs() + "->" + d.outputs();
        if (l instanceof Conv2d c)
            return "conv2d '" + c.name() + "' " + c.inChannels() + "->" + c.outChannels() + " " + c.kernelH() + "x" + c.kernelW()
                    + (c.strideH() > 1 ? "/" + c.strideH() : "");
        if (l instanceof MaxPool2d p)
            return "maxpool " + p.kernelH() + "x" + p.kernelW() + "/" + p.strideH();
        return l.kind() + " '" + l.name() + "'";
    }

    /** One line per node group: net nodes start a new group at each linear layer; constants join their first consumer. */
    static List<String> groupLines(GraphWalker w) {
        int count = w.nodes.size();
        int[] group = new int[count];
        Arrays.fill(group, -1);
        Map<Integer, List<Layer>> made = new HashMap<>();
        for (GraphWalker.Entry e : w.layers)
            made.computeIfAbsent(e.node, k -> new ArrayList<>()).add(e.layer);
        int g = -1;
        boolean lastDropped = false;
        for (int i = 0; i < count; i++) {
            if (w.folded[i])
                continue;
            boolean linear = made.getOrDefault(i, List.of()).stream().anyMatch(l -> l instanceof Dense || l instanceof Conv2d);
            if (g < 0 || linear || w.dropped[i] != lastDropped)
                g++;
            group[i] = g;
            lastDropped = w.dropped[i];
        }
        for (int i = count - 1; i >= 0; i--) {
            if (!w.folded[i])
                continue;
            for (String o : w.nodes.get(i).proto().getOutputList())
                for (int c : w.consumers.getOrDefault(o, List.of()))
                    if (group[c] >= 0 && group[i] < 0)
                        group[i] = group[c];
        }
        Map<Integer, List<Integer>> members = new LinkedHashMap<>();
        List<Integer> unused = new ArrayList<>();
        for (int i = 0; i < count; i++)
            if (group[i] >= 0)
                members.computeIfAbsent(group[i], k -> new ArrayList<>()).add(i);
            else
                unused.add(i);
        List<String> lines = new ArrayList<>();
        for (List<Integer> ms : new TreeMap<>(members).values()) {
            List<String> parts = new ArrayList<>(), extra = new ArrayList<>();
            boolean allDropped = true;
            for (int i : ms) {
                allDropped &= w.dropped[i] || w.folded[i];
                List<Layer> mine = made.getOrDefault(i, List.of());
                mine.forEach(l -> parts.add(layerText(l)));
                List<String> ns = w.notes.get(i);
                if (mine.isEmpty() || w.folded[i] || !ns.isEmpty())
                    extra.add(w.nodes.get(i).name() + ": " + String.join("; ", ns.isEmpty() ? List.of("constant (folded)") : ns));
            }
            String ops = String.join(", ", ms.stream().map(i -> w.nodes.get(i).op()).toList());
            String target = allDropped ? "dropped as argmax-preserving" : parts.isEmpty() ? "no layer" : String.join(" + ", parts);
            lines.add(range(ms) + " (" + ops + ") -> " + target + (extra.isEmpty() ? "" : "   [" + String.join(" | ", extra) + "]"));
        }
        if (!unused.isEmpty())
            lines.add(range(unused) + " (" + String.join(", ", unused.stream().map(i -> w.nodes.get(i).op()).toList())
                    + ") -> constants nothing uses (ignored)");
        return lines;
    }

    private static String range(List<Integer> ms) {
        if (ms.size() == 1)
            return "node " + ms.get(0);
        boolean contiguous = ms.get(ms.size() - 1) - ms.get(0) == ms.size() - 1;
        return "nodes " + (contiguous ? ms.get(0) + ".." + ms.get(ms.size() - 1) : String.join(",", ms.stream().map(String::valueOf).toList()));
    }
}
