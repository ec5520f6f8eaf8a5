package ebnn.onnx.internal;

import java.nio.file.Path;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.onnx.proto.OnnxMl.ModelProto;
import ebnn.api.EbnnException;
import ebnn.api.InvalidModelException;
import ebnn.api.model.InputRange;
import ebnn.api.spi.ImportResult;
import ebnn.api.spi.ModelImporter;

/** The "onnx" ModelImporter: standard-op, QONNX/Brevitas and FINN binarized networks. */
@Component(service = ModelImporter.class, property = ModelImporter.ID_PROPERTY + "=onnx")
public class OnnxImporter implements ModelImporter {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxImporter.class);

    @Override
    public String id() {
        return "onnx";
    }

    @Override
    public boolean accepts(Path file, byte[] head) {
        String name = file == null || file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".onnx"))
            return true;
        if (name.endsWith(".ebnn"))
            return false;
        return OnnxFiles.looksLikeOnnx(head);
    }

    @Override
    public ImportResult read(Path file) {
        return read(file, null);
    }

    @Override
    public ImportResult read(Path file, InputRange range) {
        return inspect(file, range).result();
    }

    /** Translates an already parsed model; every failure is an EbnnException naming the file. */
    public static ImportResult translate(ModelProto m, String name, String where) {
        return inspect(m, name, where, null).result();
    }

    public static ebnn.onnx.OnnxImport inspect(Path file, InputRange range) {
        ModelProto m = OnnxFiles.read(file);
        String name = file.getFileName() == null ? "model" : file.getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
        return inspect(m, name, file.toString(), range);
    }

    static ebnn.onnx.OnnxImport inspect(ModelProto m, String name, String where, InputRange range) {
        if (name.isEmpty() || name.length() > 256)
            name = "model";
        try {
            GraphWalker t = new GraphWalker(m, name, range);
            ImportResult r = t.translate();
            LOG.debug("imported {}: {}", where, r.report());
            return new ebnn.onnx.OnnxImport(r, t.input());
        } catch (EbnnException e) {
            throw e;
        } catch (RuntimeException e) {
            // a malformed graph that slipped past the checks: still a typed error, never a bare stack trace
            throw new InvalidModelException(where + ": malformed ONNX graph (" + e + ")");
        } catch (OutOfMemoryError e) {
            throw new InvalidModelException(where + ": the ONNX graph needs more memory than available to import");
        }
    }
}
