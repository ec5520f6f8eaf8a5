package ebnn.train.spark;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.model.Model;
import ebnn.core.format.EbnnFormat;
import ebnn.testing.DataFiles;
import ebnn.testing.TestData;

/**
 * DiscoverOnSpark reads the data users bring as ebnn:discover does (the data layer, not only IDX):
 * float32 .npy samples in [0,1] with --input-range 0,1 give a model that declares 0..1, and the same
 * search on the same digits as bytes gives the same integer model; files are written only when they
 * may be (an existing --out is refused before training, --force replaces it).
 */
public class DiscoverOnSparkDataTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private record Run(int exit, String out, String err) {
    }

    private static Run run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = DiscoverOnSpark.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void floatNpyDataInTheirOwnRangeTrainTheModelTheBytesTrain() throws Exception {
        Dataset train = Idx.load(TestData.data("mnist"), false).head(600), test = Idx.load(TestData.data("mnist"), true).head(200);
        Path d = tmp.getRoot().toPath();
        for (var e : java.util.Map.of("train", train, "test", test).entrySet()) {
            Dataset x = e.getValue();
            long[] shape = { x.count(), 1, 28, 28 };
            int n = x.count() * 784;
            Files.write(d.resolve(e.getKey() + "-f.npy"), DataFiles.npy("<f4", false, shape, DataFiles.values(x.samples(), 0, n, 1 / 255.0, 0)));
            Files.write(d.resolve(e.getKey() + "-u8.npy"), DataFiles.npy("|u1", false, shape, DataFiles.values(x.samples(), 0, n, 1, 0)));
            Files.write(d.resolve(e.getKey() + "-y.npy"), DataFiles.npy("|u1", false, new long[] { x.count() }, DataFiles.values(x.labels(), 0, x.count(), 1, 0)));
        }
        List<String> common = List.of("--master", "local[1]", "--device", "atmega328p", "--candidates", "dense:16", "--epochs", "1", "--batch", "50",
                "--validation", "100", "--labels", d.resolve("train-y.npy").toString(), "--test-labels", d.resolve("test-y.npy").toString());
        Path bytesOut = d.resolve("bytes.ebnn"), floatsOut = d.resolve("floats.ebnn");
        Run bytes = run(concat(common, "--data", d.resolve("train-u8.npy").toString(), "--test", d.resolve("test-u8.npy").toString(), "--out",
                bytesOut.toString(), "--plot", d.resolve("bytes.svg").toString()));
        assertEquals(bytes.err(), 0, bytes.exit());
        Run floats = run(concat(common, "--data", d.resolve("train-f.npy").toString(), "--test", d.resolve("test-f.npy").toString(), "--input-range",
                "0,1", "--out", floatsOut.toString(), "--plot", d.resolve("floats.svg").toString()));
        assertEquals(floats.err(), 0, floats.exit());

        Model b = EbnnFormat.read(bytesOut), f = EbnnFormat.read(floatsOut);
        assertEquals(0, f.input().low(), 0);
        assertEquals(1, f.input().high(), 0);
        assertEquals(255, b.input().high(), 0);
        assertEquals("the same integer model", ebnn.core.lower.Lowering.lower(b).blocks(), ebnn.core.lower.Lowering.lower(f).blocks());
        String best = bytes.out().lines().filter(l -> l.startsWith("best:")).findFirst().orElseThrow();
        assertEquals(best.replace("bytes.ebnn", ""), floats.out().lines().filter(l -> l.startsWith("best:")).findFirst().orElseThrow().replace("floats.ebnn", ""));

        // without --input-range, floats in [0,1] would be bytes 0 and 1: refused, nothing written
        Run silent = run(concat(common, "--data", d.resolve("train-f.npy").toString(), "--out", d.resolve("silent.ebnn").toString()));
        assertEquals(1, silent.exit());
        assertTrue(silent.err(), silent.err().startsWith("error: ") && silent.err().contains("give --input-range 0,1"));
        assertTrue(Files.notExists(d.resolve("silent.ebnn")));

        // an existing --out: refused before training (the file untouched), replaced with --force
        byte[] before = Files.readAllBytes(bytesOut);
        Files.write(bytesOut, new byte[] { 1, 2, 3 });
        List<String> again = concat(common, "--data", d.resolve("train-u8.npy").toString(), "--test", d.resolve("test-u8.npy").toString(), "--out",
                bytesOut.toString(), "--plot", d.resolve("again.svg").toString());
        Run refused = run(again);
        assertEquals(1, refused.exit());
        assertTrue(refused.err(), refused.err().startsWith("error: refusing to overwrite " + bytesOut));
        assertArrayEquals(new byte[] { 1, 2, 3 }, Files.readAllBytes(bytesOut));
        assertTrue(Files.notExists(d.resolve("again.svg")));
        Run forced = run(concat(again, "--force"));
        assertEquals(forced.err(), 0, forced.exit());
        assertArrayEquals(before, Files.readAllBytes(bytesOut));
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }
}
