package ebnn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import ebnn.api.spi.Backend;
import ebnn.api.spi.Toolchain;
import ebnn.itest.Container.Run;

/**
 * Bundles come and go while the shell is in use: stopping, updating and restarting the C back end or
 * the ONNX importer never leaves a stale service behind, and a command that runs while one is away
 * fails with one clear line ("back end 'c' not available", "no importer accepts"), never a stack trace.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleDynamicsTest {

    @Inject
    BundleContext context;

    @Inject
    Toolchain toolchain;

    @Inject
    CommandProcessor processor;

    @Configuration
    public Option[] config() {
        return Container.options();
    }

    private Run run(String command) throws Exception {
        return Container.run(processor, command);
    }

    private Run compileDemo(Path out) throws Exception {
        return run("ebnn:compile builtin:demo --backend c --device atmega328p --force --out " + out);
    }

    @Test
    public void cBackendStopUpdateRestartWhileShellIsUsed() throws Exception {
        Bundle c = Container.find(context, "ebnn.codegen.c");
        assertNotNull(c);
        Path dir = Files.createTempDirectory("ebnn-dyn");

        Run first = compileDemo(dir.resolve("first"));
        assertEquals(first.err(), Integer.valueOf(0), first.status());
        assertTrue(Files.isDirectory(dir.resolve("first")));

        // a user keeps compiling from another thread while the bundle is stopped, updated and restarted
        AtomicBoolean stop = new AtomicBoolean();
        List<Run> seen = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());
        Thread user = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                try {
                    seen.add(compileDemo(dir.resolve("loop" + (i++ % 3))));
                } catch (Throwable t) {
                    thrown.add(t);
                }
            }
        }, "ebnn-user");
        user.start();
        try {
            Thread.sleep(200);
            c.stop();
            assertFalse("no stale 'c' back end after stop", toolchain.backend("c").isPresent());
            assertEquals(0, context.getServiceReferences(Backend.class.getName(), "(ebnn.backend.id=c)") == null ? 0
                    : context.getServiceReferences(Backend.class.getName(), "(ebnn.backend.id=c)").length);
            Run away = compileDemo(dir.resolve("away"));
            assertEquals(away.err(), Integer.valueOf(1), away.status());
            assertEquals("one line: " + away.err(), 1, Container.lines(away.err()).size());
            assertTrue(away.err(), away.err().startsWith("error: ") && away.err().contains("back end 'c' not available"));
            assertFalse(away.err(), away.err().contains("\tat "));
            assertFalse(run("ebnn:backends").out().contains("\nc "));
            Thread.sleep(200);

            long before = c.getLastModified();
            c.update(); // same jar, new revision: the old revision's service must not survive
            c.start();
            awaitBackend("c");
            ServiceReference<?>[] refs = context.getServiceReferences(Backend.class.getName(), "(ebnn.backend.id=c)");
            assertNotNull(refs);
            assertEquals("exactly one 'c' back end after update", 1, refs.length);
            assertEquals(c, refs[0].getBundle());
            assertNotEquals(0, c.getLastModified());
            assertTrue(c.getLastModified() >= before);
            Thread.sleep(200);
        } finally {
            stop.set(true);
            user.join(60_000);
        }
        assertTrue("no exception escaped the shell: " + thrown, thrown.isEmpty());
        assertFalse(seen.isEmpty());
        for (Run r : seen) {
            assertNotNull(r.err(), r.status());
            if (r.status() != 0) {
                assertEquals(r.err(), Integer.valueOf(1), r.status());
                assertEquals("one line: " + r.err(), 1, Container.lines(r.err()).size());
                assertTrue(r.err(), r.err().contains("back end 'c' not available"));
            }
        }
        Run again = compileDemo(dir.resolve("again"));
        assertEquals(again.err(), Integer.valueOf(0), again.status());
        assertTrue(Files.list(dir.resolve("again")).anyMatch(p -> p.toString().endsWith(".c")));
        assertTrue(run("ebnn:backends").out().lines().anyMatch(l -> l.startsWith("c ")));
    }

    @Test
    public void onnxImporterStopAndRestart() throws Exception {
        Path onnx = Path.of(System.getProperty("ebnn.models", "../../shared/models"), "finn_build_dataflow_tfc_w1a1.onnx");
        assertTrue("reference model present: " + onnx, Files.isRegularFile(onnx));
        Bundle importer = Container.find(context, "ebnn.import.onnx");
        assertNotNull(importer);

        Run ok = run("ebnn:import " + onnx);
        assertEquals(ok.err(), Integer.valueOf(0), ok.status());

        importer.stop();
        try {
            Run away = run("ebnn:import " + onnx);
            assertEquals(away.err(), Integer.valueOf(1), away.status());
            assertEquals("one line: " + away.err(), 1, Container.lines(away.err()).size());
            assertTrue(away.err(), away.err().startsWith("error: ") && away.err().contains("no importer accepts"));
            // the rest of the shell keeps working
            assertEquals(Integer.valueOf(0), run("ebnn:memory builtin:demo --device atmega328p").status());
        } finally {
            importer.start();
        }
        for (int i = 0; i < 100 && run("ebnn:import " + onnx).status() != 0; i++)
            Thread.sleep(50);
        Run back = run("ebnn:import " + onnx);
        assertEquals(back.err(), Integer.valueOf(0), back.status());
        assertTrue(back.out(), back.out().toLowerCase().contains("multithreshold") || back.out().contains("MultiThreshold"));
    }

    private void awaitBackend(String id) throws InterruptedException {
        for (int i = 0; i < 200 && toolchain.backend(id).isEmpty(); i++)
            Thread.sleep(25);
        assertTrue("back end " + id + " registered again", toolchain.backend(id).isPresent());
    }
}
