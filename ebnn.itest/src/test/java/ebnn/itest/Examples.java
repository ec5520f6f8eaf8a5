package ebnn.itest;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds an example of examples/embedding with Maven as its user would, against this reactor's jars:
 * they are laid out in a private local repository (target/embedding-m2, as {@code mvn install} would
 * put them, without touching the shared one), and everything else (plugins, protobuf, SLF4J) comes
 * from this machine's local repository through a file mirror, so no network is needed.
 */
final class Examples {
    static final String VERSION = "0.1.0-SNAPSHOT";
    /** What io.ebnn:ebnn.embed brings, and the parent POM their POMs name. */
    static final String[] ARTIFACTS = { "ebnn.api", "ebnn.core", "ebnn.runtime.java", "ebnn.import.onnx", "ebnn.codegen.c",
            "ebnn.codegen.arm-cmsis", "ebnn.embed" };

    private Examples() {
    }

    static Path root() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("..").normalize();
    }

    private static Path target() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target");
    }

    /** The private local repository with the reactor's artifacts, laid anew. */
    static Path repository() throws IOException {
        Path repo = target().resolve("embedding-m2");
        Path ebnn = repo.resolve("io/ebnn");
        if (Files.isDirectory(ebnn))
            try (Stream<Path> s = Files.walk(ebnn)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList())
                    Files.delete(p);
            }
        copy(root().resolve("pom.xml"), ebnn.resolve("ebnn/" + VERSION + "/ebnn-" + VERSION + ".pom"));
        for (String a : ARTIFACTS) {
            Path dir = ebnn.resolve(a + "/" + VERSION);
            copy(root().resolve(a).resolve("pom.xml"), dir.resolve(a + "-" + VERSION + ".pom"));
            copy(Bundles.jar(a).toPath(), dir.resolve(a + "-" + VERSION + ".jar"));
        }
        return repo;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Copies the example to target/examples/NAME and runs Maven there with the goals; returns the copy. */
    static Path build(String name, String... goals) throws Exception {
        Path repo = repository();
        Path local = Path.of(System.getProperty("ebnn.m2.local", System.getProperty("user.home") + "/.m2/repository"));
        Path settings = target().resolve("embedding-settings.xml");
        Files.writeString(settings, "<settings><mirrors><mirror><id>this-machine</id><mirrorOf>*</mirrorOf><url>" + local.toUri()
                + "</url></mirror></mirrors></settings>\n");
        Path dir = target().resolve("examples").resolve(name);
        Path src = root().resolve("examples/embedding").resolve(name);
        if (Files.isDirectory(dir))
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList())
                    Files.delete(p);
            }
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList())
                if (Files.isRegularFile(p) && !src.relativize(p).startsWith("target"))
                    copy(p, dir.resolve(src.relativize(p).toString()));
        }
        List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-q", "-s", settings.toString(), "-Dmaven.repo.local=" + repo));
        cmd.addAll(List.of(goals));
        File log = dir.resolve("build.log").toFile();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the build of examples/embedding/" + name + " timed out");
        }
        if (p.exitValue() != 0)
            throw new AssertionError("mvn " + String.join(" ", goals) + " failed in examples/embedding/" + name + ":\n"
                    + Files.readString(log.toPath(), StandardCharsets.UTF_8));
        return dir;
    }
}
