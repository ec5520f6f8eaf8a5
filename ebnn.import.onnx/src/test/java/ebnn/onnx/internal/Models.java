package ebnn.onnx.internal;

import java.nio.file.Path;

/** Where the real model files are (system property ebnn.models, set by the root pom). */
final class Models {
    private Models() {
    }

    static Path dir() {
        String p = System.getProperty("ebnn.models");
        if (p == null)
            p = System.getenv().getOrDefault("EBNN_MODELS", "../../shared/models");
        return Path.of(p);
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    static Path data() {
        String p = System.getProperty("ebnn.data");
        if (p == null)
            p = System.getenv().getOrDefault("EBNN_DATA", "../../shared/data");
        return Path.of(p);
    }
}
