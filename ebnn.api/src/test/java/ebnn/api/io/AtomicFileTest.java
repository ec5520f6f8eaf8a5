package ebnn.api.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ebnn.api.EbnnException;
import ebnn.api.NotFoundException;

public class AtomicFileTest {
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void aNewFileGetsTheUmasksModeLikeAnyOtherNewFile() throws IOException {
        Path dir = tmp.getRoot().toPath();
        Path plain = Files.createFile(dir.resolve("plain")); // what the umask gives here
        Path written = dir.resolve("model.ebnn");
        AtomicFile.write(written, false, bytes("model"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
        assertEquals("model", Files.readString(written));
    }

    @Test
    public void aReplacedFileKeepsItsMode() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("m.ebnn");
        Files.write(f, bytes("old"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
        AtomicFile.write(f, true, bytes("new"));
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals("new", Files.readString(f));
    }

    @Test
    public void anExistingFileIsRefusedWithoutOverwrite() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("m.ebnn");
        Files.write(f, bytes("old"));
        try {
            AtomicFile.write(f, false, bytes("new"));
            fail();
        } catch (EbnnException e) {
            assertEquals("refusing to overwrite " + f + " (use --force to overwrite it)", e.getMessage());
        }
        assertEquals("old", Files.readString(f));
    }

    @Test
    public void aWriteThatFailsHalfwayLeavesTheOldFileWholeAndNoTemporaryFile() throws IOException {
        Path dir = tmp.getRoot().toPath();
        Path f = dir.resolve("m.ebnn");
        byte[] old = new byte[100_000];
        java.util.Arrays.fill(old, (byte) 7);
        Files.write(f, old);
        try {
            AtomicFile.write(f, true, out -> {
                out.write(new byte[50_000]);
                throw new FileSystemException(f.toString(), null, "No space left on device");
            });
            fail();
        } catch (EbnnException e) {
            assertEquals("cannot write " + f + ": no space left on device", e.getMessage());
        }
        assertArrayEquals(old, Files.readAllBytes(f));
        try (var list = Files.list(dir)) {
            assertEquals(List.of(f), list.toList());
        }
    }

    @Test
    public void checkedBeforeLongWork() throws IOException {
        Path dir = tmp.getRoot().toPath();
        try {
            AtomicFile.check(dir.resolve("no/such/x.ebnn"), true);
            fail();
        } catch (NotFoundException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("folder " + dir.resolve("no/such") + " does not exist"));
        }
        try {
            AtomicFile.check(dir, true);
            fail();
        } catch (EbnnException e) {
            assertEquals("cannot write " + dir + ": it is a folder", e.getMessage());
        }
        assertEquals(dir.resolve("x.ebnn"), AtomicFile.check(dir.resolve("x.ebnn"), false));
    }

    @Test
    public void ioFailuresInWordsNeverClassNames() {
        Path p = Path.of("/data/m.ebnn");
        EbnnException missing = FileErrors.of("read", p, new NoSuchFileException("/data/m.ebnn"));
        assertTrue(missing instanceof NotFoundException);
        assertEquals("cannot read /data/m.ebnn: no such file or folder", missing.getMessage());
        assertEquals("cannot write /data/m.ebnn: permission denied (/data)",
                FileErrors.of("write", p, new AccessDeniedException("/data")).getMessage());
        assertEquals("cannot access /x: no such file or folder", FileErrors.of("access", null, new NoSuchFileException("/x")).getMessage());
        for (IOException e : List.<IOException>of(new NoSuchFileException("/x"), new AccessDeniedException("/x"),
                new java.nio.file.FileAlreadyExistsException("/x"), new java.nio.file.NotDirectoryException("/x"), new java.io.EOFException(),
                new java.util.zip.ZipException("invalid stored block lengths"), new IOException()))
            assertFalse(FileErrors.of("read", p, e).getMessage(), FileErrors.of("read", p, e).getMessage().matches(".*(Exception|java\\.).*"));
    }
}
