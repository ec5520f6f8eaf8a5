package ebnn.core.toolchain;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.BackendException;
import ebnn.api.Device;
import ebnn.api.EbnnException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.model.Model;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.ImportResult;
import ebnn.core.toolchain.DefaultToolchainTest.ListingGenerator;
import ebnn.testing.PaperModels;

/**
 * Issue 8 for the toolchain service: safe to call from many threads (lowering, planning,
 * compiling into separate folders, reading and atomically rewriting model files, back ends coming
 * and going), and the output folder handling (--out) with hostile folder and file names.
 */
public class ToolchainHardeningTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static final int THREADS = 8;

    private static <T> List<T> inParallel(int tasks, Callable<T> job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(Math.min(tasks, THREADS));
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (int i = 0; i < tasks; i++)
                fs.add(pool.submit(() -> {
                    start.await(60, TimeUnit.SECONDS);
                    return job.call();
                }));
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs)
                out.add(f.get(300, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, byte[]> read(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList())
                m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
        }
        return m;
    }

    private static void assertSameFiles(String what, Map<String, byte[]> want, Map<String, byte[]> got) {
        assertEquals(what + ": file names", want.keySet(), got.keySet());
        want.forEach((k, v) -> assertArrayEquals(what + ": " + k, v, got.get(k)));
    }

    @Test
    public void lowerPlanAndCompileFromEightThreadsGiveTheSingleThreadedResults() throws Exception {
        DefaultToolchain tc = DefaultToolchainTest.toolchain();
        List<Model> models = List.of(PaperModels.convPool16(2), PaperModels.tfc(3));
        Device m4 = Device.named("cortex-m4");
        List<BinaryModel> lowered = new ArrayList<>();
        List<Map<String, byte[]>> alone = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            BinaryModel b = tc.lower(models.get(i));
            lowered.add(b);
            Path out = tmp.getRoot().toPath().resolve("alone-" + i);
            tc.compile(b, "listing", m4, out, CompileOptions.defaults());
            alone.add(read(out));
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<String> results = inParallel(2 * THREADS, () -> {
            int job = next.getAndIncrement();
            int i = job % models.size();
            BinaryModel b = tc.lower(models.get(i));
            assertEquals("lowered in parallel", lowered.get(i), b);
            assertEquals(tc.plan(lowered.get(i), m4), tc.plan(b, m4));
            Path out = tmp.getRoot().toPath().resolve("parallel-" + job);
            tc.compile(b, "listing", m4, out, CompileOptions.defaults());
            assertSameFiles("job " + job, alone.get(i), read(out));
            return out.toString();
        });
        assertEquals(2 * THREADS, results.stream().distinct().count());
    }

    /** Back ends registered and unregistered while compiles run: each compile succeeds or names the missing back end. */
    @Test
    public void backEndsComingAndGoingDuringCompiles() throws Exception {
        DefaultToolchain tc = DefaultToolchainTest.toolchain();
        BinaryModel m = tc.lower(PaperModels.tfc(3));
        Device m4 = Device.named("cortex-m4");
        AtomicBoolean stop = new AtomicBoolean();
        Thread churn = new Thread(() -> {
            ListingGenerator other = new ListingGenerator(Map.of("extra.txt", "x"));
            while (!stop.get()) {
                ListingGenerator g = new ListingGenerator(Map.of());
                tc.addBackend(g);
                tc.removeBackend(g);
                tc.addBackend(other);
                tc.backends();
                tc.removeBackend(other);
            }
        });
        churn.start();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        try {
            List<String> outcomes = inParallel(4 * THREADS, () -> {
                Path out = tmp.getRoot().toPath().resolve("churn-" + next.getAndIncrement());
                try {
                    tc.compile(m, "listing", m4, out, CompileOptions.defaults());
                    Map<String, byte[]> files = read(out);
                    assertTrue(files.keySet().toString(), files.containsKey(DefaultToolchain.MEMORY_REPORT));
                    return "ok";
                } catch (EbnnException e) {
                    assertTrue(e.getMessage(), e.getMessage().contains("'listing'"));
                    assertFalse("nothing written when the back end was missing", Files.exists(out));
                    return "missing";
                }
            });
            assertEquals(4 * THREADS, outcomes.size());
        } finally {
            stop.set(true);
            churn.join();
        }
    }

    /** Eight compiles into the same folder without --force: exactly one writes, the others are refused, the files are whole. */
    @Test
    public void racingCompilesIntoOneFolderLeaveOneCompleteResult() throws Exception {
        DefaultToolchain tc = DefaultToolchainTest.toolchain();
        BinaryModel m = tc.lower(PaperModels.tfc(3));
        Device m4 = Device.named("cortex-m4");
        Path ref = tmp.getRoot().toPath().resolve("ref");
        tc.compile(m, "listing", m4, ref, CompileOptions.defaults());
        Map<String, byte[]> want = read(ref);
        for (int round = 0; round < 10; round++) {
            Path out = tmp.getRoot().toPath().resolve("same-" + round);
            List<String> outcomes = inParallel(THREADS, () -> {
                try {
                    tc.compile(m, "listing", m4, out, CompileOptions.defaults());
                    return "written";
                } catch (BackendException e) {
                    assertTrue(e.getMessage(), e.getMessage().contains("refusing to overwrite"));
                    return "refused";
                }
            });
            assertEquals("round " + round + ": " + outcomes, 1, outcomes.stream().filter("written"::equals).count());
            assertSameFiles("round " + round, want, read(out));
        }
    }

    /** Model files rewritten (atomically) while other threads read them: a reader sees the old or the new model, never a torn file. */
    @Test
    public void readersNeverSeeAHalfWrittenModelFile() throws Exception {
        DefaultToolchain tc = DefaultToolchainTest.toolchain();
        Model a = PaperModels.mlp128(1), b = PaperModels.tfc(3);
        Path f = tmp.getRoot().toPath().resolve("shared.ebnn");
        tc.writeModel(a, f);
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get(); i++)
                tc.writeModel(i % 2 == 0 ? b : a, f);
        });
        writer.start();
        try {
            List<Integer> reads = inParallel(THREADS - 1, () -> {
                int n = 0;
                for (int i = 0; i < 15; i++) {
                    ImportResult r = tc.importModel(f);
                    assertTrue("a whole model", r.model().equals(a) || r.model().equals(b));
                    n++;
                }
                return n;
            });
            assertEquals((THREADS - 1) * 15, reads.stream().mapToInt(Integer::intValue).sum());
        } finally {
            stop.set(true);
            writer.join();
        }
        try (Stream<Path> s = Files.list(tmp.getRoot().toPath())) {
            assertEquals("no temporary files left behind", List.of(f), s.toList());
        }
    }

    // ------------------------------------------------------------------ --out and generated file names

    @Test
    public void outputFolderNamesAreTakenLiterallyAndNormalised() throws IOException {
        DefaultToolchain tc = DefaultToolchainTest.toolchain();
        BinaryModel m = tc.lower(PaperModels.tfc(3));
        Device m4 = Device.named("cortex-m4");
        Path root = tmp.getRoot().toPath();
        for (String name : List.of("with space", "new\nline", "名前 \uD83D\uDE00", "quote\"'`$(x)", "-rf", "#hash", "a\\b", "..x", "x..")) {
            Path out = root.resolve("outs").resolve(name);
            tc.compile(m, "listing", m4, out, CompileOptions.defaults());
            assertTrue(name, Files.isRegularFile(out.resolve(DefaultToolchain.MEMORY_REPORT)));
        }
        // ".." in --out is resolved before writing: a/../b is b
        Path dotted = root.resolve("p").resolve("..").resolve("q");
        tc.compile(m, "listing", m4, dotted, CompileOptions.defaults());
        assertTrue(Files.isRegularFile(root.resolve("q").resolve(DefaultToolchain.MEMORY_REPORT)));
        assertFalse(Files.exists(root.resolve("p")));
        // a file where the folder should be, or in the folder's path: typed errors, nothing written
        Path file = Files.writeString(root.resolve("a-file"), "mine");
        assertThrows(BackendException.class, () -> tc.compile(m, "listing", m4, file, CompileOptions.defaults()));
        assertThrows(BackendException.class, () -> tc.compile(m, "listing", m4, file.resolve("sub"), CompileOptions.defaults()));
        assertEquals("mine", Files.readString(file));
    }

    @Test
    public void generatedFileNamesThatCouldEscapeAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path root = tmp.newFolder("root").toPath();
        Path out = root.resolve("out");
        for (String evil : List.of("", "a\0b.c", "../x.c", "sub/../../x.c", "/abs.c", "//abs.c", "./", "sub/..",
                "..", "x/../../root/out2/y.c")) {
            try {
                DefaultToolchain.writeFiles(out, new TreeMap<>(Map.of("ok.c", "x", evil, "y")), false);
                throw new AssertionError("accepted the file name '" + evil.replace("\0", "\\0") + "'");
            } catch (BackendException e) {
                assertTrue(e.getMessage(), e.getMessage() != null && !e.getMessage().isBlank());
            }
            try (Stream<Path> s = Files.walk(root)) {
                assertEquals("nothing written for '" + evil.replace("\0", "\\0") + "'", List.of(root), s.toList());
            }
        }
        // names that look odd but stay inside are written where they say
        DefaultToolchain.writeFiles(out, new TreeMap<>(Map.of("a\\..\\b.c", "1", "..c", "2", "sub/./x.c", "3", "名前.c", "4")), false);
        assertEquals("1", Files.readString(out.resolve("a\\..\\b.c")));
        assertEquals("2", Files.readString(out.resolve("..c")));
        assertEquals("3", Files.readString(out.resolve("sub/x.c")));
        assertEquals("4", Files.readString(out.resolve("名前.c")));
    }
}
