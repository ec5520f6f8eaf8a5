package ebnn.api.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

import ebnn.api.EbnnException;
import ebnn.api.NotFoundException;

/**
 * Writes one file so that nothing is lost: {@link #check} before long work (the folder exists and
 * can be written, the file is not a folder, and is not there already unless overwriting is asked
 * for), then {@link #write}: the bytes go to a hidden temporary file in the same folder, which is
 * synced and renamed over the target in one step, so an interrupted write leaves any old file whole.
 * A new file gets the mode the user's umask gives (not the 0600 of a temporary file); a replaced one
 * keeps its mode.
 */
public final class AtomicFile {
    /** Writes the content to the stream it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Checks that {@code file} can be written now; returns its absolute path. Without
     * {@code overwrite} an existing file is refused ("use --force to overwrite it").
     */
    public static Path check(Path file, boolean overwrite) {
        Path abs = file.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir))
            throw new NotFoundException("cannot write " + file + ": folder " + dir + " does not exist");
        if (Files.isDirectory(abs))
            throw new EbnnException("cannot write " + file + ": it is a folder");
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !overwrite)
            throw new EbnnException("refusing to overwrite " + file + " (use --force to overwrite it)");
        if (!Files.isWritable(dir))
            throw new EbnnException("cannot write " + file + ": permission denied in folder " + dir);
        return abs;
    }

    /** Writes {@code bytes} to {@code file} atomically (see the class comment). */
    public static void write(Path file, boolean overwrite, byte[] bytes) {
        write(file, overwrite, out -> out.write(bytes));
    }

    /** Writes what {@code content} produces to {@code file} atomically (see the class comment). */
    public static void write(Path file, boolean overwrite, Content content) {
        Path abs = check(file, overwrite);
        Path dir = abs.getParent();
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            // CREATE_NEW with default attributes: the umask decides the mode, as for any program's new file
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            keepMode(abs, tmp);
            if (!overwrite && Files.exists(abs, LinkOption.NOFOLLOW_LINKS))
                throw new EbnnException("refusing to overwrite " + file + " (use --force to overwrite it)");
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw FileErrors.of("write", file, e);
        } finally {
            if (tmp != null)
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and named after the target
                }
        }
    }

    private static void keepMode(Path target, Path tmp) throws IOException {
        PosixFileAttributeView old = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (old == null || !Files.exists(target))
            return;
        Files.setPosixFilePermissions(tmp, old.readAttributes().permissions());
    }
}
