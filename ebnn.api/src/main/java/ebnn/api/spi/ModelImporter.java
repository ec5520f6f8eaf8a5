package ebnn.api.spi;

import java.nio.file.Path;

/**
 * Reads a model file into the float-level IR. Register as a service with property
 * {@value #ID_PROPERTY}. Implementations must turn every malformed or hostile input into an
 * {@link ebnn.api.EbnnException} subclass (never another exception, never an OOM or hang).
 */
public interface ModelImporter {
    String ID_PROPERTY = "ebnn.importer.id";

    /** Short identifier, e.g. "onnx" or "ebnn". */
    String id();

    /** Whether this importer reads the file, judged from its name and first bytes (at most 64). */
    boolean accepts(Path file, byte[] head);

    ImportResult read(Path file);
}
