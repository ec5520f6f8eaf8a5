package ebnn.reference.onnx;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/** ONNX Runtime on a model's bytes, straight through its Java API: every output as doubles. */
final class Ort {
    private Ort() {
    }

    static Map<String, double[]> run(byte[] model, String input, float[] x, long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            // no graph rewrites: the reference runs the ops as written
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = env.createSession(model, o);
                    OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                    OrtSession.Result r = s.run(Map.of(input, t))) {
                Map<String, double[]> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : r) {
                    OnnxTensor v = (OnnxTensor) e.getValue();
                    TensorInfo info = v.getInfo();
                    int n = (int) info.getNumElements();
                    double[] d = new double[n];
                    switch (info.type) {
                        case FLOAT -> {
                            float[] f = new float[n];
                            v.getFloatBuffer().get(f);
                            for (int i = 0; i < n; i++)
                                d[i] = f[i];
                        }
                        case INT64 -> {
                            long[] l = new long[n];
                            v.getLongBuffer().get(l);
                            for (int i = 0; i < n; i++)
                                d[i] = l[i];
                        }
                        default -> throw new IllegalStateException("output type " + info.type);
                    }
                    out.put(e.getKey(), d);
                }
                return out;
            }
        }
    }
}
