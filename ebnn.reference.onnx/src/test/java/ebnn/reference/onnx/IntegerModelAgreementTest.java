package ebnn.reference.onnx;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.BeforeClass;
import org.junit.Test;

import ebnn.api.data.Dataset;
import ebnn.api.data.Samples;
import ebnn.api.model.Dense;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.Model;
import ebnn.api.model.Params;
import ebnn.api.spi.ReferenceRuntime.InputRange;
import ebnn.core.lower.Lowering;
import ebnn.onnx.OnnxImport;
import ebnn.runtime.java.JvmEngine;
import ebnn.testing.TestData;

/**
 * What ebnn:verify relies on: the interpreter agrees with the integer model the importer and the
 * lowering make of a FINN file, and disagrees with integer models built from an IR that is wrong on
 * purpose: the wrong input range, a mis-translated layer.
 */
public class IntegerModelAgreementTest {
    static final Path FINN = TestData.model("finn_build_dataflow_tfc_w1a1.onnx");
    static Dataset mnist;
    static int[] byInterpreter;

    @BeforeClass
    public static void runInterpreter() {
        mnist = TestData.mnistTest();
        // the file declares raw pixels (a UINT8 annotation and a leading Div by 255): the assumed range is not used
        byInterpreter = new OnnxInterpreter().classify(FINN, mnist.samples(), mnist.count(), null, new InputRange(-7, 7));
    }

    private static int agreement(Model m) {
        int[] byInteger = new JvmEngine().load(Lowering.lower(m)).classifyBatch(Samples.chwToHwc(mnist.samples(), mnist.count(), m.input().shape()),
                mnist.count(), null);
        int agree = 0;
        for (int i = 0; i < mnist.count(); i++)
            agree += byInteger[i] == byInterpreter[i] ? 1 : 0;
        return agree;
    }

    @Test
    public void theImportedIntegerModelAgrees() {
        Model m = OnnxImport.read(FINN).result().model();
        int agree = agreement(m);
        System.out.printf("interpreter vs integer model of %s: %d of %d MNIST test images agree%n", FINN.getFileName(), agree, mnist.count());
        assertTrue("agreement " + agree, agree >= 9990);
    }

    /**
     * The range a user gets wrong: --input-range 0,1 for this file, whose graph input takes raw pixels 0..255. The
     * import folds the file's input scaling (Div 255, Mul 2, Sub 1) into the IR's range, an affine map of the graph
     * input's values: the graph range 0..1 becomes the IR range f(0)..f(1).
     */
    @Test
    public void aWrongInputRangeDisagrees() {
        Model m = OnnxImport.read(FINN).result().model();
        InputSpec in = m.input();
        double perUnit = (in.high() - in.low()) / 255; // f(v) = low + v * perUnit maps the graph input 0..255 to the IR range
        Model wrong = new Model(m.name(), new InputSpec(in.shape(), in.sourceLayout(), in.low(), in.low() + perUnit), m.layers(), m.labels());
        int agree = agreement(wrong);
        System.out.printf("with the graph input taken as 0..1 instead of 0..255: %d of %d agree%n", agree, mnist.count());
        assertTrue("agreement " + agree, agree < 9000);
    }

    /** A translator that gets the sign of some output columns wrong (the FINN γ < 0 case): a quarter of a hidden layer negated. */
    @Test
    public void aMistranslatedLayerDisagrees() {
        Model m = OnnxImport.read(FINN).result().model();
        List<Layer> layers = new ArrayList<>(m.layers());
        int dense = 0;
        for (int i = 0; i < layers.size(); i++)
            if (layers.get(i) instanceof Dense d && dense++ == 1) {
                double[] w = d.weights().toArray(), b = d.bias().isEmpty() ? new double[0] : d.bias().toArray();
                for (int o = 0; o < d.outputs() / 4; o++) {
                    for (int k = 0; k < d.inputs(); k++)
                        w[o * d.inputs() + k] = -w[o * d.inputs() + k];
                    if (b.length > 0)
                        b[o] = -b[o];
                }
                layers.set(i, new Dense(d.name(), d.inputs(), d.outputs(), Params.of(w), b.length == 0 ? Params.empty() : Params.of(b)));
            }
        assertTrue("the model has a hidden dense layer", dense >= 2);
        int agree = agreement(new Model(m.name(), m.input(), layers, m.labels()));
        System.out.printf("with a quarter of the second dense layer negated: %d of %d agree%n", agree, mnist.count());
        assertTrue("agreement " + agree, agree < 9900);
    }
}
