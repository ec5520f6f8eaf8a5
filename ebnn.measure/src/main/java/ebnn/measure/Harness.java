package ebnn.measure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import ebnn.api.BackendException;

/**
 * The simulator harnesses of the repository's targets/ folder (the same files the back ends' tests
 * build), packed into this bundle by its pom and written out next to a measurement's build.
 */
final class Harness {
    private Harness() {
    }

    /** Writes targets/{@code relative} (e.g. "avr/simavr_run.c") into {@code dir}; returns the file. */
    static Path extract(String relative, Path dir) {
        String resource = "/ebnn/measure/targets/" + relative;
        try (InputStream in = Harness.class.getResourceAsStream(resource)) {
            if (in == null)
                throw new BackendException("this ebnn.measure bundle lacks its harness file " + relative + " (a broken build)");
            Path f = dir.resolve(relative);
            Files.createDirectories(f.getParent());
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
            return f;
        } catch (IOException e) {
            throw new BackendException("cannot write the harness file " + relative + " to " + dir + ": " + e.getMessage(), e);
        }
    }
}
