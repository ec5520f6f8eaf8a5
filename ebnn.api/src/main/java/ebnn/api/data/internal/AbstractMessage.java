package ebnn.api.data.internal;

/** A library exception's message for a user, without the class name. */
final class AbstractMessage {
    private AbstractMessage() {
    }

    static String of(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? "corrupt or unsupported content" : m.replaceAll("\\s+", " ").trim();
    }
}
