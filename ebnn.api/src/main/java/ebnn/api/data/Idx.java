package ebnn.api.data;

import java.nio.file.Files;
import java.nio.file.Path;

import ebnn.api.NotFoundException;

/** MNIST-style IDX folders and files read whole, through {@link DataReaders}; bytes as stored (range 0..255). */
public final class Idx {
    private Idx() {
    }

    /**
     * The test ("t10k") or training ("train", "train10k") split of a folder holding MNIST-style names
     * ({@code t10k-images-idx3-ubyte[.gz]} and {@code t10k-labels-idx1-ubyte[.gz]}).
     */
    public static Dataset load(Path dir, boolean test) {
        if (!Files.isDirectory(dir))
            throw new NotFoundException("data directory not found: " + dir);
        return DataReaders.readAll(dir, DataOptions.raw().withTraining(!test), Long.MAX_VALUE, true);
    }

    /** An images file and its label file as one dataset. */
    public static Dataset read(String name, Path images, Path labels) {
        Dataset d = DataReaders.readAll(images, DataOptions.raw().withLabels(labels), Long.MAX_VALUE, true);
        return new Dataset(name, d.shape(), d.count(), d.samples(), d.labels());
    }
}
