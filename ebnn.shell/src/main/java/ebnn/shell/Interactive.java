package ebnn.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.jline.builtins.Completers.FileNameCompleter;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import ebnn.api.command.Command;

/**
 * The interactive shell on a terminal (JLine): line editing, history kept in a file, Tab completion
 * of command names, their options and file paths, and Ctrl-C stopping the running command rather
 * than the shell. Commands run in one Gogo session, as in the one-shot CLI.
 */
final class Interactive {
    /** Words the shell itself understands besides the ebnn commands. */
    private static final List<String> OWN = List.of("exit", "quit");

    private final CommandProcessor processor;
    private final Supplier<Collection<Command>> commands;

    Interactive(CommandProcessor processor, Supplier<Collection<Command>> commands) {
        this.processor = processor;
        this.commands = commands;
    }

    /** Where the history is kept: -Debnn.history=FILE, else $EBNN_HISTORY, else ~/.ebnn_history. */
    static Path historyFile() {
        String p = System.getProperty("ebnn.history");
        if (p == null || p.isEmpty())
            p = System.getenv("EBNN_HISTORY");
        return p != null && !p.isEmpty() ? Path.of(p) : Path.of(System.getProperty("user.home"), ".ebnn_history");
    }

    int run(PrintStream fallbackErr) {
        Terminal terminal;
        Thread me = Thread.currentThread();
        ClassLoader tccl = me.getContextClassLoader();
        try {
            // JLine finds its terminal providers through the context class loader: in OSGi, its own bundle's
            me.setContextClassLoader(TerminalBuilder.class.getClassLoader());
            terminal = TerminalBuilder.builder().name("ebnn").system(true).build();
        } catch (IOException e) {
            fallbackErr.println("error: cannot open the terminal: " + e.getMessage());
            return Command.FAILED;
        } finally {
            me.setContextClassLoader(tccl);
        }
        Path history = historyFile();
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("ebnn").completer(new ShellCompleter(commands))
                .variable(LineReader.HISTORY_FILE, history).variable(LineReader.HISTORY_SIZE, 1000)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' and '^' are ordinary characters in paths and specs
                .build();
        PrintStream out = new PrintStream(terminal.output(), true, terminal.encoding());
        CommandSession session = processor.createSession(terminal.input(), out, out);
        session.put("SCOPE", "ebnn:*");
        session.put(CommandRunner.TERMINAL, true);
        Interrupt interrupt = new Interrupt();
        session.put(Interrupt.VARIABLE, interrupt);
        terminal.handle(Terminal.Signal.INT, signal -> {
            if (interrupt.request()) {
                out.println();
                out.println("^C: stopping the command where it can stop cleanly (Ctrl-C again interrupts it now)");
            }
        });
        out.println("ebnn shell: 'help' lists the commands, Tab completes, Up recalls (history in " + history
                + "), Ctrl-C stops a command, 'exit' leaves.");
        try {
            while (true) {
                String line;
                try {
                    line = reader.readLine("ebnn> ");
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt drops the line
                } catch (EndOfFileException e) {
                    break;
                }
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#"))
                    continue;
                if (OWN.contains(line))
                    break;
                String name = line.split("\\s+", 2)[0];
                try {
                    Object result = session.execute(line);
                    if (result != null)
                        out.println(session.format(result, Converter.INSPECT));
                } catch (Exception e) {
                    Main.failure(e, name, out, names());
                }
            }
        } finally {
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                out.println("warning: cannot save the history to " + history + ": " + e.getMessage());
            }
            session.close();
            try {
                terminal.close();
            } catch (IOException e) {
                // leaving anyway
            }
        }
        return Command.OK;
    }

    private List<String> names() {
        List<String> n = new ArrayList<>();
        for (Command c : commands.get())
            n.add(c.spec().name());
        return n;
    }

    /** Command names first (of every bundle's registered commands, as now), then that command's options, else file paths. */
    static final class ShellCompleter implements Completer {
        private final Supplier<Collection<Command>> commands;
        private final Completer files = new FileNameCompleter();

        ShellCompleter(Supplier<Collection<Command>> commands) {
            this.commands = commands;
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            Collection<Command> all = commands.get();
            if (line.wordIndex() == 0) {
                for (Command c : all)
                    candidates.add(new Candidate(c.spec().name(), c.spec().name(), null, c.spec().summary(), null, null, true));
                for (String w : OWN)
                    candidates.add(new Candidate(w));
                return;
            }
            String first = line.words().get(0);
            String n = first.startsWith("ebnn:") ? first.substring(5) : first;
            Command c = all.stream().filter(x -> x.spec().name().equals(n)).findFirst().orElse(null);
            if (line.word().startsWith("-") && c != null) {
                for (String o : c.spec().optionNames())
                    candidates.add(new Candidate(o, o, null, null, null, null, true));
                return;
            }
            files.complete(reader, line, candidates);
        }
    }
}
