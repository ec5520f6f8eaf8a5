package ebnn.codegen.c;

import static org.junit.Assert.assertArrayEquals;

import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.spi.CompileOptions;
import ebnn.core.lower.Lowering;
import ebnn.runtime.java.JvmEngine;
import ebnn.testing.PaperModels;
import ebnn.testing.TestData;

public class SmokeTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void mlpHost() throws Exception {
        BinaryModel m = Lowering.lower(PaperModels.mlp128(1));
        Dataset d = TestData.mnistTest().head(100);
        for (String dev : new String[] { "host", "atmega328p" }) {
            Path dir = tmp.newFolder(dev).toPath();
            Built b = Built.generate(m, TestPlans.plan(m, Device.named(dev)), CompileOptions.defaults(), dir);
            Built.Outputs o = b.runHost(b.buildHost(), d.samples());
            int[] scores = new int[d.count() * m.classes()];
            int[] cls = new JvmEngine().load(m).classifyBatch(d.samples(), d.count(), scores);
            assertArrayEquals(cls, o.classes());
            assertArrayEquals(scores, o.scores());
        }
    }
}
