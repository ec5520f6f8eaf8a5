package ebnn.codegen.c;

import static ebnn.codegen.c.Tools.cmd;
import static ebnn.codegen.c.Tools.tool;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.spi.CompileOptions;
import ebnn.core.plan.MemoryPlanner;

/**
 * The plain C folder's example.c embeds the compile's sample; built by its own Makefile
 * ({@code make example}) with the host compiler and run, it prints the class and scores the JVM
 * runtime computes for that sample (real MNIST digits; the trained ConvPool-1 of examples/models and FINN's TFC).
 */
public class ExampleMainTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void exampleMainPrintsTheJvmsClassOfItsSample() throws Exception {
        Dataset d = Reference.mnist();
        int[] samples = { 0, 1 }; // a 7 and a 2
        int i = 0;
        for (String arch : List.of("convpool-1", "finn-tfc")) {
            BinaryModel m = arch.equals("finn-tfc") ? Reference.paper(arch) : Reference.trained(Path.of("../examples/models/" + arch + ".ebnn"));
            byte[] sample = d.sample(samples[i++]);
            StringJoiner sj = new StringJoiner(",");
            for (byte x : sample)
                sj.add(Integer.toString(x & 0xff));
            Path dir = tmp.newFolder(arch).toPath();
            Built.generate(m, MemoryPlanner.plan(m, Device.named("host")),
                    new CompileOptions(null, false, false, Map.of("sample", sj.toString(), "sample-origin", "mnist t10k sample")), dir);
            assertTrue(Files.readString(dir.resolve("example.c")).contains("mnist t10k sample"));
            Tools.runOk(dir, 120, cmd("make", "-s", "example", "CC=" + tool("gcc"), "CFLAGS=-O2 -Werror"));
            Tools.Result r = Tools.runOk(dir, 60, cmd(dir.resolve("example").toString()));
            Reference.Answers expected = Reference.jvm(m, sample);
            List<String> lines = List.of(r.out().split("\n"));
            assertEquals(r.out(), "class " + expected.classes()[0], lines.get(0));
            for (int c = 0; c < m.classes(); c++)
                assertEquals(r.out(), "score " + c + " " + expected.scores()[c], lines.get(1 + c));
            assertEquals(arch + " classifies the digit as labelled", d.label(samples[i - 1]), expected.classes()[0]);
        }
    }
}
