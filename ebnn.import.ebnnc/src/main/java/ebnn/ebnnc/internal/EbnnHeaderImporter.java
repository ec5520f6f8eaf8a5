package ebnn.ebnnc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;

import ebnn.api.EbnnException;
import ebnn.api.InvalidModelException;
import ebnn.api.ModelFormatException;
import ebnn.api.spi.ImportResult;
import ebnn.api.spi.ModelImporter;

/**
 * The "ebnn-c" ModelImporter: a C header that kunglab/ebnn's generator wrote ({@code #include
 * "ebnn.h"}, the weight arrays, one function per layer, {@code ebnn_compute}), chosen by its first
 * line whatever the file is called.
 */
@Component(service = ModelImporter.class, property = ModelImporter.ID_PROPERTY + "=ebnn-c")
public class EbnnHeaderImporter implements ModelImporter {
    /** Larger than any header eBNN writes for a microcontroller by orders of magnitude. */
    static final long MAX_BYTES = 64L << 20;

    @Override
    public String id() {
        return "ebnn-c";
    }

    @Override
    public boolean accepts(Path file, byte[] head) {
        return recognizes(head);
    }

    /** By content only: the file's first line, whatever its name. */
    @Override
    public boolean recognizes(byte[] head) {
        return head != null && HeaderReader.looksLikeHeader(head);
    }

    @Override
    public ImportResult read(Path file) {
        String where = String.valueOf(file);
        String text;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) MAX_BYTES + 1);
            if (b.length > MAX_BYTES)
                throw new ModelFormatException(where + ": larger than " + (MAX_BYTES >> 20) + " MB, not an eBNN model header");
            text = new String(b, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + where + ": " + e.getMessage(), e);
        }
        String name = file.getFileName() == null ? "model" : file.getFileName().toString().replaceFirst("\\.[hH]$", "");
        return translate(where, name, text);
    }

    /** Reads header text; every failure is an EbnnException naming the file and, where it has one, the line. */
    public static ImportResult translate(String where, String name, String text) {
        if (name.isEmpty() || name.length() > 256)
            name = "model";
        try {
            return HeaderWalker.walk(where, name, HeaderReader.read(where, text));
        } catch (EbnnException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidModelException(where + ": malformed eBNN header (" + e + ")");
        } catch (OutOfMemoryError e) {
            throw new InvalidModelException(where + ": the header needs more memory than available to import");
        }
    }
}
