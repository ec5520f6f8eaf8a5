package ebnn.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ebnn.api.NotFoundException;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;

/**
 * Where tests find data and models: system property {@code ebnn.data} (the root pom's surefire
 * configuration sets it), else the environment variable {@code EBNN_DATA}, else {@code ../shared/data}
 * next to the repository (looked up from the module directory and from the repository root).
 * Models likewise with {@code ebnn.models} / {@code EBNN_MODELS} / {@code ../shared/models}.
 * A missing directory or file is a {@link NotFoundException} naming the path and how to set it.
 */
public final class TestData {
    private TestData() {
    }

    public static Path dataDir() {
        return locate("ebnn.data", "EBNN_DATA", "data");
    }

    public static Path modelsDir() {
        return locate("ebnn.models", "EBNN_MODELS", "models");
    }

    private static Path locate(String property, String env, String leaf) {
        String p = System.getProperty(property);
        if (p == null || p.isBlank())
            p = System.getenv(env);
        if (p != null && !p.isBlank())
            return Path.of(p).toAbsolutePath().normalize();
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        // module dir (/repo/module) -> ../../shared, repository root (/repo) -> ../shared
        for (Path candidate : List.of(here.resolve("../shared/" + leaf), here.resolve("../../shared/" + leaf)))
            if (Files.isDirectory(candidate))
                return candidate.normalize();
        return here.resolve("../shared/" + leaf).normalize();
    }

    /** A file or directory under the data directory; NotFoundException if it is not there. */
    public static Path data(String relative) {
        return existing(dataDir().resolve(relative), "ebnn.data", "EBNN_DATA");
    }

    /** A file under the models directory; NotFoundException if it is not there. */
    public static Path model(String relative) {
        return existing(modelsDir().resolve(relative), "ebnn.models", "EBNN_MODELS");
    }

    private static Path existing(Path p, String property, String env) {
        if (!Files.exists(p))
            throw new NotFoundException(p + " not found (set -D" + property + "=DIR or " + env + ")");
        return p;
    }

    /** The 10,000 MNIST test images. */
    public static Dataset mnistTest() {
        return Idx.load(data("mnist"), true);
    }

    /** The MNIST training images available here (train10k: the first 10,000). */
    public static Dataset mnistTrain() {
        return Idx.load(data("mnist"), false);
    }

    /** Fashion-MNIST test images, from the data directory or the system copy in /usr/share/datasets. */
    public static Dataset fashionMnistTest() {
        return Idx.load(fashionDir(), true);
    }

    public static Dataset fashionMnistTrain() {
        return Idx.load(fashionDir(), false);
    }

    /** The Fashion-MNIST IDX folder (train-* and t10k-*). */
    public static Path fashionDir() {
        Path local = dataDir().resolve("fashion-mnist");
        if (Files.isDirectory(local))
            return local;
        Path system = Path.of("/usr/share/datasets/fashion-mnist");
        if (Files.isDirectory(system))
            return system;
        throw new NotFoundException("Fashion-MNIST not found in " + local + " or " + system);
    }
}
