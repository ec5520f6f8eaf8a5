package ebnn.ebnnc.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;

import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Samples;
import ebnn.api.model.Model;
import ebnn.api.spi.ImportResult;
import ebnn.core.lower.Lowering;
import ebnn.runtime.java.JvmEngine;

/**
 * Every example header of kunglab/ebnn imports, lowers to the integer model and classifies each of
 * its 20 bundled samples (the CIFAR-10 header its 3-channel ones) as eBNN's own C did
 * (expected_classes.json); the test's independent float evaluation of eBNN's semantics gives the
 * same classes, which checks that evaluation against eBNN itself.
 */
public class SeedHeadersTest {

    static byte[] deviceInput(BinaryModel m, int[][] pixels) {
        int n = pixels.length, size = m.inputSize();
        byte[] chw = new byte[n * size];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < size; j++)
                chw[i * size + j] = (byte) pixels[i][j];
        return Samples.chwToHwc(chw, n, m.input());
    }

    @Test
    public void everyExampleClassifiesItsSamplesAsEbnnDoes() throws Exception {
        Map<String, int[]> expected = Seeds.expected();
        for (String name : Seeds.MODELS) {
            ImportResult r = new EbnnHeaderImporter().read(Seeds.header(name));
            Model model = r.model();
            assertEquals(name, model.name());
            BinaryModel bm = Lowering.lower(model);
            int[][] px = Seeds.samples(Seeds.dataOf(name), bm.inputSize());
            int[] want = expected.get(name);
            assertEquals(name + ": samples", want.length, px.length);
            int[] got = new JvmEngine().load(bm).classifyBatch(deviceInput(bm, px), px.length, new int[px.length * bm.classes()]);
            assertArrayEquals(name + ": the integer model's classes against eBNN's C", want, got);
            EbnnReference ref = EbnnReference.load(Seeds.header(name));
            for (int i = 0; i < px.length; i++) {
                assertEquals(name + " sample " + i + ": the test's float32 eBNN evaluation", want[i], ref.run(px[i], false).cls());
                assertEquals(name + " sample " + i + ": the test's exact eBNN evaluation", want[i], ref.run(px[i], true).cls());
            }
        }
    }

    @Test
    public void reportsWhereTheHeadersTemporariesAreTooSmall() throws Exception {
        ImportResult alex = new EbnnHeaderImporter().read(Seeds.header("alex"));
        assertTrue(alex.report().toString(), alex.report().stream().anyMatch(l -> l.startsWith("warning: temp1 is declared with 72 B but "
                + "l_conv_pool_bn_bst0 writes 152 B")));
        for (String ok : new String[] { "simple_mnist", "binary_mnist", "simple_cifar10" }) {
            ImportResult r = new EbnnHeaderImporter().read(Seeds.header(ok));
            assertTrue(ok + ": " + r.report(), r.report().stream().noneMatch(l -> l.startsWith("warning:")));
        }
    }

    @Test
    public void layersAreWhatEbnnComputes() throws Exception {
        Model m = new EbnnHeaderImporter().read(Seeds.header("simple_mnist")).model();
        assertEquals("fconv_layer: conv2d, maxpool, batchnorm, sign; blinear_sm_layer: flatten, dense, batchnorm",
                "[conv2d, maxpool, batchnorm, sign, flatten, dense, batchnorm]", m.layers().stream().map(l -> l.kind()).toList().toString());
        assertEquals(0.0, m.input().low(), 0);
        assertEquals(1.0, m.input().high(), 0);
        Model b = new EbnnHeaderImporter().read(Seeds.header("binary_mnist")).model();
        assertEquals("sign", b.layers().get(0).kind());
        assertEquals(10, b.classes());
        Model c = new EbnnHeaderImporter().read(Seeds.header("simple_cifar10")).model();
        assertEquals(3, c.input().shape().channels());
    }
}
