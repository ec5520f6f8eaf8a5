package ebnn.reference.onnx;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * Graphs of the standard ops, built with random shapes, weights and inputs, run by ONNX Runtime and
 * by the interpreter: every output must agree (floats to float32 rounding, integers exactly).
 */
public class StandardOpsTest {
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE, INT64 = TensorProto.DataType.INT64_VALUE;
    private static final int SEEDS = 4;

    /** Runs the graph in both on a random input of {@code shape} and compares every graph output. */
    private void check(G g, int opset, long... shape) throws Exception {
        byte[] model = g.build(opset);
        int n = 1;
        for (long d : shape)
            n *= d;
        float[] x = new float[n];
        Random r = new Random(g.rnd.nextLong());
        for (int i = 0; i < n; i++)
            x[i] = (float) (r.nextGaussian() * 2);
        String input = g.g.getInput(0).getName();
        Map<String, double[]> want = Ort.run(model, input, x, shape);
        Path f = tmp.newFile().toPath();
        java.nio.file.Files.write(f, model);
        Program p = Program.load(f);
        double[] xd = new double[n];
        for (int i = 0; i < n; i++)
            xd[i] = x[i];
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++)
            s[i] = (int) shape[i];
        Map<String, Tensor> got = p.runAll(Tensor.of(Tensor.FLOAT, s, xd));
        assertEquals("ONNX Runtime gives every graph output", g.g.getOutputCount(), want.size());
        for (Map.Entry<String, double[]> e : want.entrySet()) {
            Tensor t = got.get(e.getKey());
            double[] w = e.getValue();
            assertEquals(e.getKey() + " size", w.length, t.size());
            for (int i = 0; i < w.length; i++)
                assertEquals(e.getKey() + "[" + i + "] of " + g.g.getNodeList().stream().map(q -> q.getOpType()).toList(), w[i], t.data[i],
                        1e-4 + 1e-4 * Math.abs(w[i]));
        }
    }

    @Test
    public void elementwiseWithBroadcasting() throws Exception {
        long[][] constShapes = { {}, { 5 }, { 3, 1, 1 }, { 1, 4, 1 }, { 1, 3, 4, 5 } };
        for (int seed = 0; seed < SEEDS; seed++)
            for (long[] cs : constShapes) {
                G g = new G("x", seed, 1, 3, 4, 5);
                int n = 1;
                for (long d : cs)
                    n *= d;
                String c = g.random(0.5, 2, cs);
                String neg = g.random(-2, 2, cs);
                for (String op : new String[] { "Add", "Sub", "Mul", "Div" }) {
                    g.output(g.op(op, "x", c));
                    g.output(g.op(op, neg, "x"));
                }
                g.output(g.op("Pow", g.op("Abs", "x"), c));
                g.output(g.op("Sqrt", g.op("Abs", "x")));
                g.output(g.op("Neg", "x"));
                g.output(g.op("Sign", "x"));
                g.output(g.op("Relu", "x"));
                g.output(g.op("Clip", new String[] { "x", g.floats(new long[0], -0.5), g.floats(new long[0], 1.25) }));
                String gt = g.op("Greater", "x", neg), lt = g.op("Less", "x", neg);
                g.output(g.op("Where", new String[] { gt, "x", neg }));
                g.output(g.op("Cast", new String[] { lt }, "to", FLOAT));
                String rounded = g.op("Floor", "x");
                g.output(g.op("Cast", new String[] { g.op("Equal", rounded, g.op("Floor", neg)) }, "to", FLOAT));
                g.output(g.op("Cast", new String[] { g.op("And", gt, g.op("Not", lt)) }, "to", FLOAT));
                g.output(g.op("Cast", new String[] { g.op("Or", gt, lt) }, "to", FLOAT));
                g.output(g.op("Identity", "x"));
                check(g, 13, 1, 3, 4, 5);
                assertTrue(n > 0);
            }
    }

    @Test
    public void convolutionPoolingAndNormalisation() throws Exception {
        for (int seed = 0; seed < SEEDS; seed++) {
            Random r = new Random(seed);
            int c = 1 + r.nextInt(3), m = 2 + r.nextInt(4), h = 6 + r.nextInt(6), w = 6 + r.nextInt(6);
            int k = 1 + 2 * r.nextInt(2), stride = 1 + r.nextInt(2), pad = r.nextInt(2);
            G g = new G("x", seed, 1, c, h, w);
            String conv = g.op("Conv", new String[] { "x", g.random(-1, 1, m, c, k, k), g.random(-1, 1, m) }, "kernel_shape", new long[] { k, k },
                    "pads", new long[] { pad, pad, pad, pad }, "strides", new long[] { stride, stride });
            g.output(conv);
            g.output(g.op("Conv", new String[] { "x", g.random(-1, 1, m, c, 3, 3) }, "kernel_shape", new long[] { 3, 3 }, "pads",
                    new long[] { 0, 1, 1, 0 }, "dilations", new long[] { 1 + r.nextInt(2), 1 }));
            if (c == 2)
                g.output(g.op("Conv", new String[] { "x", g.random(-1, 1, 4, 1, 3, 3) }, "group", 2, "kernel_shape", new long[] { 3, 3 }));
            String bn = g.op("BatchNormalization", new String[] { conv, g.random(-2, 2, m), g.random(-1, 1, m), g.random(-1, 1, m),
                    g.random(0.1, 2, m) }, "epsilon", 1e-3);
            g.output(bn);
            g.output(g.op("MaxPool", new String[] { bn }, "kernel_shape", new long[] { 2, 2 }, "strides", new long[] { 2, 2 }));
            g.output(g.op("MaxPool", new String[] { "x" }, "kernel_shape", new long[] { 3, 3 }, "strides", new long[] { 2, 2 }, "pads",
                    new long[] { 1, 1, 1, 1 }, "ceil_mode", 1));
            g.output(g.op("AveragePool", new String[] { "x" }, "kernel_shape", new long[] { 3, 2 }, "pads", new long[] { 1, 1, 1, 0 }));
            g.output(g.op("AveragePool", new String[] { "x" }, "kernel_shape", new long[] { 3, 3 }, "pads", new long[] { 1, 1, 1, 1 },
                    "count_include_pad", 1, "strides", new long[] { 2, 2 }));
            g.output(g.op("GlobalAveragePool", "x"));
            String flat = g.op("Flatten", new String[] { g.op("Relu", bn) }, "axis", 1);
            int outH = (h + 2 * pad - k) / stride + 1, outW = (w + 2 * pad - k) / stride + 1;
            String gemm = g.op("Gemm", new String[] { flat, g.random(-1, 1, 10, (long) m * outH * outW), g.random(-1, 1, 10) }, "transB", 1,
                    "alpha", 0.5, "beta", 2.0);
            g.output(gemm);
            g.output(g.op("Softmax", new String[] { gemm }, "axis", -1));
            g.output(g.op("LogSoftmax", new String[] { gemm }, "axis", 1));
            check(g, 13, 1, c, h, w);
        }
    }

    @Test
    public void matrixProducts() throws Exception {
        for (int seed = 0; seed < SEEDS; seed++) {
            G g = new G("x", seed, 2, 3, 4);
            g.output(g.op("MatMul", "x", g.random(-1, 1, 4, 5)));
            g.output(g.op("MatMul", "x", g.random(-1, 1, 2, 4, 6)));
            g.output(g.op("MatMul", "x", g.random(-1, 1, 4)));
            g.output(g.op("MatMul", g.random(-1, 1, 3), "x"));
            g.output(g.op("MatMul", g.random(-1, 1, 1, 5, 3), "x"));
            check(g, 13, 2, 3, 4);
        }
    }

    @Test
    public void shapeAndDataMovement() throws Exception {
        for (int seed = 0; seed < SEEDS; seed++) {
            G g = new G("x", seed, 1, 2, 3, 4);
            // the dynamic reshape PyTorch writes: Shape -> Gather -> Unsqueeze -> Concat -> Reshape
            String batch = g.op("Gather", new String[] { g.op("Shape", "x"), g.longs(0) }, "axis", 0);
            String dims = g.op("Concat", new String[] { batch, g.longs(-1) }, "axis", 0);
            g.output(g.op("Reshape", "x", dims));
            String scalar = g.op("Gather", new String[] { g.op("Shape", "x"), g.longScalar(1) }, "axis", 0);
            g.output(g.op("Reshape", "x", g.op("Concat", new String[] { g.op("Unsqueeze", scalar, g.longs(0)), g.longs(0, -1) }, "axis", 0)));
            g.output(g.op("Transpose", new String[] { "x" }, "perm", new long[] { 0, 2, 3, 1 }));
            g.output(g.op("Transpose", "x"));
            g.output(g.op("Squeeze", "x", g.longs(0)));
            g.output(g.op("Unsqueeze", "x", g.longs(2, -1)));
            g.output(g.op("Flatten", new String[] { "x" }, "axis", 2));
            g.output(g.op("Concat", new String[] { "x", g.random(-1, 1, 1, 2, 1, 4), "x" }, "axis", 2));
            g.output(g.op("Slice", new String[] { "x", g.longs(0, 3), g.longs(2, 0), g.longs(1, 3), g.longs(1, -2) }));
            g.output(g.op("Slice", new String[] { "x", g.longs(-2), g.longs(Long.MAX_VALUE), g.longs(-1) }));
            g.output(g.op("Gather", new String[] { "x", g.longs(2, 0, -1) }, "axis", 3));
            g.output(g.op("ConstantOfShape", new String[] { g.longs(2, 3) }, "value", G.oneElement(1.5)));
            g.output(g.op("Add", "x", g.op("Constant", new String[0], "value", G.scalarTensor(-0.75))));
            g.output(g.op("Cast", new String[] { g.op("Cast", new String[] { "x" }, "to", INT64) }, "to", FLOAT));
            g.output(g.op("Cast", new String[] { g.op("Shape", "x") }, "to", FLOAT));
            check(g, 13, 1, 2, 3, 4);
        }
    }

    @Test
    public void topKArgMaxAndReductions() throws Exception {
        for (int seed = 0; seed < SEEDS; seed++) {
            G g = new G("x", seed, 1, 3, 10);
            String[] top = g.opN("TopK", 2, new String[] { "x", g.longs(4) }, "axis", -1);
            g.output(top[0]).output(top[1], INT64);
            String[] low = g.opN("TopK", 2, new String[] { "x", g.longs(2) }, "axis", 1, "largest", 0);
            g.output(low[0]).output(low[1], INT64);
            g.output(g.op("ArgMax", new String[] { "x" }, "axis", 2), INT64);
            g.output(g.op("ArgMax", new String[] { "x" }, "axis", 1, "keepdims", 0), INT64);
            g.output(g.op("ReduceMean", new String[] { "x" }, "axes", new long[] { -1 }));
            g.output(g.op("ReduceMean", new String[] { "x" }, "axes", new long[] { 1, 2 }, "keepdims", 0));
            g.output(g.op("ReduceSum", "x", g.longs(1)));
            g.output(g.op("ReduceSum", new String[] { "x" }, "keepdims", 0));
            // ties: equal values in index order
            String tied = g.op("Floor", new String[] { g.op("Div", "x", g.floats(new long[0], 3)) });
            String[] tk = g.opN("TopK", 2, new String[] { tied, g.longs(10) }, "axis", -1);
            g.output(tk[1], INT64);
            g.output(g.op("ArgMax", new String[] { tied }, "axis", 2), INT64);
            check(g, 13, 1, 3, 10);
        }
    }

    /** Softmax before opset 13 normalises over all dimensions from the axis on. */
    @Test
    public void softmaxOfOpset11() throws Exception {
        for (int seed = 0; seed < SEEDS; seed++) {
            G g = new G("x", seed, 1, 3, 4);
            g.output(g.op("Softmax", "x"));
            g.output(g.op("LogSoftmax", new String[] { "x" }, "axis", 2));
            g.output(g.op("Squeeze", new String[] { "x" }, "axes", new long[] { 0 }));
            g.output(g.op("Unsqueeze", new String[] { "x" }, "axes", new long[] { 0 }));
            g.output(g.op("Clip", new String[] { "x", g.floats(new long[0], -1) }));
            check(g, 11, 1, 3, 4);
        }
    }
}
