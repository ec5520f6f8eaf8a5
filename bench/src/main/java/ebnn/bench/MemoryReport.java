package ebnn.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.Block;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Affine;
import ebnn.api.model.Flatten;
import ebnn.api.model.Layer;
import ebnn.api.model.Model;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;
import ebnn.core.lower.Lowering;
import ebnn.core.plan.MemoryPlanner;
import ebnn.onnx.OnnxImport;
import ebnn.testing.PaperModels;

/**
 * Memory of the generated code against a float-activation execution of the same network, and
 * flash against the information bound, all computed from the float IR and the planner (exact data
 * sizes; no timing, so one run and no spread). Writes markdown to the file given as argument.
 */
public final class MemoryReport {
    record Named(String name, Model model) {
    }

    /** Float execution RAM: input as float, and every layer that makes a new tensor (conv, dense, pool) in ping-pong float buffers; BN, sign, affine and flatten in place. */
    record FloatRam(long inputBytes, long bufferBytes, long scoreBytes) {
        long total() {
            return inputBytes + bufferBytes + scoreBytes;
        }
    }

    static FloatRam floatRam(Model m) {
        List<Shape> shapes = m.shapes();
        long[] buf = new long[2];
        int k = 0;
        long scores = 4L * shapes.get(shapes.size() - 1).size();
        List<Long> outs = new ArrayList<>();
        for (int i = 0; i < m.layers().size(); i++) {
            Layer l = m.layers().get(i);
            if (l instanceof BatchNorm || l instanceof Sign || l instanceof Affine || l instanceof Flatten)
                continue;
            outs.add(4L * shapes.get(i + 1).size());
        }
        // the last tensor-making layer writes the scores (counted apart, like ebnn's int32 scores)
        for (int i = 0; i < outs.size() - 1; i++, k++)
            buf[k % 2] = Math.max(buf[k % 2], outs.get(i));
        return new FloatRam(4L * m.input().shape().size(), buf[0] + buf[1], scores);
    }

    static long weightBits(BinaryModel b) {
        long n = 0;
        for (Block k : b.blocks())
            n += k instanceof ConvBlock c ? (long) c.weights().rows() * c.weights().cols()
                    : k instanceof DenseBlock d ? (long) d.weights().rows() * d.weights().cols() : 0;
        return n;
    }

    public static void main(String[] a) throws Exception {
        List<Named> models = List.of(
                new Named("finn-tfc (784-64-64-64-10)", OnnxImport.read(BenchModels.models().resolve("finn_build_dataflow_tfc_w1a1.onnx")).result().model()),
                new Named("mlp-128 (784-128-10, uint8 in)", PaperModels.mlp128(1)),
                new Named("convpool-16 (conv3x3x16+pool, 3136-10)", PaperModels.convPool16(1)),
                new Named("larq-gtsrb 48x48 (3 conv, 2 dense)", OnnxImport.read(BenchModels.models().resolve("larq_tf2onnx_gtsrb_bnn_48x48.onnx")).result().model()));
        List<Device> devices = List.of(Device.named("atmega328p"), Device.named("cortex-m4"));
        StringBuilder sb = new StringBuilder();
        sb.append("RAM: ebnn = input bytes (1 B per element) + the two ping-pong bit buffers A and B + int32 scores, "
                + "exactly as `ebnn.core` `MemoryPlanner` plans them (stack is listed apart: it is an estimate, measured per back end in the AVR/Cortex-M sections). "
                + "Float = the same network executed with float32 activations: the input as floats, every layer that makes a new tensor "
                + "(conv — its full map before pooling —, dense, pool) in two ping-pong float buffers, batch norm / sign in place, float32 scores.\n\n");
        sb.append("| model | words | ebnn input B | ebnn buffers A+B B | float buffers B | **temporaries ratio** | ebnn RAM B (no stack) | float RAM B | **total ratio** |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        List<String[]> flash = new ArrayList<>();
        for (Named n : models) {
            BinaryModel b = Lowering.lower(n.model());
            FloatRam f = floatRam(n.model());
            for (Device d : devices) {
                MemoryPlan p = MemoryPlanner.plan(b, d);
                long ab = p.bufferABytes() + p.bufferBBytes();
                sb.append(String.format(Locale.ROOT, "| %s | %d-bit (%s) | %,d | %,d | %,d | **%.1f×** | %,d | %,d | **%.1f×** |%n", n.name(), d.wordBits(),
                        d.name(), p.inputBytes(), ab, f.bufferBytes(), (double) f.bufferBytes() / ab, p.staticRamBytes(), f.total(),
                        (double) f.total() / p.staticRamBytes()));
                long bits = weightBits(b);
                long bound = (bits + 7) / 8 + p.thresholdBytes();
                flash.add(new String[] { n.name(), d.wordBits() + "-bit", String.format(Locale.ROOT, "%,d", bits),
                        String.format(Locale.ROOT, "%,d", p.weightBytes()), String.format(Locale.ROOT, "%,d", p.thresholdBytes()),
                        String.format(Locale.ROOT, "%,d", bound), String.format(Locale.ROOT, "%,d", p.dataFlashBytes()),
                        String.format(Locale.ROOT, "%.3f×", (double) p.dataFlashBytes() / bound),
                        (double) p.dataFlashBytes() / bound <= 1.05 ? "yes" : "**no**" });
            }
        }
        sb.append("\nFlash: the information bound is 1 bit per weight (⌈bits/8⌉) plus the thresholds and score affines as stored "
                + "(int16 where the range allows, else int32; scores 2 × int32 per class). Above it: each weight row padded to a whole device word "
                + "(the price of word-aligned XNOR-popcount).\n\n");
        sb.append("| model | words | weight bits | packed weights B | thresholds+scores B | bound B | ebnn weights+thresholds B | ratio | ≤ 1.05× |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (String[] r : flash)
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        Path out = Path.of(a[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, sb.toString());
        PrintStream o = System.out;
        o.print(sb);
    }
}
