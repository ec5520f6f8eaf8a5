package ebnn.api.spi;

import java.nio.file.Path;

import ebnn.api.model.Model;

/**
 * Writes a float-level model in a foreign format (e.g. standard-op ONNX) so that models made or
 * imported here reach other tools. Register as a service with property {@value #ID_PROPERTY}.
 * Failures are {@link ebnn.api.EbnnException}s.
 */
public interface ModelWriter {
    String ID_PROPERTY = "ebnn.writer.id";

    /** Short identifier, e.g. "onnx". */
    String id();

    /** Whether this writer produces files named like {@code file} (e.g. by the ".onnx" extension). */
    boolean accepts(Path file);

    void write(Model model, Path file);
}
