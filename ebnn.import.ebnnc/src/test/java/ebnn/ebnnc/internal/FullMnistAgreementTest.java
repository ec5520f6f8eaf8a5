package ebnn.ebnnc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Locale;

import org.junit.Test;

import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.core.lower.Lowering;
import ebnn.runtime.java.JvmEngine;
import ebnn.testing.TestData;

/**
 * On the full MNIST test set (10,000 digits, pixels/255 as mnist_data.h holds them; binary_mnist
 * reads pixel != 0 as its data header does) the integer model of each MNIST example header gives
 * exactly the class of the test's own exact evaluation of eBNN's semantics ({@link EbnnReference}).
 * Against eBNN's float32 arithmetic it can differ only where a value eBNN compares with 0 lies
 * within float rounding of 0 (or two class scores within rounding of each other): every such
 * disagreement is found and explained here, and the counts printed (docs/ARCHITECTURE-NOTES.md).
 * <p>
 * Over the ~30 s a test should take (about 80 s on the shared 2-core machine under load): issue 15
 * asks for the whole test set, two evaluations of each of three models per digit.
 */
public class FullMnistAgreementTest {
    /** Far above float32 rounding of these sums (~1e-6), far below any real margin. */
    static final double NEAR = 1e-4;

    @Test
    public void integerModelsAgreeWithEbnnSemanticsOnAllOfMnist() throws Exception {
        Dataset d = TestData.mnistTest();
        assertEquals(10_000, d.count());
        for (String name : List.of("simple_mnist", "binary_mnist", "alex"))
            check(name, d);
    }

    private static void check(String name, Dataset d) throws Exception {
        Lowering.Result lowered = Lowering.lowerWithReport(new EbnnHeaderImporter().read(Seeds.header(name)).model());
        BinaryModel bm = lowered.model();
        int n = d.count();
        int[] got = new JvmEngine().load(bm).classifyBatch(d.samples(), n, new int[n * bm.classes()]);
        EbnnReference ref = EbnnReference.load(Seeds.header(name));
        int vsExact = 0, vsFloat = 0, flippedValues = 0, flippedSamples = 0, near = 0, correct = 0;
        double closest = Double.MAX_VALUE, closestError = 0;
        String closestWhere = "";
        for (int i = 0; i < n; i++) {
            int[] px = new int[784];
            for (int j = 0; j < 784; j++)
                px[j] = d.samples()[i * 784 + j] & 0xff;
            EbnnReference.Run exact = ref.run(px, true), f32 = ref.run(px, false);
            correct += got[i] == d.label(i) ? 1 : 0;
            double[] scores = exact.preSign().get(exact.preSign().size() - 1);
            if (got[i] != exact.cls()) {
                vsExact++;
                assertTrue(name + " sample " + i + ": integer class " + got[i] + ", exact eBNN class " + exact.cls()
                        + ", and their scores are not within the lowering's bound " + lowered.scoreBound(),
                        Math.abs(scores[got[i]] - scores[exact.cls()]) <= lowered.scoreBound());
            }
            int flips = 0;
            for (int l = 0; l < exact.preSign().size(); l++) {
                double[] e = exact.preSign().get(l), f = f32.preSign().get(l);
                boolean last = l == exact.preSign().size() - 1;
                for (int k = 0; k < e.length; k++) {
                    if (!last && Math.abs(e[k]) < NEAR)
                        near++;
                    if (!last && Math.abs(e[k]) < closest) {
                        closest = Math.abs(e[k]);
                        closestError = Math.abs(e[k] - f[k]);
                        closestWhere = "layer " + l + " value " + k;
                    }
                    if (!last && (e[k] >= 0) != (f[k] >= 0)) {
                        flips++;
                        assertTrue(name + " sample " + i + " layer " + l + " value " + k + ": float32 " + f[k] + " and exact " + e[k]
                                + " differ in sign but are not near 0", Math.abs(e[k]) < NEAR);
                    }
                }
            }
            flippedValues += flips;
            flippedSamples += flips > 0 ? 1 : 0;
            if (got[i] != f32.cls()) {
                vsFloat++;
                double[] fs = f32.preSign().get(f32.preSign().size() - 1);
                assertTrue(name + " sample " + i + ": integer class " + got[i] + " differs from eBNN's float32 class " + f32.cls()
                        + " without a value within float rounding of its threshold",
                        flips > 0 || Math.abs(fs[got[i]] - fs[f32.cls()]) < NEAR * Math.max(1, Math.abs(fs[got[i]])));
            }
        }
        assertEquals(name + ": integer model against the exact evaluation of eBNN's semantics", 0, vsExact);
        System.out.println(String.format(Locale.ROOT,
                "%s: 10,000 MNIST test digits: integer = exact eBNN on all; accuracy %.2f%%; against eBNN's float32: %d class(es) differ; "
                        + "%d value(s) eBNN compares with 0 lie within %.0e of 0, %d of them round to the other sign in float32 (%d digit(s)); "
                        + "closest to 0: %.3g (%s), where float32 is off by %.3g",
                name, correct / 100.0, vsFloat, near, NEAR, flippedValues, flippedSamples, closest, closestWhere, closestError));
    }
}
