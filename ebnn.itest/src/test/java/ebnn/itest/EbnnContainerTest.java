package ebnn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import ebnn.api.Device;
import ebnn.api.spi.Backend;
import ebnn.api.spi.InferenceEngine;
import ebnn.api.spi.Toolchain;
import ebnn.itest.Container.Run;

/**
 * ebnn in a real Felix: the bundles resolve and start, the services are in the registry, the shell
 * commands run through Gogo's CommandProcessor, a back end installed at runtime appears in
 * {@code ebnn:backends} and disappears when stopped, and a bad model file is one clear line.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EbnnContainerTest {

    static final String[] EBNN = Container.EBNN;

    @Inject
    BundleContext context;

    @Inject
    Toolchain toolchain;

    @Inject
    @Filter("(ebnn.backend.id=jvm)")
    Backend jvm;

    @Inject
    CommandProcessor processor;

    @Configuration
    public Option[] config() {
        return Container.options();
    }

    Run run(String command) throws Exception {
        return Container.run(processor, command);
    }

    @Test
    public void ebnnBundlesResolveAndStart() {
        for (String name : EBNN) {
            Bundle b = find(name);
            assertNotNull("bundle " + name + " is installed", b);
            assertEquals("bundle " + name + " is active", Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    public void toolchainAndJvmBackendAreServices() throws Exception {
        assertNotNull(toolchain);
        assertEquals("jvm", jvm.id());
        assertTrue("jvm is an in-process engine", jvm instanceof InferenceEngine);
        ServiceReference<?>[] refs = context.getServiceReferences(Backend.class.getName(), "(ebnn.backend.id=jvm)");
        assertNotNull(refs);
        assertTrue(toolchain.backend("jvm").isPresent());
        assertTrue(toolchain.devices().stream().anyMatch(d -> d.name().equals("atmega328p")));
    }

    @Test
    public void devicesCommandListsBuiltInDevices() throws Exception {
        Run r = run("ebnn:devices");
        assertEquals(r.err(), Integer.valueOf(0), r.status());
        for (Device d : Device.BUILT_IN)
            assertTrue(d.name() + " in " + r.out(), r.out().contains(d.name()));
        Run json = run("ebnn:devices --json");
        assertTrue(json.out(), json.out().trim().startsWith("[") && json.out().contains("\"atmega328p\""));
    }

    @Test
    public void backendInstalledAtRuntimeAppearsAndDisappears() throws Exception {
        Run before = run("ebnn:backends");
        assertEquals(Integer.valueOf(0), before.status());
        assertTrue(before.out(), before.out().contains("jvm"));
        assertFalse(before.out(), before.out().contains("example"));

        Bundle example = context.installBundle(Bundles.reference("ebnn.example.backend"));
        try {
            example.start();
            Run started = run("ebnn:backends");
            assertTrue("example back end listed while started:\n" + started.out(), lines(started.out()).stream().anyMatch(l -> l.startsWith("example ")));
            assertTrue(toolchain.backend("example").isPresent());

            Path out = Files.createTempDirectory("ebnn-itest");
            Run compiled = run("ebnn:compile builtin:demo --backend example --device atmega328p --out " + out);
            assertEquals(compiled.err(), Integer.valueOf(0), compiled.status());
            assertTrue(Files.exists(out.resolve("demo_7seg.txt")));

            example.stop();
            Run stopped = run("ebnn:backends");
            assertFalse("example back end gone after stop:\n" + stopped.out(), stopped.out().contains("example"));
            assertTrue(stopped.out().contains("jvm"));
            assertFalse(toolchain.backend("example").isPresent());
        } finally {
            example.uninstall();
        }
    }

    @Test
    public void badModelFileIsOneLineAndFrameworkKeepsRunning() throws Exception {
        Path bad = Files.createTempFile("bad", ".ebnn");
        Files.write(bad, new byte[] { 'n', 'o', 't', ' ', 'a', ' ', 'm', 'o', 'd', 'e', 'l', 0, 1, 2, 3, (byte) 0xff });
        Run r = run("ebnn:info " + bad);
        assertEquals(Integer.valueOf(1), r.status());
        List<String> errLines = lines(r.err());
        assertEquals("one line on stderr: " + r.err(), 1, errLines.size());
        assertTrue(r.err(), errLines.get(0).startsWith("error: "));
        assertFalse("no stack trace: " + r.err(), r.err().contains("\tat "));

        Run missing = run("ebnn:info " + bad + ".missing");
        assertEquals(Integer.valueOf(1), missing.status());
        assertTrue(missing.err(), missing.err().startsWith("error: ") && missing.err().contains("not found"));

        Run device = run("ebnn:memory builtin:demo --device pdp11");
        assertEquals(Integer.valueOf(1), device.status());
        assertTrue(device.err(), device.err().contains("pdp11"));

        Run usage = run("ebnn:memory builtin:demo");
        assertEquals(Integer.valueOf(2), usage.status());

        // still alive
        for (String name : EBNN)
            assertEquals(Bundle.ACTIVE, find(name).getState());
        assertEquals(Integer.valueOf(0), run("ebnn:devices").status());
    }

    @Test
    public void infoMemoryAndDemoOnBuiltInModel() throws Exception {
        Path file = Files.createTempDirectory("ebnn-itest").resolve("demo.ebnn");
        Run export = run("ebnn:export builtin:demo " + file);
        assertEquals(export.err(), Integer.valueOf(0), export.status());
        Run info = run("ebnn:info " + file);
        assertEquals(info.err(), Integer.valueOf(0), info.status());
        assertTrue(info.out(), info.out().contains("conv2d") && info.out().contains("lowered to"));
        Run memory = run("ebnn:memory " + file + " --device atmega328p");
        assertEquals(memory.err(), Integer.valueOf(0), memory.status());
        assertTrue(memory.out(), memory.out().contains("fits"));
        Run cBounds = run("ebnn:memory " + file + " --device atmega328p --backend c");
        assertEquals(cBounds.err(), Integer.valueOf(0), cBounds.status());
        assertTrue(cBounds.out(), cBounds.out().contains("fits"));
        Run noSuch = run("ebnn:memory " + file + " --device atmega328p --backend nope");
        assertEquals(Integer.valueOf(1), noSuch.status());
        assertTrue(noSuch.err(), noSuch.err().contains("back end 'nope' not available"));
        Run demo = run("ebnn:demo --count 50");
        assertEquals(demo.err(), Integer.valueOf(0), demo.status());
        assertTrue(demo.out(), demo.out().contains("agree on 50 of 50"));
        Run help = run("ebnn:help");
        assertTrue(help.out(), help.out().contains("memory") && help.out().contains("backends"));
    }

    private Bundle find(String symbolicName) {
        return Container.find(context, symbolicName);
    }

    private static List<String> lines(String s) {
        return Container.lines(s);
    }
}
