package ebnn.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ebnn.api.binary.BinaryModel;
import ebnn.api.command.Json;
import ebnn.api.command.Table;
import ebnn.api.binary.Block;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.Scores;
import ebnn.api.binary.Thresholds;
import ebnn.api.model.Affine;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Layer;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Model;
import ebnn.api.model.Padding;
import ebnn.api.model.Shape;

/** Texts and JSON for models, blocks and memory plans, shared by the commands. */
public final class Describe {
    private Describe() {
    }

    public static long params(Layer l) {
        if (l instanceof Dense d)
            return d.weights().length() + d.bias().length();
        if (l instanceof Conv2d c)
            return c.weights().length() + c.bias().length();
        if (l instanceof BatchNorm b)
            return 4L * b.channels();
        if (l instanceof Affine a)
            return a.scale().length() + a.shift().length();
        return 0;
    }

    public static long params(Model m) {
        return m.layers().stream().mapToLong(Describe::params).sum();
    }

    /** Geometry of a layer in a few words. */
    public static String detail(Layer l) {
        if (l instanceof Dense d)
            return d.inputs() + " -> " + d.outputs() + (d.bias().isEmpty() ? "" : ", bias");
        if (l instanceof Conv2d c)
            return c.inChannels() + " -> " + c.outChannels() + ", kernel " + c.kernelH() + "x" + c.kernelW() + ", stride "
                    + c.strideH() + "x" + c.strideW() + pad(c.padding()) + (c.bias().isEmpty() ? "" : ", bias");
        if (l instanceof MaxPool2d p)
            return "window " + p.kernelH() + "x" + p.kernelW() + ", stride " + p.strideH() + "x" + p.strideW() + pad(p.padding());
        if (l instanceof BatchNorm b) {
            int neg = 0, zero = 0;
            for (int c = 0; c < b.channels(); c++) {
                double g = b.gamma().get(c);
                if (g < 0)
                    neg++;
                else if (g == 0)
                    zero++;
            }
            return b.channels() + " channels" + (neg > 0 ? ", " + neg + " with gamma < 0" : "") + (zero > 0 ? ", " + zero + " with gamma = 0" : "");
        }
        if (l instanceof Affine a)
            return a.channels() + " channels";
        return "";
    }

    private static String pad(Padding p) {
        if (p.equals(Padding.NONE))
            return "";
        if (p.top() == p.left() && p.left() == p.bottom() && p.bottom() == p.right())
            return ", pad " + p.top();
        return ", pad " + p.top() + "," + p.left() + "," + p.bottom() + "," + p.right();
    }

    public static String kind(Block b) {
        if (b instanceof InputThresholdBlock)
            return "input-threshold";
        if (b instanceof ConvBlock c)
            return c.pool() == null ? "conv+threshold" : "conv+pool+threshold";
        return b.producesScores() ? "dense+scores" : "dense+threshold";
    }

    public static String detail(Block b) {
        List<String> parts = new ArrayList<>();
        if (b instanceof ConvBlock c) {
            parts.add(c.outChannels() + " filters " + c.kernelH() + "x" + c.kernelW() + " stride " + c.strideH() + "x" + c.strideW()
                    + pad(c.padding()));
            if (c.byteInput() != null)
                parts.add(byteInput(c.byteInput()));
            if (c.pool() != null) {
                String combine = c.output().anyAnd() ? "OR/AND" : "OR";
                parts.add("pool " + c.pool().kernelH() + "x" + c.pool().kernelW() + " (" + combine + ", conv map " + c.convShape()
                        + " never stored)");
            }
            parts.add("weights " + c.weights().rows() + "x" + c.weights().cols() + " bits");
        } else if (b instanceof DenseBlock d) {
            if (d.byteInput() != null)
                parts.add(byteInput(d.byteInput()));
            parts.add("weights " + d.weights().rows() + "x" + d.weights().cols() + " bits");
        } else if (b instanceof InputThresholdBlock t) {
            parts.add("pixel >= " + (t.thresholds().min() == t.thresholds().max() ? t.thresholds().min() : t.thresholds().toString()));
        }
        if (b.output() instanceof Scores s)
            parts.add(s.channels() + " int32 scores");
        else if (!(b instanceof InputThresholdBlock))
            parts.add(b.output().channels() + " thresholds");
        return String.join(", ", parts);
    }

    private static String byteInput(ebnn.api.binary.ByteInput m) {
        if (m.multiplier() == 1 && m.offset() == 0)
            return "uint8 input";
        return "uint8 input q = " + m.multiplier() + "p" + (m.offset() >= 0 ? " + " + m.offset() : " - " + -m.offset());
    }

    public static String shape(Shape s) {
        return s.toString();
    }

    public static Map<String, Object> json(Model m) {
        List<Shape> shapes = m.shapes();
        List<Object> layers = new ArrayList<>();
        for (int i = 0; i < m.layers().size(); i++) {
            Layer l = m.layers().get(i);
            layers.add(Json.obj("name", l.name(), "kind", l.kind(), "input", shapes.get(i).toString(), "output",
                    shapes.get(i + 1).toString(), "params", params(l), "detail", detail(l)));
        }
        return Json.obj("name", m.name(), "input", Json.obj("shape", m.input().shape().toString(), "layout", m.input().sourceLayout(),
                "low", m.input().low(), "high", m.input().high()), "output", m.outputKind().word(), "classes", m.classes(), "labels", m.labels(),
                "params", params(m),
                "layers", layers);
    }

    public static Map<String, Object> json(BinaryModel b) {
        List<Object> blocks = new ArrayList<>();
        for (Block k : b.blocks())
            blocks.add(Json.obj("name", k.name(), "kind", kind(k), "input", k.inputShape().toString(), "output",
                    k.outputShape().toString(), "maxAccumulator", k.maxAccumulator(), "detail", detail(k)));
        return Json.obj("name", b.name(), "input", b.input().toString(), "output", b.outputKind().word(), "classes", b.classes(), "blocks", blocks);
    }

    public static Map<String, Object> json(MemoryPlan p) {
        List<Object> blocks = new ArrayList<>();
        for (MemoryPlan.BlockMemory m : p.blocks())
            blocks.add(Json.obj("block", m.block(), "weightBytes", m.weightBytes(), "thresholdBytes", m.thresholdBytes(), "outputBytes",
                    m.outputBytes(), "buffer", m.buffer() == 0 ? "A" : m.buffer() == 1 ? "B" : "scores"));
        List<Object> overflows = new ArrayList<>();
        p.overflows().forEach(o -> overflows.add(Json.obj("region", o.region(), "neededBytes", o.neededBytes(), "availableBytes",
                o.availableBytes(), "overBytes", o.excessBytes())));
        return Json.obj("model", p.model(), "device", p.device().name(), "output", bitOutput(p) ? "bits" : "classes",
                "flash", Json.obj("weightBytes", p.weightBytes(), "thresholdBytes", p.thresholdBytes(), "codeBytes", p.codeBytes(),
                        "totalBytes", p.flashBytes(), "capacityBytes", p.device().flashBytes()),
                "ram", Json.obj("inputBytes", p.inputBytes(), "bufferABytes", p.bufferABytes(), "bufferBBytes", p.bufferBBytes(),
                        "scoreBytes", p.scoreBytes(), "tableBytes", p.tableBytes(), "stackBytes", p.stackBytes(), "totalBytes", p.ramBytes(), "capacityBytes",
                        p.device().ramBytes()),
                "fits", p.fits(), "overflows", overflows, "blocks", blocks);
    }

    /** The memory plan for people: one table per region against the device's capacity, then per block. */
    public static String text(MemoryPlan p) {
        StringBuilder sb = new StringBuilder();
        sb.append("memory plan of '").append(p.model()).append("' on ").append(p.device().name()).append(" (")
                .append(p.device().description()).append(")\n");
        Table t = new Table("REGION", "PART", "BYTES", "OF", "USE").right(2, 3, 4);
        t.row("flash", "weights", Table.num(p.weightBytes()));
        t.row("", "thresholds/scales", Table.num(p.thresholdBytes()));
        t.row("", "code (estimate)", Table.num(p.codeBytes()));
        t.row("", "total", Table.num(p.flashBytes()), Table.num(p.device().flashBytes()), percent(p.flashBytes(), p.device().flashBytes()));
        t.row("RAM", "input", Table.num(p.inputBytes()));
        t.row("", "buffer A", Table.num(p.bufferABytes()));
        t.row("", "buffer B", Table.num(p.bufferBBytes()));
        t.row("", bitOutput(p) ? "output bits" : "scores", Table.num(p.scoreBytes()));
        if (p.tableBytes() > 0)
            t.row("", "popcount table (SRAM)", Table.num(p.tableBytes()));
        t.row("", "stack (estimate)", Table.num(p.stackBytes()));
        t.row("", "total", Table.num(p.ramBytes()), Table.num(p.device().ramBytes()), percent(p.ramBytes(), p.device().ramBytes()));
        sb.append(t);
        if (!p.blocks().isEmpty()) {
            Table b = new Table("BLOCK", "WEIGHTS", "THRESHOLDS", "OUTPUT", "BUFFER").right(1, 2, 3);
            for (MemoryPlan.BlockMemory m : p.blocks())
                b.row(m.block(), Table.num(m.weightBytes()), Table.num(m.thresholdBytes()), Table.num(m.outputBytes()),
                        m.buffer() == 0 ? "A" : m.buffer() == 1 ? "B" : "scores");
            sb.append(b);
        }
        if (p.fits()) {
            sb.append("fits: flash ").append(Table.num(p.device().flashBytes() - p.flashBytes())).append(" bytes free, RAM ")
                    .append(Table.num(p.device().ramBytes() - p.ramBytes())).append(" bytes free\n");
        } else {
            p.overflows().forEach(o -> sb.append("does not fit: ").append(o.region()).append(" needs ").append(Table.num(o.neededBytes()))
                    .append(" of ").append(Table.num(o.availableBytes())).append(" bytes, over by ").append(Table.num(o.excessBytes()))
                    .append(" bytes\n"));
        }
        return sb.toString();
    }

    /** Whether a plan's model outputs a bit vector: its last block writes a buffer, not the scores (its "scores" are the packed output). */
    public static boolean bitOutput(MemoryPlan p) {
        return !p.blocks().isEmpty() && p.blocks().get(p.blocks().size() - 1).buffer() >= 0;
    }

    private static String percent(long used, long capacity) {
        return String.format(java.util.Locale.ROOT, "%.1f %%", 100.0 * used / capacity);
    }
}
