package ebnn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

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

import ebnn.api.spi.Toolchain;
import ebnn.itest.Container.Run;

/**
 * The shell without the trainer's bundle: it resolves and runs, {@code train} and {@code discover} are
 * simply absent (not listed, not run), and they appear when the trainer is installed and go when it
 * stops.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellWithoutTrainerTest {

    @Inject
    BundleContext context;

    @Inject
    CommandProcessor processor;

    @Inject
    Toolchain toolchain;

    @Configuration
    public Option[] config() {
        return Container.without("ebnn.train");
    }

    private Run run(String command) throws Exception {
        return Container.run(processor, command);
    }

    private static boolean lists(Run help, String name) {
        return help.out().lines().anyMatch(l -> l.startsWith("  " + name + " "));
    }

    @Test
    public void trainAndDiscoverComeAndGoWithTheTrainer() throws Exception {
        assertNull(Container.find(context, "ebnn.train"));
        assertEquals(Bundle.ACTIVE, Container.find(context, "ebnn.shell").getState());
        Run help = run("ebnn:help");
        assertEquals(help.err(), Integer.valueOf(0), help.status());
        assertTrue(help.out(), lists(help, "memory") && lists(help, "compile"));
        assertFalse(help.out(), lists(help, "train") || lists(help, "discover"));
        assertThrows("no ebnn:train without the trainer", Exception.class, () -> run("ebnn:train --list"));
        Run memory = run("ebnn:memory builtin:demo --device atmega328p");
        assertEquals(memory.err(), Integer.valueOf(0), memory.status());

        Bundle trainer = context.installBundle(Bundles.reference("ebnn.train"));
        trainer.start();
        try {
            for (int i = 0; i < 200 && !lists(run("ebnn:help"), "train"); i++)
                Thread.sleep(25);
            help = run("ebnn:help");
            assertTrue(help.out(), lists(help, "train") && lists(help, "discover"));
            Run list = run("ebnn:train --list");
            assertEquals(list.err(), Integer.valueOf(0), list.status());
            assertTrue(list.out(), list.out().contains("convpool-1"));
        } finally {
            trainer.stop();
        }
        help = run("ebnn:help");
        assertFalse(help.out(), lists(help, "train") || lists(help, "discover"));
        assertThrows(Exception.class, () -> run("ebnn:discover --help"));
        trainer.uninstall();
    }
}
