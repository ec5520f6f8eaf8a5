package ebnn.api.spi;

import java.util.Map;
import java.util.TreeMap;

import ebnn.api.BackendException;

/**
 * Files a code generator produced: relative paths ('/'-separated, no '..', no absolute paths) to
 * their text, and a human-readable memory report.
 */
public record GeneratedCode(Map<String, String> files, String report) {
    public GeneratedCode {
        files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        for (String path : files.keySet())
            checkRelative(path);
    }

    /** Refuses a path that is absolute, empty, or steps outside the output folder. */
    public static String checkRelative(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")
                || path.matches("^[A-Za-z]:.*"))
            throw new BackendException("generated file path is not a plain relative path: " + path);
        for (String part : path.split("/"))
            if (part.isEmpty() || part.equals(".") || part.equals(".."))
                throw new BackendException("generated file path steps outside the output folder: " + path);
        return path;
    }
}
