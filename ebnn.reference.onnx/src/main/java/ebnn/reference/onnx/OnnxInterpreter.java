package ebnn.reference.onnx;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import ebnn.api.EbnnException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.model.InputRange;
import ebnn.api.spi.ReferenceRuntime;

/**
 * The "onnx-interpreter" reference: runs the original .onnx graph node by node in floating point,
 * with the ONNX semantics of the standard ops and the QONNX/FINN semantics of the custom ones. It
 * shares no code with the importer, so a mis-translated op shows as disagreement in ebnn:verify.
 */
@Component(service = ReferenceRuntime.class, property = ReferenceRuntime.ID_PROPERTY + "=" + OnnxInterpreter.ID)
public class OnnxInterpreter implements ReferenceRuntime {
    static final String ID = "onnx-interpreter";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "ebnn's ONNX interpreter (the original graph node by node in float32 arithmetic; standard ops and QONNX/FINN "
                + "BipolarQuant, Quant, MultiThreshold, XnorPopcountMatMul)";
    }

    /** Every .onnx file whose graph parses and uses only ops the interpreter knows. */
    @Override
    public boolean accepts(Path modelFile) {
        if (modelFile.getFileName() == null || !modelFile.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx"))
            return false;
        try {
            Program.load(modelFile);
            return true;
        } catch (EbnnException e) {
            return false;
        }
    }

    @Override
    public Optional<InputRange> declaredInputRange(Path modelFile) {
        return InputBinding.declared(Program.load(modelFile));
    }

    /** Runs the file where it declares its input range; refuses a file that does not (the caller must say what its import assumed). */
    @Override
    public int[] classify(Path modelFile, byte[] chwSamples, int count, float[] scores) {
        Program p = Program.load(modelFile);
        InputRange r = InputBinding.declared(p).orElseThrow(() -> new UnsupportedModelException(modelFile.getFileName()
                + " does not declare the range of its input: give the range the import assumed"));
        return classify(p, chwSamples, count, scores, r);
    }

    /** Runs the file on the range it declares, else on the graph input range that gives the imported model's {@code modelRange}. */
    @Override
    public int[] classify(Path modelFile, byte[] chwSamples, int count, float[] scores, InputRange modelRange) {
        Program p = Program.load(modelFile);
        return classify(p, chwSamples, count, scores, InputBinding.declared(p).orElseGet(() -> InputBinding.graphRange(p, modelRange)));
    }

    static int[] classify(Program p, byte[] chw, int count, float[] scores, InputRange range) {
        int size = InputBinding.sampleSize(p);
        if (count < 0 || (long) count * size > chw.length)
            throw new UnsupportedModelException("the file's input takes " + size + " values a sample: " + count + " samples need "
                    + (long) count * size + " bytes, not the " + chw.length + " given");
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            Tensor out = p.run(InputBinding.tensor(p, chw, i, range));
            if (out.size() == 0)
                throw new UnsupportedModelException("graph output '" + p.outputs.get(0) + "' is empty");
            if (!Tensor.isFloat(out.type)) {
                // an ArgMax/TopK head: the output is the class index itself
                classes[i] = (int) out.data[0];
                continue;
            }
            int best = 0;
            for (int c = 1; c < out.size(); c++)
                if (out.data[c] > out.data[best])
                    best = c;
            classes[i] = best;
            if (scores != null) {
                if ((long) (i + 1) * out.size() > scores.length)
                    throw new IllegalArgumentException("scores array too small for " + count + " x " + out.size());
                for (int c = 0; c < out.size(); c++)
                    scores[i * out.size() + c] = (float) out.data[c];
            }
        }
        return classes;
    }
}
