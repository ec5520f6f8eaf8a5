package ebnn.api.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

import ebnn.api.EbnnException;
import ebnn.api.NotFoundException;

/**
 * The one place that turns an I/O failure into words for a person: what could not be done to which
 * path, and why, never an exception's class name ({@code NoSuchFileException: /x}).
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** Why an I/O operation failed, in a few words (e.g. "no such file or folder", "permission denied"). */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException)
            return "no such file or folder";
        if (e instanceof AccessDeniedException)
            return "permission denied";
        if (e instanceof FileAlreadyExistsException)
            return "it already exists";
        if (e instanceof NotDirectoryException)
            return "not a folder";
        if (e instanceof DirectoryNotEmptyException)
            return "the folder is not empty";
        if (e instanceof FileSystemLoopException)
            return "symbolic links form a loop";
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null && !f.getReason().isBlank())
                return lower(f.getReason());
            return "the file system refused";
        }
        if (e instanceof java.util.zip.ZipException || e instanceof java.io.EOFException)
            return "truncated or corrupt" + (e.getMessage() == null ? "" : " (" + lower(e.getMessage()) + ")");
        String m = e.getMessage();
        return m == null || m.isBlank() ? "input/output error" : lower(m);
    }

    /** The path an I/O failure names, when it names one. */
    public static Path path(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null)
            try {
                return Path.of(f.getFile());
            } catch (RuntimeException ignored) {
                return null;
            }
        return null;
    }

    /**
     * A typed error for a failed operation on {@code file}: "cannot VERB FILE: REASON" (with the
     * path the failure names when it is another, e.g. the folder). A missing file is a {@link NotFoundException}.
     */
    public static EbnnException of(String verb, Path file, IOException e) {
        Path other = path(e);
        String where = other != null && file != null && !other.equals(file) && !other.equals(file.toAbsolutePath()) ? " (" + other + ")" : "";
        String msg = "cannot " + verb + " " + (file != null ? file : other != null ? other : "the file") + ": " + reason(e)
                + (file != null ? where : "");
        return e instanceof NoSuchFileException ? new NotFoundException(msg) : new EbnnException(msg, e);
    }

    /** The same for an I/O failure wrapped unchecked. */
    public static EbnnException of(String verb, Path file, UncheckedIOException e) {
        return of(verb, file, e.getCause());
    }

    private static String lower(String s) {
        s = s.trim();
        return s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))
                ? Character.toLowerCase(s.charAt(0)) + s.substring(1) : s;
    }
}
