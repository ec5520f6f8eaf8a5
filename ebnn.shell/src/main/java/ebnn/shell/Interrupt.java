package ebnn.shell;

/**
 * Ctrl-C for the command that is running in an interactive session (session variable
 * {@value #VARIABLE}). The first request asks the command to stop where it cleanly can (training at a
 * batch boundary, see {@link ebnn.api.command.Ctx#cancelled()}); a second one also interrupts its thread.
 */
public final class Interrupt {
    /** Session variable holding the session's {@link Interrupt}. */
    public static final String VARIABLE = "ebnn.interrupt";

    private volatile boolean requested;
    private volatile Thread running;

    /** Called by the command about to run on this thread: clears an earlier request. */
    void start(Thread thread) {
        requested = false;
        running = thread;
    }

    /** Called when the command returned. */
    void finish() {
        running = null;
        requested = false;
        Thread.interrupted(); // a late second Ctrl-C must not leak into the next command
    }

    /** Ctrl-C: returns true when a command was running. */
    public boolean request() {
        Thread t = running;
        if (t == null)
            return false;
        if (requested)
            t.interrupt();
        requested = true;
        return true;
    }

    public boolean requested() {
        return requested;
    }
}
