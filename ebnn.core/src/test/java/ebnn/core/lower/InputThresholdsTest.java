package ebnn.core.lower;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;

import org.junit.Test;

import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.model.Affine;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layout;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;

public class InputThresholdsTest {
    @Test
    public void finnStyleTwoXMinusOne() {
        // x = p/255, 2x - 1 >= 0 <=> p >= 127.5 -> t = 128
        InputSpec spec = new InputSpec(new Shape(1, 2, 2), Layout.NCHW, 0, 1);
        InputThresholdBlock b = InputThresholds.build("in", spec, List.of(new Affine("scale", 1, Params.of(2), Params.of(-1))), new Sign("s"));
        assertEquals(128, b.thresholds().get(0));
    }

    @Test
    public void perChannelAndConstants() {
        // raw bytes 0..255; channel 0: x - 10 -> t = 10; channel 1: x + 1 -> always (t = 0); channel 2: x - 300 -> never (256)
        InputSpec spec = InputSpec.bytes(new Shape(3, 1, 1));
        InputThresholdBlock b = InputThresholds.build("in", spec,
                List.of(new Affine("a", 3, Params.of(1, 1, 1), Params.of(-10, 1, -300))), new Sign("s"));
        assertEquals(List.of(10, 0, 256), b.thresholds().stream().boxed().toList());
        // no affine at all: sign of the raw value on range -1..1: x >= 0 <=> p >= 127.5
        InputThresholdBlock plain = InputThresholds.build("in", new InputSpec(new Shape(1, 1, 1), Layout.NCHW, -1, 1), List.of(), new Sign("s"));
        assertEquals(128, plain.thresholds().get(0));
    }

    @Test
    public void negativeScaleIsRefusedNamingTheSign() {
        InputSpec spec = InputSpec.bytes(new Shape(1, 1, 1));
        try {
            InputThresholds.build("in", spec, List.of(new Affine("neg", 1, Params.of(-1), Params.of(100))), new Sign("the sign"));
            fail();
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'the sign'") && e.getMessage().contains("channel 0"));
        }
    }
}
