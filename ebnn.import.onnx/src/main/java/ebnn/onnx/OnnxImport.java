package ebnn.onnx;

import java.nio.file.Path;

import ebnn.api.spi.ImportResult;

/** An imported ONNX file together with how its graph input is fed. */
public record OnnxImport(ImportResult result, OnnxInput input) {

    /** Imports {@code file} (the same as the "onnx" ModelImporter) and describes its input. */
    public static OnnxImport read(Path file) {
        return ebnn.onnx.internal.OnnxImporter.inspect(file, null);
    }

    /**
     * Imports {@code file} taking its graph input to have the given range (null: what the file says or the importer assumes).
     *
     * @since 1.1
     */
    public static OnnxImport read(Path file, ebnn.api.model.InputRange range) {
        return ebnn.onnx.internal.OnnxImporter.inspect(file, range);
    }
}
