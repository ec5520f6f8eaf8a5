package ebnn.train.impl;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import ebnn.api.model.Shape;
import ebnn.train.nn.BinaryConv2d;
import ebnn.train.nn.Net;

/** The paper's low-energy rows are Conv-1 with fewer filters: same kernel, stride and 5x5 map, less first-layer work. */
public class LowEnergyArchitecturesTest {

    private static BinaryConv2d firstConv(String arch) {
        Net n = Architectures.build(arch, new Shape(1, 28, 28), 10);
        return (BinaryConv2d) n.ops.stream().filter(o -> o instanceof BinaryConv2d).findFirst().orElseThrow();
    }

    @Test
    public void leRowsKeepConv1sWindowWithFewerFilters() {
        BinaryConv2d conv1 = firstConv("conv-1"), le1 = firstConv("conv-1-le-1"), le2 = firstConv("conv-1-le-2");
        for (BinaryConv2d c : new BinaryConv2d[] { le1, le2 }) {
            assertEquals(conv1.kernel, c.kernel);
            assertEquals(new Shape(c.outChannels, 5, 5), c.out); // 28x28, 7x7 stride 5: 5x5 positions as Conv-1
        }
        assertEquals(40, conv1.outChannels);
        assertEquals(24, le1.outChannels);
        assertEquals(16, le2.outChannels);
        assertTrue(le2.outChannels < le1.outChannels && le1.outChannels < conv1.outChannels);
        assertEquals("conv-1-le-2", Architectures.modelName("Conv-1-LE-2"));
    }
}
