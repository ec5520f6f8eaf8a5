package ebnn.train.spark;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import ebnn.testing.TestData;

/**
 * A search that cannot start says so in one {@code error: } line with exit status 1, within the
 * connect timeout: a closed port (nothing listens), a port that takes connections but never answers as
 * a Spark master (where Spark itself would retry for a minute), no master at all, a bad option.
 */
public class DiscoverOnSparkErrorsTest {
    private static List<String> search(String master, String timeout) {
        return List.of("--master", master, "--device", "atmega328p", "--data", TestData.data("mnist").toString(), "--connect-timeout", timeout);
    }

    private static void assertOneErrorLine(Cli.Run r, String expected) {
        assertEquals("exit status; stderr:\n" + r.stderr(), 1, r.exit());
        assertEquals("one line on stderr: " + r.stderr(), 1, r.errLines().size());
        String line = r.errLines().get(0);
        assertTrue(line, line.startsWith("error: " + expected));
        assertFalse("no Java class names: " + line, line.matches(".*\\b(java|org|scala)\\.[a-z]+\\..*") || line.contains("Exception"));
        assertEquals("nothing on stdout", "", r.stdout());
    }

    @Test
    public void aClosedPortFailsAtOnce() throws Exception {
        int port = StandaloneCluster.freePort(); // free, so closed: nothing listens on it
        String master = "spark://127.0.0.1:" + port;
        Cli.Run r = Cli.run(System.getProperty("java.class.path"), search(master, "5s"), 120);
        assertOneErrorLine(r, "cannot reach the Spark master " + master + " within 5 s: 127.0.0.1:" + port + " (Connection refused)");
    }

    @Test
    public void aPortThatNeverAnswersFailsWithinTheConnectTimeout() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true)
                        held.add(silent.accept()); // connections taken, nothing ever said
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String master = "spark://127.0.0.1:" + silent.getLocalPort();
            Cli.Run r = Cli.run(System.getProperty("java.class.path"), search(master, "3s"), 120);
            assertOneErrorLine(r, "the Spark master " + master + " did not accept this application within 3 s");
            assertTrue("the search connected (so the timeout, not a refusal, ended it)", !held.isEmpty());
        } finally {
            for (Socket s : held)
                s.close();
        }
    }

    @Test
    public void noMasterAndBadOptionsAreOneLineErrors() {
        String data = TestData.data("mnist").toString();
        assertInProcess(List.of("--device", "atmega328p", "--data", data), "no Spark master: give --master spark://HOST:7077");
        assertInProcess(List.of("--master", "local[1]", "--device", "no-such-device", "--data", data), "unknown device 'no-such-device'");
        assertInProcess(List.of("--master", "local[1]", "--device", "atmega328p", "--data", data, "--epochs", "0"), "--epochs must be a number > 0");
        assertInProcess(List.of("--master", "local[1]", "--device", "atmega328p", "--data", data, "--connect-timeout", "soon"),
                "--connect-timeout must be a duration");
        assertInProcess(List.of("--master", "spark://127.0.0.1:notaport", "--device", "atmega328p", "--data", data),
                "bad Spark master URL 'spark://127.0.0.1:notaport'");
        assertInProcess(List.of("--master", "local[1]", "--device", "atmega328p", "--data", "/no/such/dir"), "data not found: /no/such/dir");
        assertInProcess(List.of("--master", "local[1]", "--frobnicate"), "unknown option --frobnicate");
    }

    private static void assertInProcess(List<String> args, String expected) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = DiscoverOnSpark.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(args + ": " + e, 1, rc);
        assertEquals(args + ": one line: " + e, 1, e.lines().count());
        assertTrue(args + ": " + e, e.startsWith("error: " + expected));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
