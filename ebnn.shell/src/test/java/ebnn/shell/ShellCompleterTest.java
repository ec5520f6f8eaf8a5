package ebnn.shell;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.junit.Test;

import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;

/** The interactive shell completes what the registered commands declare, whichever bundle they come from, and nothing else. */
public class ShellCompleterTest {

    /** A command as another bundle would bring it. */
    private static final Command HELLO = new Command() {
        private final CommandSpec spec = CommandSpec.command("hello", "greets").option("name", "WHO", "whom to greet").flag("loud", null).build();

        @Override
        public CommandSpec spec() {
            return spec;
        }

        @Override
        public int execute(Ctx ctx) {
            return OK;
        }
    };

    private final List<Command> registered = new ArrayList<>(List.of(HELLO));
    private final Interactive.ShellCompleter completer = new Interactive.ShellCompleter(() -> (Collection<Command>) registered);

    private List<String> complete(String... words) {
        List<String> w = List.of(words);
        ParsedLine line = new ParsedLine() {
            @Override
            public String word() {
                return w.get(w.size() - 1);
            }

            @Override
            public int wordCursor() {
                return word().length();
            }

            @Override
            public int wordIndex() {
                return w.size() - 1;
            }

            @Override
            public List<String> words() {
                return w;
            }

            @Override
            public String line() {
                return String.join(" ", w);
            }

            @Override
            public int cursor() {
                return line().length();
            }
        };
        List<Candidate> c = new ArrayList<>();
        completer.complete(null, line, c);
        return c.stream().map(Candidate::value).toList();
    }

    @Test
    public void namesAndOptionsComeFromTheRegisteredDeclarations() {
        assertEquals(List.of("hello", "exit", "quit"), complete("he"));
        assertEquals(List.of("--name", "--loud", "--help"), complete("hello", "--"));
        assertEquals(List.of("--name", "--loud", "--help"), complete("ebnn:hello", "--"));
        registered.clear(); // the bundle went away: so did its completion
        assertEquals(List.of("exit", "quit"), complete("he"));
    }
}
