package ebnn.api.command;

import ebnn.api.EbnnException;
import ebnn.api.io.FileErrors;

/** A failure as the one {@code error: ...} line people read: in words, never an exception's class name. */
public final class Errors {
    private Errors() {
    }

    /** One line for any failure. */
    public static String describe(Throwable e) {
        if (e instanceof EbnnException)
            return oneLine(e.getMessage());
        if (e instanceof java.io.IOException io)
            return oneLine(FileErrors.of("access", null, io).getMessage());
        if (e instanceof java.io.UncheckedIOException io)
            return oneLine(FileErrors.of("access", null, io).getMessage());
        if (e instanceof OutOfMemoryError)
            return "out of memory (java -Xmx4g -jar ... gives the JVM more)";
        if (e instanceof StackOverflowError)
            return "out of stack space (a model nested too deeply?)";
        String msg = e.getMessage();
        return "internal error" + (msg == null || msg.isBlank() ? "" : ": " + oneLine(msg)) + " (set EBNN_DEBUG=1 for the stack trace)";
    }

    /** Collapses a message to one line. */
    public static String oneLine(String s) {
        if (s == null)
            return "(no message)";
        return s.replaceAll("\\s*[\\r\\n]+\\s*", "; ").trim();
    }
}
