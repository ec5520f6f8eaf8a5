package ebnn.api.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

import ebnn.api.model.Shape;

public class SamplesTest {
    @Test
    public void interleavesChannelsPerSample() {
        // two samples of 2 channels x 1 x 3: planes (1 2 3 | 4 5 6) and (7 8 9 | 10 11 12)
        byte[] chw = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
        assertArrayEquals(new byte[] { 1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12 }, Samples.chwToHwc(chw, 2, new Shape(2, 1, 3)));
        // 3 channels x 2 x 1: pixel-major, channel-minor
        assertArrayEquals(new byte[] { 1, 3, 5, 2, 4, 6 }, Samples.chwToHwc(new byte[] { 1, 2, 3, 4, 5, 6 }, 1, new Shape(3, 2, 1)));
    }

    @Test
    public void oneChannelIsAlreadyHwc() {
        byte[] mnistLike = new byte[2 * 28 * 28];
        assertSame(mnistLike, Samples.chwToHwc(mnistLike, 2, new Shape(1, 28, 28)));
    }

    @Test
    public void tooFewBytesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Samples.chwToHwc(new byte[5], 1, new Shape(2, 1, 3)));
    }
}
