package ebnn.onnxruntime;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ebnn.api.BackendException;
import ebnn.api.EbnnException;
import ebnn.api.NotFoundException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.spi.ReferenceRuntime;
import ebnn.onnx.OnnxImport;
import ebnn.api.model.InputRange;
import ebnn.onnx.OnnxInput;

/**
 * ONNX Runtime as the independent reference: runs the original .onnx file on the same byte samples
 * the imported model takes (mapped to the file's own input values and layout by the importer's
 * description of the graph input).
 */
@Component(service = ReferenceRuntime.class, property = ReferenceRuntime.ID_PROPERTY + "=onnxruntime")
public class OrtReference implements ReferenceRuntime {
    static final String VERSION = "1.29.0";
    private static final int BATCH = 64;

    @Override
    public String id() {
        return "onnxruntime";
    }

    @Override
    public String description() {
        return "ONNX Runtime " + VERSION + " (CPU)";
    }

    @Override
    public boolean accepts(Path modelFile) {
        return modelFile.getFileName() != null && modelFile.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    @Override
    public int[] classify(Path modelFile, byte[] chwSamples, int count, float[] scores) {
        return classify(modelFile, (InputRange) null, chwSamples, count, scores);
    }

    /**
     * Where the file declares its input range it is used; elsewhere the graph input range that gives the
     * imported model's {@code modelRange} (what its first layer sees), through the input scaling the
     * importer reads in the file.
     */
    @Override
    public int[] classify(Path modelFile, byte[] chwSamples, int count, float[] scores, InputRange modelRange) {
        if (modelRange == null || declaredInputRange(modelFile).isPresent())
            return classify(modelFile, (InputRange) null, chwSamples, count, scores);
        OnnxImport imp = OnnxImport.read(modelFile);
        ebnn.api.model.InputSpec seen = imp.result().model().input();
        OnnxInput in = imp.input();
        // the file's scaling maps the graph input rawLow..rawHigh onto the first layer's low..high; invert it
        double perUnit = (in.rawHigh() - in.rawLow()) / (seen.high() - seen.low());
        InputRange graph = new InputRange(in.rawLow() + (modelRange.low() - seen.low()) * perUnit,
                in.rawLow() + (modelRange.high() - seen.low()) * perUnit);
        return classify(modelFile, graph, chwSamples, count, scores);
    }

    /** The range the file itself states (a leading Div by 255, a uint8 input, a data-type annotation, metadata). */
    @Override
    public java.util.Optional<InputRange> declaredInputRange(Path modelFile) {
        if (!Files.isRegularFile(modelFile))
            throw new NotFoundException("model file not found: " + modelFile);
        OnnxImport imp = OnnxImport.read(modelFile);
        if (imp.result().model().input().rangeSource() != ebnn.api.model.InputSpec.RangeSource.DECLARED)
            return java.util.Optional.empty();
        return java.util.Optional.of(new InputRange(imp.input().rawLow(), imp.input().rawHigh()));
    }

    /** Runs the file with its graph input taking {@code range} for bytes 0 and 255 (null: what the import makes of the file). */
    public int[] classify(Path modelFile, InputRange range, byte[] chwSamples, int count, float[] scores) {
        if (!Files.isRegularFile(modelFile))
            throw new NotFoundException("model file not found: " + modelFile);
        OnnxInput in = OnnxImport.read(modelFile, range).input();
        int size = in.shape().size();
        if (count < 0 || (long) count * size > chwSamples.length)
            throw new IllegalArgumentException(count + " samples of " + size + " bytes need more than the " + chwSamples.length + " given");
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
                opts.setIntraOpNumThreads(2);
                try (OrtSession session = createSession(env, modelFile, opts)) {
                    return run(env, session, in, chwSamples, count, scores);
                }
            }
        } catch (OrtException e) {
            throw new BackendException("ONNX Runtime failed on " + modelFile + ": " + e.getMessage(), e);
        }
    }

    private static OrtSession createSession(OrtEnvironment env, Path file, OrtSession.SessionOptions opts) {
        try {
            return env.createSession(file.toString(), opts);
        } catch (OrtException e) {
            String msg = String.valueOf(e.getMessage());
            throw new UnsupportedModelException("ONNX Runtime cannot load " + file.getFileName() + " (custom ops such as FINN's "
                    + "MultiThreshold or QONNX's BipolarQuant are not standard ONNX): " + msg.lines().findFirst().orElse(msg));
        }
    }

    private static int[] run(OrtEnvironment env, OrtSession session, OnnxInput in, byte[] samples, int count, float[] scores)
            throws OrtException {
        int size = in.shape().size();
        int batch = in.dynamicBatch() ? BATCH : 1;
        int[] classes = new int[count];
        int k = -1;
        for (int done = 0; done < count; done += batch) {
            int b = Math.min(batch, count - done);
            float[] buf = new float[b * size];
            for (int i = 0; i < b; i++)
                in.toInput(samples, (done + i) * size, buf, i * size);
            long[] shape = in.dims().clone();
            shape[0] = b;
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(buf), shape);
                    OrtSession.Result r = session.run(Map.of(in.name(), t))) {
                OnnxValue v = r.get(0);
                if (!(v instanceof OnnxTensor out))
                    throw new EbnnException("ONNX Runtime output 0 is not a tensor");
                TensorInfo info = out.getInfo();
                long total = info.getNumElements();
                if (total % b != 0)
                    throw new EbnnException("ONNX Runtime output of " + total + " values for a batch of " + b);
                int per = (int) (total / b);
                switch (info.type) {
                    case FLOAT -> {
                        FloatBuffer fb = out.getFloatBuffer();
                        float[] all = new float[(int) total];
                        fb.get(all);
                        if (k < 0)
                            k = per;
                        for (int i = 0; i < b; i++) {
                            int best = 0;
                            for (int c = 1; c < per; c++)
                                if (all[i * per + c] > all[i * per + best])
                                    best = c;
                            classes[done + i] = best;
                            if (scores != null)
                                System.arraycopy(all, i * per, scores, (done + i) * per, per);
                        }
                    }
                    case INT64 -> {
                        // an ArgMax/TopK head: the output is the class index itself
                        long[] all = new long[(int) total];
                        out.getLongBuffer().get(all);
                        for (int i = 0; i < b; i++)
                            classes[done + i] = (int) all[i * per];
                    }
                    default -> throw new EbnnException("ONNX Runtime output 0 has type " + info.type + "; expected float scores or int64 classes");
                }
            }
        }
        return classes;
    }
}
