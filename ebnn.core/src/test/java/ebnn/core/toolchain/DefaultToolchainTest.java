package ebnn.core.toolchain;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.BackendException;
import ebnn.api.BudgetExceededException;
import ebnn.api.Device;
import ebnn.api.EbnnException;
import ebnn.api.NotFoundException;
import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.model.Model;
import ebnn.api.spi.CodeGenerator;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.CompileResult;
import ebnn.api.spi.GeneratedCode;
import ebnn.api.spi.ImportResult;
import ebnn.api.spi.ModelImporter;
import ebnn.testing.PaperModels;

public class DefaultToolchainTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A small but real code generator: one text file per block describing it, for AVR and ARM only. */
    static class ListingGenerator implements CodeGenerator {
        final Map<String, String> extra;

        ListingGenerator(Map<String, String> extra) {
            this.extra = extra;
        }

        public String id() {
            return "listing";
        }

        public String description() {
            return "block listing";
        }

        public boolean supports(Device d) {
            return d.arch() == Device.Arch.AVR || d.arch() == Device.Arch.ARM_CORTEX_M;
        }

        public GeneratedCode generate(BinaryModel model, MemoryPlan plan, CompileOptions options) {
            Map<String, String> files = new java.util.TreeMap<>(extra);
            for (int i = 0; i < model.blocks().size(); i++)
                files.put("blocks/" + i + ".txt", model.blocks().get(i).name() + " " + plan.blocks().get(i).weightBytes());
            return new GeneratedCode(files, "listing of " + model.blocks().size() + " blocks");
        }
    }

    static DefaultToolchain toolchain() {
        DefaultToolchain t = new DefaultToolchain();
        t.addBackend(new ListingGenerator(Map.of()));
        return t;
    }

    private static BinaryModel mlp;

    static synchronized BinaryModel mlp() {
        if (mlp == null)
            mlp = toolchain().lower(PaperModels.mlp128(1));
        return mlp;
    }

    @Test
    public void compileWritesTheFilesAndTheMemoryReport() throws IOException {
        Path out = tmp.getRoot().toPath().resolve("out");
        CompileResult r = toolchain().compile(mlp(), "listing", Device.named("cortex-m4"), out, CompileOptions.defaults());
        assertEquals(3, r.files().size());
        assertEquals("fc1 12800", Files.readString(out.resolve("blocks/0.txt")));
        String report = Files.readString(out.resolve(DefaultToolchain.MEMORY_REPORT));
        assertTrue(report, report.contains("on cortex-m4") && report.contains("listing of 2 blocks") && report.contains("fits"));
        assertEquals(r.plan().flashBytes(), toolchain().plan(mlp(), Device.named("cortex-m4")).flashBytes());
        // a second compile into the same folder refuses to overwrite unless forced
        try {
            toolchain().compile(mlp(), "listing", Device.named("cortex-m4"), out, CompileOptions.defaults());
            fail();
        } catch (BackendException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("refusing to overwrite"));
        }
        toolchain().compile(mlp(), "listing", Device.named("cortex-m4"), out, new CompileOptions(null, false, true, Map.of()));
    }

    @Test
    public void pathsLeavingTheOutputFolderAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path out = tmp.newFolder("out").toPath();
        for (String evil : List.of("../evil.c", "a/../../evil.c", "/tmp/evil.c", "a/./../../../evil.c", ".")) {
            try {
                DefaultToolchain.writeFiles(out, Map.of("ok.c", "x", evil, "y"), false);
                fail(evil);
            } catch (BackendException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("outside the output folder"));
            }
            assertFalse(Files.exists(out.resolve("ok.c")));
        }
        assertFalse(Files.exists(tmp.getRoot().toPath().resolve("evil.c")));
        // a symbolic link inside the folder pointing outside it
        Path outside = tmp.newFolder("outside").toPath();
        Files.createSymbolicLink(out.resolve("link"), outside);
        try {
            DefaultToolchain.writeFiles(out, Map.of("link/evil.c", "y"), false);
            fail();
        } catch (BackendException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("leads outside"));
        }
        assertFalse(Files.exists(outside.resolve("evil.c")));
        // a file symlink inside the folder, even with force
        Path target = outside.resolve("victim.txt");
        Files.writeString(target, "keep");
        Files.createSymbolicLink(out.resolve("model.c"), target);
        try {
            DefaultToolchain.writeFiles(out, Map.of("model.c", "overwritten"), true);
            fail();
        } catch (BackendException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("symbolic link"));
        }
        assertEquals("keep", Files.readString(target));
    }

 /** 784 -> 400 -> 10: 400 rows of 98 bytes = 39200 bytes of weights, more than an atmega328p's 32 KB flash. */
    static BinaryModel big() {
        java.util.Random r = new java.util.Random(1);
        double[] w1 = new double[784 * 400], w2 = new double[4000];
        for (int i = 0; i < w1.length; i++)
            w1[i] = r.nextBoolean() ? 1 : -1;
        for (int i = 0; i < w2.length; i++)
            w2[i] = r.nextBoolean() ? 1 : -1;
        Model m = new Model("big", ebnn.api.model.InputSpec.bytes(PaperModels.MNIST), List.of(new ebnn.api.model.Flatten("f"),
                new ebnn.api.model.Dense("fc1", 784, 400, ebnn.api.model.Params.of(w1), ebnn.api.model.Params.empty()),
                new ebnn.api.model.Sign("s"),
                new ebnn.api.model.Dense("fc2", 400, 10, ebnn.api.model.Params.of(w2), ebnn.api.model.Params.empty())));
        return toolchain().lower(m);
    }

    @Test
    public void overBudgetIsRefusedBeforeWritingUnlessForced() throws IOException {
        Path out = tmp.getRoot().toPath().resolve("avr");
        try {
            toolchain().compile(big(), "listing", Device.named("atmega328p"), out, CompileOptions.defaults());
            fail();
        } catch (BudgetExceededException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("atmega328p") && e.getMessage().contains("over by"));
        }
        assertFalse(Files.exists(out));
        CompileResult r = toolchain().compile(big(), "listing", Device.named("atmega328p"), out, new CompileOptions(null, false, true, Map.of()));
        assertTrue(r.report(), r.report().contains("DOES NOT FIT"));
    }

    /** A generator that knows its code needs more stack than the planner guesses (or that tries to cheat on data sizes). */
    static final class RefiningGenerator extends ListingGenerator {
        final long stack;
        final boolean cheat;

        RefiningGenerator(long stack, boolean cheat) {
            super(Map.of());
            this.stack = stack;
            this.cheat = cheat;
        }

        @Override
        public MemoryPlan refine(BinaryModel model, MemoryPlan p) {
            return new MemoryPlan(p.model(), p.device(), p.inputBytes(), p.bufferABytes() + (cheat ? 1 : 0), p.bufferBBytes(), p.scoreBytes(),
                    stack, p.codeBytes(), p.blocks());
        }
    }

    @Test
    public void backEndBoundsReplaceThePlannersEstimatesBeforeTheBudgetCheck() throws IOException {
        Device m4 = Device.named("cortex-m4");
        MemoryPlan planned = toolchain().plan(mlp(), m4);
        DefaultToolchain t = new DefaultToolchain();
        t.addBackend(new RefiningGenerator(planned.stackBytes() + 1000, false));
        CompileResult r = t.compile(mlp(), "listing", m4, tmp.getRoot().toPath().resolve("refined"), CompileOptions.defaults());
        assertEquals(planned.stackBytes() + 1000, r.plan().stackBytes());
        assertEquals(planned.ramBytes() + 1000, r.plan().ramBytes());
        assertTrue(r.report(), r.report().contains(String.valueOf(planned.ramBytes() + 1000)));
        assertEquals("ebnn:memory --backend shows what compile checks", r.plan(), t.plan(mlp(), m4, "listing"));
        assertEquals(planned, t.plan(mlp(), m4));

        // a refined stack that no longer fits is refused before anything is written, with the refined numbers
        long tooBig = m4.ramBytes() - planned.ramBytes() + planned.stackBytes() + 1;
        DefaultToolchain over = new DefaultToolchain();
        over.addBackend(new RefiningGenerator(tooBig, false));
        Path out = tmp.getRoot().toPath().resolve("over");
        try {
            over.compile(mlp(), "listing", m4, out, CompileOptions.defaults());
            fail();
        } catch (BudgetExceededException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("over by 1 "));
        }
        assertFalse(Files.exists(out));

        DefaultToolchain cheating = new DefaultToolchain();
        cheating.addBackend(new RefiningGenerator(planned.stackBytes(), true));
        try {
            cheating.compile(mlp(), "listing", m4, tmp.getRoot().toPath().resolve("cheat"), CompileOptions.defaults());
            fail();
        } catch (BackendException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("changed the planned data sizes"));
        }
    }

    @Test
    public void unknownOrUnsuitableBackEndsSayWhatExists() {
        DefaultToolchain t = toolchain();
        try {
            t.compile(mlp(), "nope", Device.named("cortex-m4"), tmp.getRoot().toPath(), CompileOptions.defaults());
            fail();
        } catch (NotFoundException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'nope'") && e.getMessage().contains("listing"));
        }
        try {
            t.compile(mlp(), "listing", Device.named("host"), tmp.getRoot().toPath(), CompileOptions.defaults());
            fail();
        } catch (BackendException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("does not support device host"));
        }
        try {
            t.engine("jvm");
            fail();
        } catch (NotFoundException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'jvm'"));
        }
        try {
            t.engine("listing");
            fail();
        } catch (NotFoundException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("generates code"));
        }
        ListingGenerator g = (ListingGenerator) t.backend("listing").get();
        t.removeBackend(g);
        assertTrue(t.backends().isEmpty());
        assertEquals(Device.BUILT_IN, t.devices());
        assertEquals("atmega328p", t.device("ATmega328P").name());
    }

    @Test
    public void importReadsEbnnFilesAndAsksImportersForOthers() throws IOException {
        DefaultToolchain t = toolchain();
        Model m = PaperModels.tfc(4);
        Path f = tmp.getRoot().toPath().resolve("tfc.ebnn");
        t.writeModel(m, f);
        assertEquals(m, t.importModel(f).model());
        // the magic is enough, whatever the name
        Path renamed = Files.copy(f, tmp.getRoot().toPath().resolve("model.bin"));
        assertEquals(m, t.importModel(renamed).model());

        Path other = tmp.getRoot().toPath().resolve("model.txt");
        Files.writeString(other, "hello", StandardCharsets.UTF_8);
        try {
            t.importModel(other);
            fail();
        } catch (UnsupportedModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no importer accepts") && e.getMessage().contains("ebnn"));
        }
        t.addImporter(new ModelImporter() {
            public String id() {
                return "txt";
            }

            public boolean accepts(Path file, byte[] head) {
                return new String(head, StandardCharsets.UTF_8).startsWith("hello");
            }

            public ImportResult read(Path file) {
                return new ImportResult(PaperModels.mlp128(9), List.of("read " + file.getFileName()));
            }
        });
        assertEquals("mlp-128", t.importModel(other).model().name());
        // content decides over the name: an importer that recognises the bytes wins over one that accepts the name
        t.addImporter(new ModelImporter() {
            public String id() {
                return "by-name";
            }

            public boolean accepts(Path file, byte[] head) {
                return file.getFileName().toString().endsWith(".onnx");
            }

            public ImportResult read(Path file) {
                return new ImportResult(PaperModels.tfc(1), List.of());
            }
        });
        t.addImporter(new ModelImporter() {
            public String id() {
                return "z-by-content";
            }

            public boolean accepts(Path file, byte[] head) {
                return false;
            }

            @Override
            public boolean recognizes(byte[] head) {
                return new String(head, StandardCharsets.UTF_8).startsWith("bnn\n");
            }

            public ImportResult read(Path file) {
                return new ImportResult(PaperModels.mlp128(2), List.of());
            }
        });
        Path misnamed = tmp.getRoot().toPath().resolve("model.onnx");
        Files.writeString(misnamed, "bnn\n32,32\n", StandardCharsets.UTF_8);
        assertEquals("mlp-128", t.importModel(misnamed).model().name());
        Path named = tmp.getRoot().toPath().resolve("real.onnx");
        Files.writeString(named, "not a def", StandardCharsets.UTF_8);
        assertEquals("tfc", t.importModel(named).model().name());
        try {
            t.importModel(tmp.getRoot().toPath().resolve("missing.ebnn"));
            fail();
        } catch (NotFoundException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("missing.ebnn"));
        }
        // a corrupt .ebnn file is a typed error
        Path bad = tmp.getRoot().toPath().resolve("bad.ebnn");
        Files.write(bad, new byte[] { 'E', 'B', 'N', 'N', 0, 0, 0 });
        try {
            t.importModel(bad);
            fail();
        } catch (EbnnException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("bad.ebnn"));
        }
    }
}
