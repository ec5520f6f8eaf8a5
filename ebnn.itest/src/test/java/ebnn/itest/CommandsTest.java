package ebnn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import ebnn.api.NotFoundException;
import ebnn.api.command.Command;
import ebnn.api.command.CommandSpec;
import ebnn.api.command.Ctx;
import ebnn.api.spi.Toolchain;
import ebnn.itest.Container.Run;

/**
 * Each bundle brings its own commands, each declared once: what {@code ebnn:help}, {@code --help}, a
 * usage error and README's table say about a command is its registered {@link CommandSpec}, train
 * and discover are the trainer bundle's, and a command of any other bundle (here the test's own) is
 * an {@code ebnn:} command like the others for exactly as long as it is registered.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CommandsTest {

    @Inject
    BundleContext context;

    @Inject
    CommandProcessor processor;

    @Inject
    Toolchain toolchain; // the commands' services are up

    @Configuration
    public Option[] config() {
        return Container.options();
    }

    private Run run(String command) throws Exception {
        return Container.run(processor, command);
    }

    private Map<String, ServiceReference<Command>> registered() throws Exception {
        Map<String, ServiceReference<Command>> all = new TreeMap<>();
        for (ServiceReference<Command> r : context.getServiceReferences(Command.class, null))
            all.put(context.getService(r).spec().name(), r);
        return all;
    }

    @Test
    public void helpUsageAndErrorsAreEachCommandsDeclaration() throws Exception {
        Map<String, ServiceReference<Command>> all = registered();
        assertTrue(all.keySet().toString(), all.keySet().containsAll(List.of("help", "memory", "compile", "train", "discover")));
        Run list = run("ebnn:help");
        for (Map.Entry<String, ServiceReference<Command>> e : all.entrySet()) {
            CommandSpec spec = context.getService(e.getValue()).spec();
            String name = e.getKey();
            assertTrue(list.out(), list.out().contains("  " + name + " ") && list.out().contains(spec.summary()));
            Run help = run("ebnn:help " + name);
            assertEquals(help.err(), Integer.valueOf(0), help.status());
            assertEquals("ebnn:help " + name + " is the declaration's help", spec.helpText(), help.out());
            assertEquals("usage: ebnn:" + name + " " + spec.usage(), help.out().lines().findFirst().orElse(""));
            assertEquals(spec.helpText(), run("ebnn:" + name + " --help").out());
            Run wrong = run("ebnn:" + name + " --no-such-option");
            assertEquals(wrong.err(), Integer.valueOf(2), wrong.status());
            assertEquals(List.of("error: unknown option --no-such-option; known: " + String.join(", ", spec.optionNames().subList(0, spec.optionNames().size() - 1)),
                    "usage: ebnn:" + name + " " + spec.usage() + "   (ebnn:" + name + " --help for more)"), Container.lines(wrong.err()));
        }
        // train and discover come from the trainer's bundle, measure from the simulators' one, the others from the shell
        assertEquals("ebnn.measure", all.get("measure").getBundle().getSymbolicName());
        assertEquals("ebnn.train", all.get("train").getBundle().getSymbolicName());
        assertEquals("ebnn.train", all.get("discover").getBundle().getSymbolicName());
        assertEquals("ebnn.shell", all.get("memory").getBundle().getSymbolicName());
    }

    @Test
    public void theShellDoesNotImportTheTrainer() {
        String imports = Container.find(context, "ebnn.shell").getHeaders().get("Import-Package");
        assertNotNull(imports);
        assertTrue(imports, imports.contains("ebnn.api.command"));
        assertFalse(imports, imports.contains("ebnn.train"));
    }

    /** A command as a third party's bundle brings it: a service, nothing else. */
    private static final class Hello implements Command {
        static final CommandSpec SPEC = CommandSpec.command("hello-itest", "greets someone (a command of another bundle)")
                .argument("WHO", "whom to greet").flag("loud", "in capitals").flag("fail", "fail as commands fail").build();

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public int execute(Ctx ctx) {
            if (ctx.args().flag("fail"))
                throw new NotFoundException("nobody called " + ctx.args().positional(0));
            String s = "hello, " + ctx.args().positional(0);
            ctx.out().println(ctx.args().flag("loud") ? s.toUpperCase() : s);
            return OK;
        }
    }

    @Test
    public void anotherBundlesCommandIsAnEbnnCommandWhileRegistered() throws Exception {
        assertFalse(run("ebnn:help").out().contains("hello-itest"));
        ServiceRegistration<Command> reg = context.registerService(Command.class, new Hello(), null);
        try {
            Run help = run("ebnn:help");
            assertTrue(help.out(), help.out().contains("  hello-itest  " + Hello.SPEC.summary()));
            assertEquals(Hello.SPEC.helpText(), run("ebnn:help hello-itest").out());
            Run hello = run("ebnn:hello-itest world --loud");
            assertEquals(hello.err(), Integer.valueOf(0), hello.status());
            assertEquals("HELLO, WORLD\n", hello.out().replace("\r\n", "\n"));
            Run noWho = run("hello-itest");
            assertEquals(Integer.valueOf(2), noWho.status());
            assertEquals(List.of("error: missing WHO", "usage: ebnn:hello-itest WHO [--loud] [--fail]   (ebnn:hello-itest --help for more)"),
                    Container.lines(noWho.err()));
            Run failed = run("ebnn:hello-itest nobody --fail");
            assertEquals(Integer.valueOf(1), failed.status());
            assertEquals(List.of("error: nobody called nobody"), Container.lines(failed.err()));
        } finally {
            reg.unregister();
        }
        assertFalse(run("ebnn:help").out().contains("hello-itest"));
        assertThrows(Exception.class, () -> run("ebnn:hello-itest world"));
    }

    /** README's table of commands names every registered command once, each with the synopsis of its declaration. */
    @Test
    public void readmesCommandTableIsTheDeclarations() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md").toAbsolutePath().normalize());
        int start = readme.indexOf("## Commands");
        assertTrue("README has a section ## Commands", start >= 0);
        Map<String, String> rows = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| `ebnn:([a-z-]+)((?: [^`]*)?)` \\|.*");
        for (String line : readme.subList(start + 1, readme.size())) {
            if (line.startsWith("## "))
                break;
            Matcher m = row.matcher(line);
            if (m.matches())
                assertEquals("one row for " + m.group(1), null, rows.put(m.group(1), m.group(2).strip().replace("\\|", "|")));
        }
        Map<String, String> declared = new TreeMap<>();
        for (Map.Entry<String, ServiceReference<Command>> e : registered().entrySet())
            declared.put(e.getKey(), context.getService(e.getValue()).spec().synopsis());
        List<String> expected = new ArrayList<>();
        declared.forEach((n, s) -> expected.add("| `ebnn:" + n + (s.isEmpty() ? "" : " " + s.replace("|", "\\|")) + "` |"));
        assertEquals("README's rows should start\n" + String.join("\n", expected), declared, rows);
    }
}
