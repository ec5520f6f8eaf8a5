package ebnn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.After;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The interactive shell as a person meets it: {@code java -jar ebnn.jar} on a real pseudo-terminal
 * (tmux), keys typed, the screen read back. Tab completes command names, options and paths; an
 * unknown command is answered with the closest names; Up recalls history kept across sessions; Ctrl-C
 * stops a training run at a batch boundary and the shell goes on. About 30 s: two JVM starts and a
 * few seconds of training before the interrupt.
 */
public class InteractiveShellTest {
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private final String prefix = "ebnn-itest-" + ProcessHandle.current().pid() + "-";
    private String socket = prefix + 1;
    private Path history;

    @BeforeClass
    public static void tmuxIsInstalled() throws Exception {
        ExportedAppTest.findJar();
        Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
        assertTrue("tmux runs (.ci/install-toolchains installs it)", p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0);
    }

    @After
    public void stop() throws Exception {
        for (String s : List.of(prefix + 1, prefix + 2)) {
            socket = s;
            tmux("kill-server");
        }
    }

    private String tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private void start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String line = "cd '" + tmp.getRoot() + "' && '" + java + "' -Debnn.history='" + history + "' -jar '" + ExportedAppTest.jar.getAbsolutePath()
                + "'; echo SHELL-EXITED $?; sleep 60";
        tmux("new-session", "-d", "-s", "t", "-x", "160", "-y", "50", line);
        waitFor("the prompt", s -> s.contains("ebnn> "), 60);
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-J", "-S", "-300", "-t", "t");
    }

    private String waitFor(String what, Predicate<String> p, int seconds) throws Exception {
        long end = System.currentTimeMillis() + seconds * 1000L;
        String s = screen();
        while (!p.test(s)) {
            if (System.currentTimeMillis() > end)
                throw new AssertionError("no " + what + " within " + seconds + " s; screen:\n" + s);
            Thread.sleep(100);
            s = screen();
        }
        return s;
    }

    private void keys(String... keys) throws Exception {
        List<String> a = new ArrayList<>(List.of("send-keys", "-t", "t"));
        a.addAll(List.of(keys));
        tmux(a.toArray(new String[0]));
    }

    /** Typed text, literally (no key names). */
    private void type(String text) throws Exception {
        tmux("send-keys", "-t", "t", "-l", text);
    }

    private static long count(String screen, String s) {
        return screen.lines().filter(l -> l.contains(s)).count();
    }

    @Test
    public void completesRecallsSuggestsAndInterrupts() throws Exception {
        history = tmp.getRoot().toPath().resolve("history");
        start();

        // command names complete
        type("dev");
        keys("Tab");
        waitFor("'devices' completed", s -> s.contains("ebnn> devices "), 10);
        keys("Enter");
        waitFor("the device table", s -> s.contains("atmega328p") && count(s, "ebnn> ") == 2, 30);

        // a command of another bundle (discover is the trainer's) completes like the shell's own, options too
        type("disc");
        keys("Tab");
        waitFor("'discover' completed", s -> s.contains("ebnn> discover "), 10);
        keys("C-u");
        type("discover --time-b"); // not "--time-b" alone: tmux would take it for its own option
        keys("Tab");
        waitFor("'--time-budget' completed", s -> s.contains("ebnn> discover --time-budget "), 10);
        keys("C-u");

        // options of the command complete, and the command runs with them
        type("memory builtin:demo --dev");
        keys("Tab");
        waitFor("'--device' completed", s -> s.contains("ebnn> memory builtin:demo --device "), 10);
        type("atmega328p");
        keys("Enter");
        waitFor("the memory plan", s -> s.contains("flash") && count(s, "ebnn> ") == 3, 30);

        // file paths complete
        Path model = tmp.getRoot().toPath().resolve("a-demo-model.ebnn");
        type("export builtin:demo " + model);
        keys("Enter");
        waitFor("the export", s -> s.contains("wrote model") && count(s, "ebnn> ") == 4, 30);
        type("info " + tmp.getRoot() + "/a-dem");
        keys("Tab");
        waitFor("the path completed", s -> s.contains("ebnn> info " + model + " "), 10);
        keys("Enter");
        waitFor("the model's info", s -> count(s, "ebnn> ") == 5, 30);

        // an unknown command: the closest names, and the shell goes on
        type("infoo");
        keys("Enter");
        String s = waitFor("the answer to a typo", x -> count(x, "ebnn> ") == 6, 10);
        assertTrue(s, s.contains("error: unknown command 'infoo'; did you mean info?"));

        // Ctrl-C stops training at a batch boundary, writes nothing, and the shell stays
        Path out = tmp.getRoot().toPath().resolve("interrupted.ebnn");
        String data = ExportedAppTest.mnist().toString();
        type("train --arch convpool-2 --data " + data + " --epochs 30 --out " + out);
        keys("Enter");
        waitFor("the progress bar within the first epoch", x -> x.matches("(?s).*convpool-2 epoch 1/30 \\[=*\\s*\\] [0-9,]+/10,000 .*samples/s.*ETA.*loss.*"), 120);
        keys("C-c");
        s = waitFor("the interrupted training", x -> count(x, "ebnn> ") == 7, 60);
        assertTrue(s, s.matches("(?s).*error: convpool-2: training interrupted at epoch 1 of 30, after [0-9,]+ of 10,000 samples; nothing written.*"));
        assertFalse("nothing written", Files.exists(out));
        type("backends");
        keys("Enter");
        s = waitFor("the shell still answering", x -> count(x, "ebnn> ") == 8, 30);
        assertTrue(s, s.contains("jvm"));

        // arrow keys edit the line, not print escapes: Up Up recalls 'train ...', Ctrl-U clears it
        keys("Up");
        waitFor("'backends' recalled", x -> x.trim().endsWith("ebnn> backends"), 10);
        keys("C-u");
        type("exit");
        keys("Enter");
        s = waitFor("the shell's exit", x -> x.contains("SHELL-EXITED"), 30);
        assertTrue(s, s.contains("SHELL-EXITED 0"));
        assertFalse(s, s.contains("^[["));
        List<String> saved = Files.readAllLines(history).stream().map(l -> l.replaceFirst("^[0-9]+:", "")).toList();
        assertTrue(saved.toString(), saved.contains("infoo") && saved.contains("backends") && saved.get(saved.size() - 1).equals("exit"));

        // history survives the session: a new shell recalls the last lines
        tmux("kill-server");
        socket = prefix + 2; // a new tmux server: the old one may still be going away
        start();
        keys("Up", "Up");
        waitFor("'backends' recalled from the last session", x -> x.trim().endsWith("ebnn> backends"), 10);
        keys("C-u");
        type("exit");
        keys("Enter");
        waitFor("the shell's exit", x -> x.contains("SHELL-EXITED 0"), 30);
    }
}
