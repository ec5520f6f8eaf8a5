package ebnn.ebnnc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.junit.Test;

import ebnn.api.EbnnException;
import ebnn.api.model.Model;

/**
 * Headers built here in the generator's grammar (a small conv + linear model) and broken one way
 * at a time: each gives one error naming the line and what is wrong.
 */
public class HeaderErrorsTest {
    /** A 1x4x4 float input, 2 filters 3x3 (pad 1), pool 2x2/2, then blinear_sm 8 -> 3. */
    static String header() {
        return """
                #include "ebnn.h"
                float c_b[2] = {0.5,-0.25};
                uint8_t c_W[4] = {171,127,85,127};
                float c_beta[2] = {0.1,-0.1};
                float c_gamma[2] = {1.0,-2.0};
                float c_mean[2] = {0.3,0.2};
                float c_std[2] = {1.5,0.5};
                void l_conv0(float* input, uint8_t* output){
                  fconv_layer(input, c_W, output, c_b, c_gamma, c_beta, c_mean, c_std, 1, 2, 4, 4, 1, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 0, 0);
                }

                float s_b[3] = {0.5,-1.5,2.0};
                uint8_t s_W[3] = {170,15,240};
                float s_beta[3] = {0.0,0.1,-0.1};
                float s_gamma[3] = {1.0,1.0,1.0};
                float s_mean[3] = {0.0,1.0,-1.0};
                float s_std[3] = {2.0,2.0,2.0};
                void l_sm1(uint8_t* input, uint8_t* output){
                  blinear_sm_layer(input, s_W, output, s_b, s_gamma, s_beta, s_mean, s_std, 1, 8, 3);
                }


                uint8_t temp1[8] = {0};
                uint8_t temp2[8] = {0};
                void ebnn_compute(float *input, uint8_t *output){
                  l_conv0(input, temp1);
                  l_sm1(temp1, output);
                }
                """;
    }

    static Model read(String text) {
        return EbnnHeaderImporter.translate("m.h", "m", text).model();
    }

    static void fails(String text, String... expectedParts) {
        try {
            read(text);
            fail("accepted: expected " + String.join(" ... ", expectedParts));
        } catch (EbnnException e) {
            for (String p : expectedParts)
                assertTrue("'" + e.getMessage() + "' should contain '" + p + "'", e.getMessage().contains(p));
            assertFalse(e.getMessage(), e.getMessage().contains("Exception"));
        }
    }

    @Test
    public void theBuiltHeaderReads() {
        Model m = read(header());
        assertEquals(3, m.classes());
        assertEquals("[conv2d, maxpool, batchnorm, sign, flatten, dense, batchnorm]", m.layers().stream().map(l -> l.kind()).toList().toString());
    }

    @Test
    public void unknownLayerFunctionNamesTheLineAndTheKnownOnes() {
        fails(header().replace("fconv_layer(", "qconv_layer("), "m.h line 9: unknown layer function qconv_layer",
                "bconv_layer, blinear_layer, blinear_sm_layer, fconv_layer");
    }

    @Test
    public void arraySizeThatDoesNotMatchItsLayer() {
        fails(header().replace("uint8_t c_W[4] = {171,127,85,127};", "uint8_t c_W[3] = {171,127,85};"), "m.h line 3: array 'c_W' has 3 values",
                "needs 4");
        fails(header().replace("float s_b[3] = {0.5,-1.5,2.0};", "float s_b[2] = {0.5,-1.5};"), "line 12: array 's_b' has 2 values", "needs 3");
        fails(header().replace("float c_b[2] = {0.5,-0.25};", "float c_b[2] = {0.5,-0.25,1};"), "line 2:", "declared with 2 values but has more");
        fails(header().replace("float c_b[2] = {0.5,-0.25};", "float c_b[3] = {0.5,-0.25};"), "line 2:", "declared with 3 values but has 2");
    }

    @Test
    public void nonLiteralArgument() {
        fails(header().replace("1, 2, 4, 4, 1, 3, 3,", "1, 2, 4, 4, 1, KW, 3,"), "m.h line 9: argument kw of fconv_layer must be an integer literal",
                "'KW'");
        fails(header().replace("1, 8, 3);", "1, 8, 3+1);"), "m.h line 19:");
        fails(header().replace("1, 8, 3);", "1, 8, 2.5);"), "m.h line 19: argument 11 of blinear_sm_layer must be a name or an integer literal");
        fails(header().replace("s_W, output", "7, output"), "m.h line 19: argument F of blinear_sm_layer must name an array");
    }

    @Test
    public void truncatedFiles() {
        String h = header();
        for (int cut : new int[] { 10, h.indexOf("fconv_layer") + 30, h.indexOf("uint8_t temp1"), h.indexOf("l_sm1(temp1"), h.length() - 3 })
            fails(h.substring(0, cut), "m.h line ");
        fails(h.substring(0, h.indexOf("uint8_t temp1")), "file ends before ebnn_compute");
    }

    @Test
    public void otherBreakage() {
        fails(header().replace("1, 2, 4, 4, 1, 3, 3, 1, 1, 1, 1,", "1, 2, 4, 4, 1, 3, 3, 1, 1, 1, 1, 1,"), "line 9: fconv_layer takes 25 arguments");
        fails(header().replace("l_sm1(temp1, output);", "l_sm1(temp2, output);"), "line 27: ebnn_compute passes temp2 to l_sm1");
        fails(header().replace("1, 8, 3);", "1, 9, 3);"), "line 19: blinear_sm_layer reads n = 9 bits but the previous layer writes 8");
        fails(header().replace("float c_std[2] = {1.5,0.5};", "float c_std[2] = {1.5,0};"), "line 9: 'c_std'[1] is 0");
        fails(header().replace("uint8_t c_W[4] = {171,127,85,127};", "uint8_t c_W[4] = {171,127,85,256};"), "line 3: uint8_t array 'c_W' holds integers 0..255");
        fails(header().replace("float c_b[2] = {0.5,-0.25};", "float c_b[2] = {0.5,1e39};"), "line 2:", "not a finite float");
        fails(header().replace("#include \"ebnn.h\"", "#include \"other.h\""), "line 1: an eBNN header includes \"ebnn.h\"");
        fails(header().replace("void l_conv0", "// a comment\nvoid l_conv0"), "line 8: character '/' is not part of eBNN's generated header grammar");
        fails(header().replace("1, 2, 4, 4, 1, 3, 3, 1, 1, 1, 1, 2, 2", "1, 2, 4, 5, 1, 3, 3, 1, 1, 1, 1, 2, 2"), "line 9:", "square geometry");
        fails(header().replace("l_sm1(temp1, output);", "l_sm1(temp1, output);\n  l_sm1(output, temp2);"), "line 27: l_sm1 writes to output but is not the last layer");
        fails(header() + "int x;", "line 29: nothing may follow ebnn_compute");
        fails(header().replace("float c_mean[2]", "float c_b[2]"), "line 6: 'c_b' is declared twice");
    }

    @Test
    public void chosenByContentNotByName() throws Exception {
        EbnnHeaderImporter imp = new EbnnHeaderImporter();
        byte[] head = java.util.Arrays.copyOf(header().getBytes(StandardCharsets.US_ASCII), 64);
        assertTrue(imp.accepts(java.nio.file.Path.of("model.txt"), head));
        assertFalse(imp.accepts(java.nio.file.Path.of("x.h"), "#include <stdio.h>\n".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(imp.accepts(java.nio.file.Path.of("mnist_data.h"), Files.readAllBytes(Seeds.dir().resolve("examples/mnist_data.h"))));
    }
}
