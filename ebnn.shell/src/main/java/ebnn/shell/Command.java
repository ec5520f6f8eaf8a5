package ebnn.shell;

/**
 * One {@code ebnn:*} Gogo command. Every command is a DS component registered under this interface
 * with {@code osgi.command.scope=ebnn} and {@code osgi.command.function=<name>}, so Gogo finds it
 * and {@code ebnn:help} lists it. Extend {@link AbstractCommand} rather than implementing this.
 */
public interface Command {
    /** Function name in the {@code ebnn} scope, e.g. "info". */
    String name();

    /** Arguments after the name, e.g. "MODEL --device D [--json]". */
    String usage();

    /** One line for people. */
    String summary();

    /** Extra lines explaining the options (may be empty). */
    default String details() {
        return "";
    }

    /** The options it accepts, with their dashes ({@code --device}), for the interactive shell's completion. */
    default java.util.List<String> optionNames() {
        return java.util.List.of();
    }
}
