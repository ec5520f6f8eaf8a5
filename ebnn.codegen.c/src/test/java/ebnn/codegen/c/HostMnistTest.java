package ebnn.codegen.c;

import static org.junit.Assert.assertTrue;

import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.spi.CompileOptions;
import ebnn.core.plan.MemoryPlanner;

/**
 * The generated C, built with host gcc -std=c99 -Wall -Wextra -Werror -pedantic, classifies all
 * 10,000 MNIST test digits with exactly the JVM runtime's classes and integer scores, for the
 * paper-shaped models, with the word size of the host (64), the Arduino 101 (32) and AVR (8).
 */
public class HostMnistTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private void check(String modelName, String device) throws Exception {
        BinaryModel m = Reference.paper(modelName);
        Dataset d = Reference.mnist();
        assertTrue("the full MNIST test set", d.count() == 10_000);
        Path dir = tmp.newFolder(modelName + "-" + device).toPath();
        Built b = Built.generate(m, MemoryPlanner.plan(m, Device.named(device)), CompileOptions.defaults(), dir);
        Built.Outputs out = b.runHost(b.buildHost(), d.samples());
        Reference.assertSame(modelName + " on " + device + " words", m, Reference.jvm(m, d.samples()), out);
    }

    @Test
    public void binaryInputMlp128Avr8() throws Exception {
        check("bmlp-128", "atmega328p");
    }

    @Test
    public void trainedFinnTfcHost64() throws Exception {
        check("finn-tfc", "host");
    }

    @Test
    public void trainedFinnTfcAvr8() throws Exception {
        check("finn-tfc", "atmega328p");
    }

    @Test
    public void mlp128Host64() throws Exception {
        check("mlp-128", "host");
    }

    @Test
    public void mlp128Avr8() throws Exception {
        check("mlp-128", "atmega328p");
    }

    @Test
    public void convPool16Host64() throws Exception {
        check("convpool-16", "host");
    }

    @Test
    public void convPool16Avr8() throws Exception {
        check("convpool-16", "atmega328p");
    }

    @Test
    public void tfcHost64() throws Exception {
        check("tfc", "host");
    }

    @Test
    public void tfcCurie32() throws Exception {
        check("tfc", "arduino101");
    }
}
