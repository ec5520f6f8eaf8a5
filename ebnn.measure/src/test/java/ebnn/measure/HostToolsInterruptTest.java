package ebnn.measure;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;

import ebnn.api.BackendException;

/**
 * Ctrl-C in the shell interrupts the running command's thread; a simulator run then stops with it
 * (the process is killed, the command fails with one line), rather than running on orphaned.
 */
public class HostToolsInterruptTest {
    @Test
    public void anInterruptedRunKillsItsProcess() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                HostTools.run(Path.of("."), 600, List.of("sleep", "300"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        ProcessHandle child = null;
        for (int i = 0; i < 200 && child == null; i++) {
            child = ProcessHandle.current().children().filter(h -> h.info().command().map(c -> c.endsWith("sleep")).orElse(false)).findFirst()
                    .orElse(null);
            if (child == null)
                Thread.sleep(25);
        }
        assertTrue("the simulator stand-in started", child != null);
        t.interrupt();
        t.join(60_000);
        assertFalse("the run returned after the interrupt", t.isAlive());
        assertTrue(String.valueOf(thrown.get()), thrown.get() instanceof BackendException);
        assertEquals("interrupted: stopped sleep", thrown.get().getMessage());
        child.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS); // a TimeoutException if it was left running
        assertFalse("the process was killed, not left running", child.isAlive());
    }
}
