package ebnn.train.impl;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;

import ebnn.api.Device;
import ebnn.api.data.Dataset;
import ebnn.api.model.Shape;
import ebnn.core.toolchain.DefaultToolchain;
import ebnn.train.api.TrainingException;

/** An architecture that cannot fit its device is refused before training, with both sizes; one that can passes. */
public class CheckFitsTest {
    private static Dataset tenClasses(Shape s) {
        byte[] labels = new byte[10];
        for (int i = 0; i < 10; i++)
            labels[i] = (byte) i;
        return new Dataset("ten", s, 10, new byte[10 * s.size()], labels);
    }

    @Test
    public void anArchitectureOverTheDeviceIsRefusedBeforeTraining() {
        TrainingServiceImpl service = new TrainingServiceImpl(new DefaultToolchain());
        Dataset mnistShaped = tenClasses(new Shape(1, 28, 28));
        Device uno = Device.named("atmega328p");
        try {
            service.checkFits("sfc", mnistShaped, null, uno); // 784-256-256-256-10: ~40 KB of weight bits alone, 32 KB of flash
            fail("sfc fits an atmega328p?");
        } catch (TrainingException e) {
            String m = e.getMessage();
            assertTrue(m, m.contains("'sfc' cannot fit atmega328p") && m.contains("(it has " + String.format(java.util.Locale.ROOT, "%,d", uno.flashBytes()) + ")")
                    && m.contains("before any training"));
        }
        service.checkFits("mlp-1", mnistShaped, null, Device.named("arduino101")); // the paper's row: fits its device
        service.checkFits("dense:16", tenClasses(Shape.vector(24)), null, uno); // a small net on flat features
    }
}
