package ebnn.train.spark;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ebnn.api.data.Dataset;

/** Writes IDX files (the MNIST format) for the command-line tests' own data folders. */
final class IdxFiles {
    private IdxFiles() {
    }

    static void write(Path dir, String prefix, Dataset d) throws IOException {
        try (DataOutputStream img = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")));
                DataOutputStream lab = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte")))) {
            img.writeInt(0x803);
            img.writeInt(d.count());
            img.writeInt(d.shape().height());
            img.writeInt(d.shape().width());
            img.write(d.samples());
            lab.writeInt(0x801);
            lab.writeInt(d.count());
            lab.write(d.labels());
        }
    }
}
