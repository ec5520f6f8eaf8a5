package ebnn.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The exported application as a user runs it: {@code java -jar cnf/target/ebnn.jar <command>}, one
 * shot, with real exit codes and a one-line error for bad input.
 */
public class ExportedAppTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    static File jar;

    @BeforeClass
    public static void findJar() {
        String p = System.getProperty("ebnn.app.jar");
        jar = p != null && !p.isEmpty() ? new File(p)
                : Path.of(System.getProperty("basedir", ".")).resolve("../cnf/target/ebnn.jar").normalize().toFile();
        assertTrue("exported app not found: " + jar + " (build the cnf module first)", jar.isFile());
    }

    record Result(int exit, String out, String err) {
        List<String> errLines() {
            List<String> l = new ArrayList<>();
            for (String s : err.split("\\R"))
                if (!s.isBlank())
                    l.add(s);
            return l;
        }
    }

    static Result run(String... args) throws Exception {
        return runJava(List.of(), args);
    }

    /** The app with JVM options (system properties) before -jar. */
    static Result runJava(List<String> jvm, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.add("-jar");
        cmd.add(jar.getAbsolutePath());
        cmd.addAll(List.of(args));
        File out = TMP.newFile(), err = TMP.newFile();
        Process p = new ProcessBuilder(cmd).directory(TMP.getRoot()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out).redirectError(err).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    static void ok(Result r) {
        assertEquals("exit code; stderr: " + r.err() + "\nstdout: " + r.out(), 0, r.exit());
        assertTrue("stderr should be empty: " + r.err(), r.err().isBlank());
    }

    @Test
    public void backendsAndDevices() throws Exception {
        Result b = run("ebnn:backends");
        ok(b);
        assertTrue(b.out(), b.out().contains("jvm"));
        Result d = run("ebnn:devices");
        ok(d);
        assertTrue(d.out(), d.out().contains("atmega328p") && d.out().contains("cortex-m4"));
        Result j = run("ebnn:devices", "--json");
        ok(j);
        assertTrue(j.out(), j.out().trim().startsWith("["));
    }

    @Test
    public void exportInfoMemoryOfAModelFile() throws Exception {
        String model = TMP.getRoot().toPath().resolve("demo.ebnn").toString();
        ok(run("ebnn:export", "builtin:demo", model));
        Result info = run("ebnn:info", model);
        ok(info);
        assertTrue(info.out(), info.out().contains("lowered to"));
        Result mem = run("ebnn:memory", model, "--device", "atmega328p");
        ok(mem);
        assertTrue(mem.out(), mem.out().contains("atmega328p") && mem.out().contains("fits"));
    }

    @Test
    public void demo() throws Exception {
        Result r = run("ebnn:demo", "--count", "200");
        ok(r);
        assertTrue(r.out(), r.out().contains("agree on 200 of 200"));
    }

    /** The main job's commands, as README.md gives them (ReadmeTest checks that README holds exactly these). */
    static final String[] MAIN_JOB_COMPILE = { "ebnn:compile", "examples/models/convpool-1.ebnn", "--backend", "c", "--device", "atmega328p",
            "--arduino", "--data", "examples/digits", "--force", "--out", "target/mnist-uno" };
    static final String[] MAIN_JOB_CLASSIFY = { "ebnn:classify", "examples/models/convpool-1.ebnn", "--data", "examples/digits", "--count", "8" };
    static final String[] HOST_EXAMPLE_COMPILE = { "ebnn:compile", "examples/models/convpool-1.ebnn", "--backend", "c", "--device", "host", "--data",
            "examples/digits", "--force", "--out", "target/mnist-host" };

    /** A README command with its repository paths made absolute and its output folder moved to {@code out}. */
    static String[] inRepo(String[] command, Path repo, Path out) {
        String[] c = command.clone();
        for (int i = 0; i < c.length; i++)
            if (c[i].startsWith("examples/"))
                c[i] = repo.resolve(c[i]).toString();
            else if (c[i].startsWith("target/"))
                c[i] = out.toString();
        return c;
    }

    /**
     * README's main job, as written there: the committed trained example to an Arduino library whose sketch
     * embeds the first real digit of examples/digits, then the digits classified; and step 3, the plain C
     * folder for this machine, whose example prints the class the JVM gives that digit.
     */
    @Test
    public void mainJobOfTheReadme() throws Exception {
        Path repo = jar.toPath().toAbsolutePath().getParent().getParent().getParent();
        Path model = repo.resolve("examples/models/convpool-1.ebnn"), digits = repo.resolve("examples/digits");
        assertTrue("committed example model " + model, Files.isRegularFile(model));
        assertTrue("committed digits " + digits, Files.isDirectory(digits));
        Path lib = TMP.newFolder("mnist-uno").toPath();
        Result c = run(inRepo(MAIN_JOB_COMPILE, repo, lib));
        ok(c);
        assertTrue(c.out(), c.out().contains("fits") && c.out().contains("of 2048 B"));
        assertTrue(Files.isRegularFile(lib.resolve("library.properties")));
        assertTrue(Files.isRegularFile(lib.resolve("src/ebnn_convpool_1.c")));
        Path ino = lib.resolve("examples/classify_convpool_1/classify_convpool_1.ino");
        assertTrue(Files.isRegularFile(ino));
        // the sketch embeds the first digit of examples/digits (its raw IDX bytes after the 16-byte header), label 7
        byte[] idx = Files.readAllBytes(digits.resolve("t10k-images-idx3-ubyte"));
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 784; i++)
            first.append(i == 0 ? "" : ",").append(idx[16 + i] & 0xff);
        String sketch = Files.readString(ino);
        String embedded = sketch.substring(sketch.indexOf("PROGMEM = {") + 11, sketch.indexOf("};")).replaceAll("\\s+", "");
        assertEquals(first.toString(), embedded);
        assertTrue(sketch, sketch.contains("label 7"));

        Result cls = run(inRepo(MAIN_JOB_CLASSIFY, repo, null));
        ok(cls);
        // the labels of the first 8 MNIST test digits, as stored in examples/digits
        int[] labels = { 7, 2, 1, 0, 4, 1, 4, 9 };
        List<String> rows = cls.out().lines().filter(l -> l.matches("\\s*\\d+\\s+\\d\\s+\\d.*")).toList();
        assertEquals(cls.out(), 8, rows.size());
        int correct = 0;
        for (int i = 0; i < 8; i++) {
            String[] f = rows.get(i).trim().split("\\s+");
            assertEquals(rows.get(i), String.valueOf(labels[i]), f[1]);
            if (f[1].equals(f[2]))
                correct++;
        }
        assertTrue("a 98 % model gets nearly all of 8 real digits: " + correct, correct >= 7);
        String jvmFirst = rows.get(0).trim().split("\\s+")[2];

        Path host = TMP.newFolder("mnist-host").toPath();
        ok(run(inRepo(HOST_EXAMPLE_COMPILE, repo, host)));
        Process make = new ProcessBuilder("make", "-s", "-C", host.toString(), "example").redirectErrorStream(true).start();
        String log = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(log, 0, make.waitFor());
        Process ex = new ProcessBuilder(host.resolve("example").toString()).redirectErrorStream(true).start();
        String printed = new String(ex.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(printed, 0, ex.waitFor());
        assertEquals("host C prints the JVM's class of the embedded digit", "class " + jvmFirst, printed.lines().findFirst().orElse(""));
    }

    static Path model(String file) {
        Path p = Path.of(System.getProperty("ebnn.models", "../../shared/models"), file).toAbsolutePath();
        assertTrue("reference model present: " + p, Files.isRegularFile(p));
        return p;
    }

    /** A real FINN export imported, verified against the ONNX interpreter and compiled to C for an Uno, one shot each. */
    @Test
    public void realOnnxImportVerifyAndCompile() throws Exception {
        String tfc = model("finn_build_dataflow_tfc_w1a1.onnx").toString();
        Result imp = run("ebnn:import", tfc);
        ok(imp);
        assertTrue(imp.out(), imp.out().contains("MultiThreshold") && imp.out().contains("dense"));

        Result ver = run("ebnn:verify", tfc, "--random", "50", "--seed", "3");
        assertEquals(ver.err(), 0, ver.exit()); // progress and the reference's fallback note go to stderr
        // ONNX Runtime refuses FINN's custom op; the original graph then runs in the interpreter, which verify names
        assertTrue(ver.err(), ver.err().contains("MultiThreshold") && ver.err().contains("onnx-interpreter instead") && !ver.err().contains("\tat "));
        assertTrue(ver.out(), ver.out().startsWith("reference: onnx-interpreter, ebnn's ONNX interpreter"));
        assertTrue(ver.out(), ver.out().contains("agree on 50 of 50"));
        // this file declares its input range (raw pixels), so the reference checks it: no note that it cannot
        assertFalse(ver.out(), ver.out().contains("cannot check the input range"));
        // a wrong --input-range on a file that declares its range (raw pixels): the interpreter believes the file, the import the user
        Result wrongRange = run("ebnn:verify", tfc, "--input-range", "0,1", "--random", "100");
        assertEquals(wrongRange.err(), 1, wrongRange.exit());
        assertTrue(wrongRange.out(), wrongRange.out().contains("first disagreements:") && !wrongRange.out().contains("agree on 100 of 100"));
        Result tidy = run("ebnn:verify", model("finn_fork_tfc_w1a1_tidy.onnx").toString(), "--random", "20");
        assertEquals(tidy.err(), 0, tidy.exit());
        assertTrue(tidy.out(), tidy.out().contains("note: onnx-interpreter cannot check the input range because the file does not declare it"));
        Result legacy = run("ebnn:verify", tfc, "--random", "5", "--reference", "imported-ir");
        assertEquals(legacy.err(), 0, legacy.exit());
        assertTrue(legacy.out(), legacy.out().contains("reference: imported-ir") && legacy.out().contains("not independent"));

        Path out = TMP.newFolder("tfc-c").toPath();
        Result c = run("ebnn:compile", tfc, "--backend", "c", "--device", "atmega328p", "--out", out.toString(), "--force");
        ok(c);
        assertTrue(Files.isRegularFile(out.resolve("ebnn_finn_build_dataflow_tfc_w1a1.c")));
        assertTrue(Files.readString(out.resolve("memory-report.txt")).contains("fits"));

        Path ino = TMP.newFolder("tfc-arduino").toPath();
        ok(run("ebnn:compile", tfc, "--backend", "c", "--device", "atmega328p", "--out", ino.toString(), "--arduino", "--force"));
        assertTrue(Files.isRegularFile(ino.resolve("library.properties")));

        Result larq = run("ebnn:verify", model("larq_tf2onnx_gtsrb_bnn_48x48.onnx").toString(), "--random", "20", "--seed", "5");
        assertEquals(larq.err(), 0, larq.exit());
        assertTrue(larq.out(), larq.out().contains("reference: onnxruntime, ONNX Runtime") && larq.out().contains("agree on 20 of 20"));

        Result mnist8 = run("ebnn:import", model("mnist-8.onnx").toString());
        assertEquals(mnist8.err(), 1, mnist8.exit());
        assertEquals(mnist8.err(), 1, mnist8.errLines().size());
        assertTrue(mnist8.err(), mnist8.err().contains("Conv") && mnist8.err().contains("not binarized"));
    }

    static Path mnist() {
        Path d = Path.of(System.getProperty("ebnn.data", "../../shared/data"), "mnist").toAbsolutePath();
        assertTrue("MNIST present: " + d, Files.isDirectory(d));
        return d;
    }

    static double percent(String text, String before) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(before) + " ([0-9.]+) %").matcher(text);
        assertTrue("'" + before + " N %' in: " + text, m.find());
        return Double.parseDouble(m.group(1));
    }

    /** The samples as an NHWC uint8 .npy and their labels as a uint8 .npy. */
    private static void npy(Path x, Path y, ebnn.api.data.Dataset d) throws Exception {
        ebnn.api.model.Shape s = d.shape();
        byte[] hwc = ebnn.api.data.Samples.chwToHwc(d.samples(), d.count(), s);
        Files.write(x, ebnn.testing.DataFiles.npy("|u1", false, new long[] { d.count(), s.height(), s.width(), s.channels() },
                ebnn.testing.DataFiles.values(hwc, 0, hwc.length, 1, 0)));
        Files.write(y, ebnn.testing.DataFiles.npy("|u1", false, new long[] { d.count() }, ebnn.testing.DataFiles.values(d.labels(), 0, d.count(), 1, 0)));
    }

    /**
     * Beyond MNIST from the app: a 3-channel model trained from .npy files (seeded RGB shapes), its test
     * accuracy the same from .npy and from a PNG folder, --lean writing the same model bytes, and an
     * architecture that cannot fit its device refused before training in one line.
     */
    @Test
    public void trainsAnRgbModelFromNpyFilesAndEvaluatesItFromPngToo() throws Exception {
        Path dir = TMP.newFolder("rgb").toPath();
        ebnn.api.data.Dataset train = ebnn.testing.ColouredShapes.generate(1200, 16, 1), test = ebnn.testing.ColouredShapes.generate(300, 16, 2);
        npy(dir.resolve("x.npy"), dir.resolve("y.npy"), train);
        npy(dir.resolve("tx.npy"), dir.resolve("ty.npy"), test);
        ebnn.testing.DataFiles.pngFolder(dir.resolve("png"), test.samples(), test.labels(), test.count(), 3, 16, 16);
        String[] common = { "--arch", "conv:8:3:1,pool:2:2,dense:32", "--data", dir.resolve("x.npy").toString(), "--labels", dir.resolve("y.npy").toString(),
                "--test", dir.resolve("tx.npy").toString(), "--test-labels", dir.resolve("ty.npy").toString(), "--epochs", "4", "--batch", "50", "--seed",
                "4", "--shift", "1" };
        Path model = dir.resolve("rgb.ebnn"), leanModel = dir.resolve("rgb-lean.ebnn");
        List<String> args = new ArrayList<>(List.of("ebnn:train"));
        args.addAll(List.of(common));
        args.addAll(List.of("--out", model.toString()));
        Result train1 = run(args.toArray(String[]::new));
        assertEquals(train1.err(), 0, train1.exit());
        double accuracy = percent(train1.out(), "test accuracy");
        assertTrue("learned the coloured shapes well above chance (25 %): " + train1.out(), accuracy > 70);
        args.set(args.size() - 1, leanModel.toString());
        args.add("--lean");
        Result train2 = run(args.toArray(String[]::new));
        assertEquals(train2.err(), 0, train2.exit());
        assertTrue("--lean trains the same model bytes", java.util.Arrays.equals(Files.readAllBytes(model), Files.readAllBytes(leanModel)));

        Result fromPng = run("ebnn:eval", model.toString(), "--data", dir.resolve("png").toString());
        assertEquals(fromPng.err(), 0, fromPng.exit());
        assertEquals("the PNG folder's accuracy = the .npy test set's", accuracy, percent(fromPng.out(), "accuracy"), 1e-9);

        Result tooBig = run("ebnn:train", "--arch", "sfc", "--data", dir.resolve("x.npy").toString(), "--labels", dir.resolve("y.npy").toString(),
                "--device", "atmega328p", "--out", dir.resolve("sfc.ebnn").toString());
        assertEquals(1, tooBig.exit());
        assertEquals(tooBig.err(), 1, tooBig.errLines().size());
        assertTrue(tooBig.err(), tooBig.err().startsWith("error: ") && tooBig.err().contains("'sfc' cannot fit atmega328p") && !tooBig.err().contains("epoch"));
        assertFalse("nothing written", Files.exists(dir.resolve("sfc.ebnn")));
    }

    /** Training and discover one shot from the app: a real (1-epoch) model, its accuracy confirmed by ebnn:eval, and the budget obeyed. */
    @Test
    public void trainEvalAndDiscoverFromTheApp() throws Exception {
        String data = mnist().toString();
        Path model = TMP.getRoot().toPath().resolve("tfc.ebnn");
        Result train = runJava(List.of("-Debnn.progress.seconds=0.2"), "ebnn:train", "--arch", "tfc", "--data", data, "--epochs", "1", "--seed",
                "3", "--out", model.toString(), "--device", "atmega328p");
        assertEquals(train.err(), 0, train.exit());
        // not a terminal: plain progress lines within the epoch, no carriage returns
        assertTrue(train.err(), train.err().lines().anyMatch(l -> l.matches("tfc epoch 1/1: [0-9,]+ of 10,000 samples, [0-9,]+ samples/s, ETA .*, loss [0-9.]+")));
        assertFalse(train.err(), train.err().contains("\r"));
        assertTrue(Files.size(model) > 0);
        double trained = percent(train.out(), "test accuracy");
        assertTrue("one epoch of TFC learns MNIST well above chance: " + trained, trained > 60);

        Result eval = run("ebnn:eval", model.toString(), "--data", data);
        assertEquals(eval.err(), 0, eval.exit());
        assertEquals("ebnn:eval of the written model = the accuracy ebnn:train reported", trained, percent(eval.out(), "accuracy"), 1e-9);

        // an output path that cannot be written fails before any training
        Result nowhere = run("ebnn:train", "--arch", "tfc", "--data", data, "--out", TMP.getRoot() + "/no/such/folder/x.ebnn");
        assertEquals(1, nowhere.exit());
        assertEquals(nowhere.err(), 1, nowhere.errLines().size());
        assertTrue(nowhere.err(), nowhere.err().contains("does not exist") && !nowhere.err().contains("epoch"));

        // --json: nothing on standard error, one JSON event per line on standard output
        Result json = runJava(List.of("-Debnn.progress.seconds=0"), "ebnn:train", "--arch", "dense:16", "--data", data, "--epochs", "2", "--out",
                TMP.getRoot() + "/json.ebnn", "--json");
        assertEquals(json.err(), 0, json.exit());
        assertEquals("", json.err());
        assertEquals(json.out(), 3, json.out().lines().filter(l -> l.matches("\\{\\s*\"event\".*\\}")).count());
        assertEquals(json.out(), 3, json.out().lines().count());

        Path best = TMP.getRoot().toPath().resolve("best.ebnn"), plot = TMP.getRoot().toPath().resolve("pareto.svg");
        Result disc = run("ebnn:discover", "--device", "atmega328p", "--data", data, "--candidates", "tfc;dense:1024,dense:1024", "--epochs", "1",
                "--out", best.toString(), "--plot", plot.toString());
        assertEquals(disc.err(), 0, disc.exit());
        assertTrue(disc.out(), disc.out().lines().anyMatch(l -> l.startsWith("dense:1024,dense:1024") && l.contains("over-budget")));
        // never trained: its sizes are the bound planned before training, and say so; the trained one's are its exact plan
        assertTrue(disc.out(), disc.out().lines().anyMatch(l -> l.startsWith("dense:1024,dense:1024") && l.contains("<= ")));
        assertTrue(disc.out(), disc.out().lines().anyMatch(l -> l.startsWith("tfc ") && l.contains("trained") && !l.contains("<=")));
        assertTrue(disc.out(), disc.out().contains("<= : the bound planned before training"));
        assertTrue(disc.out(), disc.out().contains("best: tfc"));
        assertTrue(Files.readString(plot).contains("<svg"));
        Result mem = run("ebnn:memory", best.toString(), "--device", "atmega328p");
        assertEquals(mem.err(), 0, mem.exit());
        assertTrue(mem.out(), mem.out().contains("fits"));
        // one number everywhere: the best model's sizes in discover's report are what ebnn:memory plans for the file it wrote
        java.util.regex.Matcher reported = java.util.regex.Pattern.compile("best: tfc .*flash ([0-9,]+) B[^,]*, RAM ([0-9,]+) B").matcher(disc.out());
        assertTrue(disc.out(), reported.find());
        Result memJson = run("ebnn:memory", best.toString(), "--device", "atmega328p", "--json");
        assertEquals(Long.parseLong(reported.group(1).replace(",", "")), total(memJson.out(), "flash"));
        assertEquals(Long.parseLong(reported.group(2).replace(",", "")), total(memJson.out(), "ram"));
    }

    /** export and train refuse to replace a file without --force, train says so before any training; files get the umask's mode. */
    @Test
    public void nothingClobbered() throws Exception {
        Path dir = TMP.newFolder("clobber").toPath();
        Path model = dir.resolve("demo.ebnn");
        ok(run("ebnn:export", "builtin:demo", model.toString()));
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals("a written model has the mode of any new file here (the umask's), not 0600", Files.getPosixFilePermissions(plain),
                Files.getPosixFilePermissions(model));
        byte[] before = Files.readAllBytes(model);

        Result again = run("ebnn:export", "builtin:demo", model.toString());
        assertEquals(again.err(), 1, again.exit());
        assertEquals(List.of("error: refusing to overwrite " + model + " (use --force to overwrite it)"), again.errLines());
        Path onnx = dir.resolve("demo.onnx");
        ok(run("ebnn:export", "builtin:demo", onnx.toString()));
        assertEquals(1, run("ebnn:export", "builtin:demo", onnx.toString()).exit());
        ok(run("ebnn:export", "builtin:demo", onnx.toString(), "--force"));

        Result train = run("ebnn:train", "--arch", "tfc", "--data", mnist().toString(), "--epochs", "1", "--out", model.toString());
        assertEquals(train.err(), 1, train.exit());
        assertEquals(List.of("error: refusing to overwrite " + model + " (use --force to overwrite it)"), train.errLines());
        assertTrue("refused before training: " + train.out(), train.out().isBlank());
        assertArrayEquals(before, Files.readAllBytes(model));
        try (var files = Files.list(dir)) {
            assertEquals("no temporary files left", 3, files.count());
        }

        // a path that is not there: what happened to which path, in words
        Result missing = run("ebnn:info", dir.resolve("nope.onnx").toString());
        assertEquals(1, missing.exit());
        assertFalse(missing.err(), missing.err().matches("(?s).*(Exception|java\\.).*"));
        assertTrue(missing.err(), missing.err().contains(dir.resolve("nope.onnx").toString()));
    }

    /** train --name names the model; compile's default C symbol (and Arduino library name) is the file's base name. */
    @Test
    public void namesFromTheUser() throws Exception {
        Path dir = TMP.newFolder("names").toPath();
        Path model = dir.resolve("digits-a.ebnn");
        Result train = run("ebnn:train", "--arch", "dense:16", "--data", mnist().toString(), "--epochs", "1", "--name", "my digits", "--out",
                model.toString());
        assertEquals(train.err(), 0, train.exit());
        Result info = run("ebnn:info", model.toString(), "--json");
        assertTrue(info.out(), info.out().contains("\"my digits\""));
        Files.copy(model, dir.resolve("digits-b.ebnn"));
        for (String n : List.of("digits-a", "digits-b")) {
            ok(run("ebnn:compile", dir.resolve(n + ".ebnn").toString(), "--backend", "c", "--device", "atmega328p", "--arduino", "--out",
                    dir.resolve("lib-" + n).toString()));
            assertTrue(Files.readString(dir.resolve("lib-" + n + "/library.properties")).contains("name=ebnn_" + n.replace('-', '_') + "\n"));
        }
        Result blank = run("ebnn:train", "--arch", "dense:16", "--data", mnist().toString(), "--name", " ", "--out", dir + "/x.ebnn");
        assertEquals(2, blank.exit());
    }

    /** memory without --backend plans with the default code generator's bounds: the very numbers compile checks and reports. */
    @Test
    public void memoryAgreesWithCompile() throws Exception {
        String model = Path.of(System.getProperty("basedir", ".")).resolve("../examples/models/convpool-1.ebnn").normalize().toString();
        for (String device : List.of("atmega328p", "cortex-m4")) {
            Result mem = run("ebnn:memory", model, "--device", device, "--json");
            ok(mem);
            Result comp = run("ebnn:compile", model, "--backend", "c", "--device", device, "--out", TMP.getRoot() + "/agree-" + device, "--json");
            ok(comp);
            for (String region : List.of("flash", "ram"))
                assertEquals(device + " " + region, total(comp.out(), region), total(mem.out(), region));
            assertTrue(mem.out(), mem.out().contains("\"bounds\": \"back end c\""));
            Result text = run("ebnn:memory", model, "--device", device);
            assertTrue(text.out(), text.out().contains("code and stack: bounds of back end c's generated code"));
        }
    }

    /** The "totalBytes" of the region object ("flash" or "ram") in a JSON memory plan. */
    static long total(String json, String region) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + region + "\"\\s*:\\s*\\{[^}]*\"totalBytes\"\\s*:\\s*(\\d+)").matcher(json);
        assertTrue(region + " total in " + json, m.find());
        return Long.parseLong(m.group(1));
    }

    @Test
    public void badFileIsOneLineAndNonZero() throws Exception {
        Path bad = TMP.newFile("bad.ebnn").toPath();
        Files.write(bad, "this is not a model".getBytes(StandardCharsets.UTF_8));
        Result r = run("ebnn:info", bad.toString());
        assertEquals(r.err(), 1, r.exit());
        assertEquals("one line: " + r.err(), 1, r.errLines().size());
        assertTrue(r.err(), r.err().startsWith("error: "));
        assertFalse(r.err(), r.err().contains("\tat "));

        Result missing = run("ebnn:memory", "no-such-model.ebnn", "--device", "atmega328p");
        assertEquals(1, missing.exit());
        assertTrue(missing.err(), missing.err().startsWith("error: ") && missing.err().contains("no-such-model.ebnn"));

        Result device = run("ebnn:memory", "builtin:demo", "--device", "pdp11");
        assertEquals(1, device.exit());
        assertTrue(device.err(), device.err().contains("pdp11"));

        Result unknown = run("ebnn:frobnicate");
        assertEquals(2, unknown.exit());
        assertEquals(unknown.err(), 1, unknown.errLines().size());
        Result typo = run("ebnn:devcies");
        assertEquals(2, typo.exit());
        assertEquals(typo.err(), List.of("error: unknown command 'ebnn:devcies'; did you mean devices? ('help' lists the ebnn commands)"),
                typo.errLines());
    }

    /**
     * A tinier-nn model.def from the app: classify prints the output bits of the XOR-popcount rule
     * (evaluated here on the text's weights), as a 0/1 string and in --json as an array; eval refuses
     * it in one line; info and memory say its output is bits; export writes it back byte for byte.
     */
    @Test
    public void aModelDefsOutputIsItsBits() throws Exception {
        java.util.Random r = new java.util.Random(15);
        int[] sizes = { 32, 64, 32 };
        StringBuilder def = new StringBuilder("bnn\n");
        List<boolean[][]> layers = new ArrayList<>();
        for (int l = 1; l < sizes.length; l++) {
            def.append(sizes[l - 1]).append(',').append(sizes[l]).append('\n');
            boolean[][] w = new boolean[sizes[l]][sizes[l - 1]];
            for (boolean[] row : w) {
                for (int i = 0; i < row.length; i++)
                    def.append((row[i] = r.nextBoolean()) ? '1' : '0');
                def.append('\n');
            }
            layers.add(w);
        }
        def.append("0,0\n");
        Path dir = TMP.newFolder("modeldef").toPath();
        Path model = dir.resolve("model.def");
        Files.writeString(model, def);
        int n = 5;
        byte[] x = new byte[n * 32];
        for (int i = 0; i < x.length; i++)
            x[i] = (byte) (r.nextBoolean() ? 1 + r.nextInt(255) : 0);
        Path npy = dir.resolve("x.npy");
        Files.write(npy, ebnn.testing.DataFiles.npy("|u1", false, new long[] { n, 32 }, ebnn.testing.DataFiles.values(x, 0, x.length, 1, 0)));
        List<String> want = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            boolean[] v = new boolean[32];
            for (int i = 0; i < 32; i++)
                v[i] = x[s * 32 + i] != 0;
            for (boolean[][] w : layers) {
                boolean[] y = new boolean[w.length];
                for (int o = 0; o < w.length; o++) {
                    int mism = 0;
                    for (int i = 0; i < v.length; i++)
                        mism += w[o][i] != v[i] ? 1 : 0;
                    y[o] = mism <= v.length / 2;
                }
                v = y;
            }
            StringBuilder b = new StringBuilder();
            for (boolean bit : v)
                b.append(bit ? '1' : '0');
            want.add(b.toString());
        }

        Result text = run("ebnn:classify", model.toString(), "--data", npy.toString());
        ok(text);
        List<String> rows = text.out().lines().skip(1).map(String::strip).toList();
        for (int s = 0; s < n; s++)
            assertEquals(text.out(), s + "  " + want.get(s), rows.get(s));
        Result json = run("ebnn:classify", model.toString(), "--data", npy.toString(), "--json");
        ok(json);
        assertTrue(json.out(), json.out().contains("\"output\": \"bits\""));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"bits\": \\[([01, ]*)\\]").matcher(json.out());
        for (int s = 0; s < n; s++) {
            assertTrue(json.out(), m.find());
            assertEquals(want.get(s), m.group(1).replace(", ", ""));
        }

        Path y = dir.resolve("y.npy");
        Files.write(y, ebnn.testing.DataFiles.npy("|u1", false, new long[] { n }, new double[n]));
        Result eval = run("ebnn:eval", model.toString(), "--data", npy.toString(), "--labels", y.toString());
        assertEquals(eval.err(), 1, eval.exit());
        assertEquals(eval.err(), List.of("error: model 'model' outputs a vector of 32 bits, not a class, so there is no accuracy against a "
                + "data set's labels to measure; ebnn:classify prints its bits"), eval.errLines());

        Result info = run("ebnn:info", model.toString());
        ok(info);
        assertTrue(info.out(), info.out().contains("output 32 bits (a bit vector, no classes)"));
        Result mem = run("ebnn:memory", model.toString(), "--device", "atmega328p", "--json");
        ok(mem);
        assertTrue(mem.out(), mem.out().contains("\"output\": \"bits\""));

        Path copy = dir.resolve("copy.def");
        ok(run("ebnn:export", model.toString(), copy.toString()));
        assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(copy));
    }

    /** One `error: ...` line holding every part, exit status 1, no stack trace. */
    static void oneError(Result r, String... parts) {
        assertEquals(r.err() + r.out(), 1, r.exit());
        assertEquals("one line: " + r.err(), 1, r.errLines().size());
        assertTrue(r.err(), r.err().startsWith("error: "));
        assertFalse(r.err(), r.err().contains("\tat "));
        for (String p : parts)
            assertTrue("'" + r.err().trim() + "' should say " + p, r.err().contains(p));
    }

    /**
     * Issue 17 item 5: --lean with a layer it does not support, an --arch that cannot meet its --device
     * and a .ebnn file newer than the reader are each one error line naming what and why, exit 1,
     * before any training, nothing written.
     */
    @Test
    public void badOptionsAndNewerFilesAreOneClearError() throws Exception {
        String data = mnist().toString();
        Path out = TMP.getRoot().toPath().resolve("never.ebnn");
        oneError(run("ebnn:train", "--arch", "conv:4:3,pool:17:17", "--lean", "--data", data, "--out", out.toString()), "--lean does not support layer",
                "MaxPool", "pool windows of at most 256 positions", "this one has 289", "train without --lean");
        oneError(run("ebnn:train", "--arch", "dense:1024,dense:1024", "--device", "atmega328p", "--data", data, "--out", out.toString()),
                "architecture 'dense:1024,dense:1024' cannot fit atmega328p", "B of flash (it has 32,768)", "before any training");
        assertFalse(Files.exists(out));

        Path repo = jar.toPath().toAbsolutePath().getParent().getParent().getParent();
        byte[] b = Files.readAllBytes(repo.resolve("examples/models/conv-1.ebnn"));
        b[7] = 4; // the version: 4 is newer than this reader's 3
        Path newer = TMP.getRoot().toPath().resolve("newer.ebnn");
        Files.write(newer, b);
        String why = newer + ": .ebnn format version 4 was written by a newer ebnn; this reader knows versions up to 3 (upgrade ebnn)";
        oneError(run("ebnn:info", newer.toString()), why);
        oneError(run("ebnn:memory", newer.toString(), "--device", "atmega328p"), why);
        oneError(run("ebnn:eval", newer.toString(), "--data", repo.resolve("examples/digits").toString()), why);
        Path dir = TMP.getRoot().toPath().resolve("newer-c");
        oneError(run("ebnn:compile", newer.toString(), "--backend", "c", "--device", "host", "--out", dir.toString()), why);
        assertFalse(Files.exists(dir));
    }

    /**
     * Issue 14's gap: a float32 copy of MNIST digits in [0,1] trains, with --input-range 0,1, to the
     * accuracy of the same digits as bytes, and the model declares 0..1 (ebnn:eval reads the float test
     * set through it and agrees); without --input-range the floats would be bytes 0 and 1: an error.
     */
    @Test
    public void trainsOnFloatDataInItsOwnRange() throws Exception {
        ebnn.api.data.Dataset tr = ebnn.api.data.Idx.load(mnist(), false).head(3000), te = ebnn.api.data.Idx.load(mnist(), true).head(1000);
        Path d = TMP.newFolder("float-range").toPath();
        for (var e : java.util.Map.of("train", tr, "test", te).entrySet()) {
            ebnn.api.data.Dataset x = e.getValue();
            long[] shape = { x.count(), 1, 28, 28 };
            int n = x.count() * 784;
            Files.write(d.resolve(e.getKey() + "-f.npy"), ebnn.testing.DataFiles.npy("<f4", false, shape, ebnn.testing.DataFiles.values(x.samples(), 0, n, 1 / 255.0, 0)));
            Files.write(d.resolve(e.getKey() + "-u8.npy"), ebnn.testing.DataFiles.npy("|u1", false, shape, ebnn.testing.DataFiles.values(x.samples(), 0, n, 1, 0)));
            Files.write(d.resolve(e.getKey() + "-y.npy"), ebnn.testing.DataFiles.npy("|u1", false, new long[] { x.count() },
                    ebnn.testing.DataFiles.values(x.labels(), 0, x.count(), 1, 0)));
        }
        String[] common = { "ebnn:train", "--arch", "dense:48", "--epochs", "4", "--batch", "50", "--labels", d.resolve("train-y.npy").toString(),
                "--test-labels", d.resolve("test-y.npy").toString() };
        Result bytes = run(concat(common, "--data", d.resolve("train-u8.npy").toString(), "--test", d.resolve("test-u8.npy").toString(), "--out",
                d.resolve("bytes.ebnn").toString()));
        assertEquals(bytes.err(), 0, bytes.exit());
        Result floats = run(concat(common, "--data", d.resolve("train-f.npy").toString(), "--test", d.resolve("test-f.npy").toString(), "--input-range",
                "0,1", "--out", d.resolve("floats.ebnn").toString()));
        assertEquals(floats.err(), 0, floats.exit());
        double accuracy = percent(bytes.out(), "test accuracy");
        assertTrue(bytes.out(), accuracy > 80);
        assertEquals(floats.out(), accuracy, percent(floats.out(), "test accuracy"), 0);
        Result info = run("ebnn:info", d.resolve("floats.ebnn").toString());
        ok(info);
        assertTrue(info.out(), info.out().contains("values 0..1)"));
        Result eval = run("ebnn:eval", d.resolve("floats.ebnn").toString(), "--data", d.resolve("test-f.npy").toString(), "--labels",
                d.resolve("test-y.npy").toString());
        assertEquals(eval.err(), 0, eval.exit());
        assertEquals(eval.out(), accuracy, percent(eval.out(), "accuracy"), 1e-9);

        // --keep-float: the float batch norms for continued training; by default the thresholds, smaller, the same integer model
        Result kept = run(concat(common, "--data", d.resolve("train-u8.npy").toString(), "--test", d.resolve("test-u8.npy").toString(), "--keep-float",
                "--out", d.resolve("float-bn.ebnn").toString()));
        assertEquals(kept.err(), 0, kept.exit());
        assertEquals(kept.out(), accuracy, percent(kept.out(), "test accuracy"), 0);
        ebnn.api.model.Model floatForm = ebnn.core.format.EbnnFormat.read(d.resolve("float-bn.ebnn")),
                thresholdForm = ebnn.core.format.EbnnFormat.read(d.resolve("bytes.ebnn"));
        assertTrue(floatForm.layers().stream().anyMatch(l -> l instanceof ebnn.api.model.BatchNorm));
        assertTrue(thresholdForm.layers().stream().noneMatch(l -> l instanceof ebnn.api.model.BatchNorm));
        assertEquals(ebnn.core.lower.Lowering.lower(floatForm), ebnn.core.lower.Lowering.lower(thresholdForm));
        assertTrue(Files.size(d.resolve("bytes.ebnn")) * 10 < Files.size(d.resolve("float-bn.ebnn")) * 9);

        oneError(run(concat(common, "--data", d.resolve("train-f.npy").toString(), "--out", d.resolve("silent.ebnn").toString())),
                "every value read is 0 or 1 of the default range 0..255", "give --input-range 0,1");
        assertFalse(Files.exists(d.resolve("silent.ebnn")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
