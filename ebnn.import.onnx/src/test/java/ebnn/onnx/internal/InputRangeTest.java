package ebnn.onnx.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorAnnotation;
import ebnn.api.model.InputRange;
import ebnn.api.model.InputSpec;
import ebnn.api.model.InputSpec.RangeSource;
import ebnn.api.spi.ImportResult;

/** The input range as a fact: where it comes from, what the first layer sees, and the one report line about it. */
public class InputRangeTest {

    /** input[8] -> (optional scaling) -> MatMul ±1 -> output. */
    static G net(String scaleOp, double by) {
        G g = new G().input("x", 1, 8).output("y", 1, 2);
        g.init("W", new long[] { 8, 2 }, 1, -1, 1, 1, -1, 1, 1, -1, 1, 1, -1, -1, 1, 1, -1, 1);
        String in = "x";
        if (scaleOp != null) {
            g.init("k", new long[0], by);
            g.add(g.node(scaleOp, "scale", new String[] { "x", "k" }, "xs"));
            in = "xs";
        }
        g.add(g.node("MatMul", "fc", new String[] { in, "W" }, "y"));
        return g;
    }

    static ImportResult read(ModelProto m, InputRange given) {
        return OnnxImporter.inspect(m, "m", "test", given).result();
    }

    static List<String> rangeLines(ImportResult r) {
        return r.report().stream().filter(l -> l.startsWith("input range")).toList();
    }

    @Test
    public void withoutAWordFromTheFileRawBytesAreAssumedInOneLine() {
        ImportResult r = read(net(null, 0).model(), null);
        InputSpec in = r.model().input();
        assertEquals(RangeSource.ASSUMED, in.rangeSource());
        assertEquals(0, in.low(), 0);
        assertEquals(255, in.high(), 0);
        List<String> lines = rangeLines(r);
        assertEquals(r.report().toString(), 1, lines.size());
        assertTrue(lines.get(0), lines.get(0).contains("ASSUMED") && lines.get(0).contains("--input-range LOW,HIGH"));
    }

    @Test
    public void aLeadingDivisionBy255SaysTheFileTakesRawBytes() {
        for (String op : List.of("Div", "Mul")) {
            ImportResult r = read(net(op, op.equals("Div") ? 255 : 1 / 255.0).model(), null);
            InputSpec in = r.model().input();
            assertEquals(op, RangeSource.DECLARED, in.rangeSource());
            assertEquals(0, in.low(), 0);
            assertEquals(1, in.high(), 0); // what the first layer sees
            assertTrue(rangeLines(r).toString(), rangeLines(r).get(0).contains("divides its input by 255"));
        }
        // another scale is input scaling too, but says nothing about the bytes
        assertEquals(RangeSource.ASSUMED, read(net("Mul", 2).model(), null).model().input().rangeSource());
    }

    @Test
    public void finnDataTypeAnnotationAndMetadataDeclareIt() {
        G g = net(null, 0);
        g.g.addQuantizationAnnotation(TensorAnnotation.newBuilder().setTensorName("x")
                .addQuantParameterTensorNames(StringStringEntryProto.newBuilder().setKey("finn_datatype").setValue("INT8")));
        InputSpec a = read(g.model(), null).model().input();
        assertEquals(RangeSource.DECLARED, a.rangeSource());
        assertEquals(-128, a.low(), 0);
        assertEquals(127, a.high(), 0);
        ModelProto meta = net(null, 0).model().toBuilder()
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("ebnn.input_range").setValue("-1, 1")).build();
        InputSpec b = read(meta, null).model().input();
        assertEquals(RangeSource.DECLARED, b.rangeSource());
        assertEquals(-1, b.low(), 0);
        assertEquals(1, b.high(), 0);
    }

    @Test
    public void aGivenRangeIsTheFilesInputAndTheFilesScalingStillApplies() {
        ImportResult r = read(net("Div", 255).model(), new InputRange(0, 65025));
        InputSpec in = r.model().input();
        assertEquals(RangeSource.GIVEN, in.rangeSource());
        assertEquals(0, in.low(), 0);
        assertEquals(255, in.high(), 0);
        assertTrue(rangeLines(r).get(0), rangeLines(r).get(0).contains("given with --input-range"));
        // and over what the file declares
        ModelProto meta = net(null, 0).model().toBuilder()
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("ebnn.input_range").setValue("-1,1")).build();
        assertEquals(1, read(meta, new InputRange(0, 1)).model().input().high(), 0);
    }

    @Test
    public void theTidyTfcFileTakesZeroToOneWhenToldSo() {
        ModelProto m = OnnxFiles.read(Models.file("finn_fork_tfc_w1a1_tidy.onnx"));
        InputSpec assumed = read(m, null).model().input(), given = read(m, new InputRange(0, 1)).model().input();
        assertEquals(RangeSource.ASSUMED, assumed.rangeSource());
        assertEquals(509, assumed.high(), 1e-9); // Mul 2, Sub 1 on 0..255
        assertEquals(-1, given.low(), 1e-12);
        assertEquals(1, given.high(), 1e-12);
        // the build-dataflow form says it itself (UINT8 input, Div by 255)
        InputSpec declared = read(OnnxFiles.read(Models.file("finn_build_dataflow_tfc_w1a1.onnx")), null).model().input();
        assertEquals(RangeSource.DECLARED, declared.rangeSource());
        assertEquals(-1, declared.low(), 1e-12);
    }

    @Test
    public void rangesThatAreNotTwoIncreasingNumbersAreRefused() {
        for (String bad : List.of("1", "0,1,2", "a,b", "1,0", "0,NaN", ""))
            try {
                InputRange.parse(bad);
                throw new AssertionError(bad);
            } catch (ebnn.api.InvalidModelException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("input range"));
            }
        assertEquals(new InputRange(0, 65025), InputRange.parse(" 0 , 65025 "));
    }
}
