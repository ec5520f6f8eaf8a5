package ebnn.onnx.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ebnn.api.model.Affine;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.Layer;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Model;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;
import ebnn.api.spi.ModelWriter;

/**
 * Writes a float-level model as standard-op ONNX (opset 13) that ONNX Runtime and other tools run:
 * input f32[N,C,H,W] (or [N,K]) holding the values the model sees ({@code InputSpec.valueOf(byte)},
 * recorded in metadata "ebnn.input_range" so re-importing keeps the byte mapping), output the class
 * scores. Sign is written the Larq way, Sign → Add 0.1 → Sign, so that 0 maps to +1 as in ebnn.
 */
@Component(service = ModelWriter.class, property = ModelWriter.ID_PROPERTY + "=onnx")
public class OnnxWriter implements ModelWriter {

    @Override
    public String id() {
        return "onnx";
    }

    @Override
    public boolean accepts(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    @Override
    public void write(Model model, Path file) {
        ebnn.api.io.AtomicFile.write(file, true, toModelProto(model).toByteArray());
    }

    private static final class Writer {
        final GraphProto.Builder g = GraphProto.newBuilder();
        int counter;

        String fresh(String base) {
            return base.replaceAll("[^A-Za-z0-9_./-]", "_") + "_" + (counter++);
        }

        String constant(String base, long[] dims, double[] values) {
            String name = fresh(base);
            g.addInitializer(Tensors.floats(name, dims, values));
            return name;
        }

        String node(String op, String base, List<AttributeProto> attrs, String... inputs) {
            String out = fresh(base + "/" + op);
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
            for (String i : inputs)
                n.addInput(i);
            n.addAllAttribute(attrs);
            g.addNode(n);
            return out;
        }
    }

    static ModelProto toModelProto(Model model) {
        Writer w = new Writer();
        Shape in = model.input().shape();
        boolean vectorInput = in.isVector();
        w.g.setName(model.name());
        w.g.addInput(value("input", vectorInput ? new long[] { -1, in.channels() } : new long[] { -1, in.channels(), in.height(), in.width() }));
        String x = "input";
        Shape s = in;
        boolean rank2 = vectorInput;
        for (Layer l : model.layers()) {
            String base = l.name().isEmpty() ? l.kind() : l.name();
            Shape out = l.outputShape(s);
            if (l instanceof Dense d) {
                if (!rank2) {
                    x = w.node("Flatten", base, List.of(Attrs.i("axis", 1)), x);
                    rank2 = true;
                }
                double[] wt = new double[d.inputs() * d.outputs()];
                for (int o = 0; o < d.outputs(); o++)
                    for (int i = 0; i < d.inputs(); i++)
                        wt[i * d.outputs() + o] = d.weight(o, i);
                x = w.node("MatMul", base, List.of(), x, w.constant(base + "/W", new long[] { d.inputs(), d.outputs() }, wt));
                if (!d.bias().isEmpty())
                    x = w.node("Add", base, List.of(), x, w.constant(base + "/b", new long[] { d.outputs() }, d.bias().toArray()));
            } else if (l instanceof Conv2d c) {
                if (rank2)
                    throw new ebnn.api.UnsupportedModelException("conv2d layer '" + c.name() + "' after a flatten cannot be written as ONNX");
                List<String> ins = new ArrayList<>(List.of(x, w.constant(base + "/W",
                        new long[] { c.outChannels(), c.inChannels(), c.kernelH(), c.kernelW() }, c.weights().toArray())));
                if (!c.bias().isEmpty())
                    ins.add(w.constant(base + "/B", new long[] { c.outChannels() }, c.bias().toArray()));
                var p = c.padding();
                x = w.node("Conv", base, List.of(Attrs.ints("kernel_shape", c.kernelH(), c.kernelW()), Attrs.ints("strides", c.strideH(), c.strideW()),
                        Attrs.ints("pads", p.top(), p.left(), p.bottom(), p.right())), ins.toArray(String[]::new));
            } else if (l instanceof MaxPool2d m) {
                var p = m.padding();
                x = w.node("MaxPool", base, List.of(Attrs.ints("kernel_shape", m.kernelH(), m.kernelW()), Attrs.ints("strides", m.strideH(), m.strideW()),
                        Attrs.ints("pads", p.top(), p.left(), p.bottom(), p.right())), x);
            } else if (l instanceof BatchNorm b) {
                long[] dims = { b.channels() };
                x = w.node("BatchNormalization", base, List.of(Attrs.f("epsilon", (float) b.epsilon())), x,
                        w.constant(base + "/gamma", dims, b.gamma().toArray()), w.constant(base + "/beta", dims, b.beta().toArray()),
                        w.constant(base + "/mean", dims, b.mean().toArray()), w.constant(base + "/var", dims, b.variance().toArray()));
            } else if (l instanceof Affine a) {
                x = w.node("Mul", base, List.of(), x, perChannel(w, base + "/scale", a.scale().toArray(), a.channels(), rank2));
                x = w.node("Add", base, List.of(), x, perChannel(w, base + "/shift", a.shift().toArray(), a.channels(), rank2));
            } else if (l instanceof Sign) {
                // ONNX Sign(0) is 0; adding 0.1 and taking the sign again maps 0 to +1 and keeps ±1
                x = w.node("Sign", base, List.of(), x);
                x = w.node("Add", base, List.of(), x, w.constant(base + "/tie", new long[0], new double[] { 0.1 }));
                x = w.node("Sign", base, List.of(), x);
            } else if (l instanceof Flatten) {
                if (!rank2) {
                    x = w.node("Flatten", base, List.of(Attrs.i("axis", 1)), x);
                    rank2 = true;
                }
            } else
                throw new ebnn.api.UnsupportedModelException("layer kind " + l.kind() + " cannot be written as ONNX");
            s = out;
        }
        if (!rank2)
            x = w.node("Flatten", "output", List.of(Attrs.i("axis", 1)), x);
        x = w.node("Identity", "scores", List.of(), x);
        w.g.addOutput(value(x, new long[] { -1, s.channels() }));
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("ebnn").setProducerVersion("0.1.0")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("ebnn.input_range")
                        .setValue(model.input().low() + "," + model.input().high()))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("ebnn.source_layout")
                        .setValue(model.input().sourceLayout().name()))
                .setGraph(w.g).build();
    }

    private static String perChannel(Writer w, String name, double[] v, int channels, boolean rank2) {
        if (v.length == 1)
            return w.constant(name, new long[0], v);
        return w.constant(name, rank2 ? new long[] { channels } : new long[] { channels, 1, 1 }, v);
    }

    private static ValueInfoProto value(String name, long[] dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims)
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N") : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(Tensors.FLOAT).setShape(s))).build();
    }
}
