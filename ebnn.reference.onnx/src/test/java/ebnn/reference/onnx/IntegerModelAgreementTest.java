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
import ebnn.api.model.Layer;
import ebnn.api.model.Model;
import ebnn.api.model.Params;
import ebnn.api.model.InputRange;
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
     * A file that does not declare its range (the tidy TFC takes pixel / 255 without saying so): the
     * interpreter runs it on the range the import used, assumed or given, and then agrees either way.
     */
    @Test
    public void anUndeclaredRangeRunsOnTheImportsRange() {
        Path tidy = TestData.model("finn_fork_tfc_w1a1_tidy.onnx");
        OnnxInterpreter interpreter = new OnnxInterpreter();
        for (InputRange given : new InputRange[] { null, new InputRange(0, 1) }) {
            Model m = OnnxImport.read(tidy, given).result().model();
            int[] ref = interpreter.classify(tidy, mnist.samples(), mnist.count(), null, new InputRange(m.input().low(), m.input().high()));
            int[] byInteger = new JvmEngine().load(Lowering.lower(m)).classifyBatch(Samples.chwToHwc(mnist.samples(), mnist.count(), m.input().shape()),
                    mnist.count(), null);
            int agree = 0, correct = 0;
            for (int i = 0; i < mnist.count(); i++) {
                agree += byInteger[i] == ref[i] ? 1 : 0;
                correct += ref[i] == mnist.label(i) ? 1 : 0;
            }
            System.out.printf("tidy TFC, range %s: interpreter %.2f %%, %d of %d agree with the integer model%n", given == null ? "assumed" : "0..1",
                    correct / 100.0, agree, mnist.count());
            assertTrue("agreement " + agree, agree >= 9990);
            if (given != null)
                assertEquals("the published accuracy with the right range", 9296, correct);
            else
                assertTrue("raw pixels are the wrong range for this file: " + correct, correct < 9200);
        }
    }

    /**
     * The range a user gets wrong: --input-range 0,1 for this file, whose graph input takes raw pixels
     * 0..255 (it says so): the import believes the user, the interpreter the file.
     */
    @Test
    public void aWrongInputRangeDisagrees() {
        Model wrong = OnnxImport.read(FINN, new InputRange(0, 1)).result().model();
        int agree = agreement(wrong);
        System.out.printf("imported with --input-range 0,1 instead of the file's 0..255: %d of %d agree%n", agree, mnist.count());
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
