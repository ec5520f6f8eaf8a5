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

    /**
     * Whether the first bytes (at most 64) are this importer's format whatever the file is called:
     * the content probe. The Toolchain asks every importer this first and falls back to
     * {@link #accepts} (which may go by the name) only when no importer recognises the content,
     * so a file whose name says one format and whose bytes another goes to the importer of its
     * bytes. Default: no content probe.
     *
     * @since 1.3
     */
    default boolean recognizes(byte[] head) {
        return false;
    }

    ImportResult read(Path file);

    /**
     * Reads the file taking its input to have the given range ({@code null}: what the file says, or
     * what the importer assumes). Default: {@link #read(Path)} with the range put on the model.
     *
     * @since 1.2
     */
    default ImportResult read(Path file, ebnn.api.model.InputRange range) {
        ImportResult r = read(file);
        if (range == null)
            return r;
        ebnn.api.model.Model m = r.model();
        java.util.List<String> report = new java.util.ArrayList<>(r.report());
        report.add("input range " + ebnn.api.model.InputRange.text(range.low(), range.high()) + " (given with --input-range)");
        return new ImportResult(new ebnn.api.model.Model(m.name(), range.applyTo(m.input()), m.layers(), m.labels()), report);
    }
}
