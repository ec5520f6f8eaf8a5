package ebnn.itest;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the reactor's bundle jars are: system property {@code ebnn.bundle.<artifactId>} (set by the pom), else ../<module>/target. */
final class Bundles {
    private Bundles() {
    }

    static File jar(String artifactId) {
        String p = System.getProperty("ebnn.bundle." + artifactId);
        if (p != null && !p.isEmpty() && new File(p).isFile())
            return new File(p).getAbsoluteFile();
        Path target = Path.of(System.getProperty("basedir", ".")).resolve("..").resolve(artifactId).resolve("target").normalize();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(target, artifactId + "-*.jar")) {
                for (Path j : ds) {
                    String n = j.getFileName().toString();
                    if (!n.endsWith("-sources.jar") && !n.endsWith("-tests.jar") && !n.endsWith("-javadoc.jar"))
                        return j.toFile().getAbsoluteFile();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("bundle " + artifactId + " not built: no -Debnn.bundle." + artifactId + " and no jar in " + target
                + " (run mvn install first)");
    }

    static String reference(String artifactId) {
        return "reference:" + jar(artifactId).toURI();
    }
}
