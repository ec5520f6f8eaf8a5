package ebnn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * examples/embedding/plain-java, built by Maven with the one dependency io.ebnn:ebnn.embed and run
 * with the class path Maven resolves for it: the jars it needs come along, nothing else is added.
 */
public class PlainJavaEmbeddingTest {
    @Test
    public void buildsAndClassifiesTheDigits() throws Exception {
        Path dir = Examples.build("plain-java", "package", "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:build-classpath",
                "-Dmdep.outputFile=classpath.txt");
        String cp = dir.resolve("target/classes") + File.pathSeparator + Files.readString(dir.resolve("classpath.txt")).trim();
        Path out = dir.resolve("uno");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp, "example.ClassifyDigits",
                Examples.root().resolve("examples/models/convpool-1.ebnn").toString(), Examples.root().resolve("examples/digits").toString(),
                out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(text, 0, p.exitValue());
        assertTrue(text, text.contains("16 of 16 digits right"));
        assertTrue(text, text.matches("(?s).*atmega328p: flash \\d+ B, RAM \\d+ B, fits.*"));
        try (var files = Files.list(out)) {
            assertTrue("C sources written", files.anyMatch(f -> f.toString().endsWith(".c")));
        }
    }
}
