package ebnn.codegen.c;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.spi.CompileOptions;
import ebnn.core.format.EbnnFormat;
import ebnn.core.lower.Lowering;
import ebnn.core.plan.MemoryPlanner;
import ebnn.testing.TestData;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainResult;
import ebnn.train.impl.Trainer;

/**
 * Models trained by ebnn.train go through the C back end (host gcc, strict flags) and the JVM
 * runtime with identical classes and integer scores on the full 10,000-digit MNIST test set:
 * a small model trained here (a strided conv, a conv + pool and dense layers: every block kind
 * the trainer produces), and the paper-table models committed under examples/models,
 * with the Arduino 101's 32-bit words they were sized for.
 */
public class TrainedModelHostTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private void check(String what, BinaryModel m, String device) throws IOException {
        Dataset d = Reference.mnist();
        assertEquals("the full MNIST test set", 10_000, d.count());
        Path dir = tmp.newFolder(what + "-" + device).toPath();
        Built b = Built.generate(m, MemoryPlanner.plan(m, Device.named(device)), CompileOptions.defaults(), dir);
        Built.Outputs out = b.runHost(b.buildHost(), d.samples());
        Reference.Answers jvm = Reference.jvm(m, d.samples());
        Reference.assertSame(what + " on " + device + " words", m, jvm, out);
        int ok = 0;
        for (int i = 0; i < d.count(); i++)
            if (jvm.classes()[i] == d.label(i))
                ok++;
        assertTrue(what + " learned something: " + ok + " / 10000", ok > 5000);
    }

    @Test
    public void smallModelTrainedHereCurie32() throws IOException {
        Dataset train = TestData.mnistTrain().head(2000);
        TrainOptions o = TrainOptions.defaults("conv:6:3:1:2,conv:8:3,pool:2:2,dense:32").withEpochs(2).withBatchSize(50).withSeed(11);
        TrainResult r = Trainer.train(o, train, null, null);
        BinaryModel m = Lowering.lower(r.model());
        check("trained-small", m, "arduino101");
    }

    @Test
    public void committedPaperTableModelsCurie32() throws IOException {
        for (Path f : Reference.trainedModels())
            check(Reference.trainedName(f), Reference.trained(f), "arduino101");
    }
}
