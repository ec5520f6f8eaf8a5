package ebnn.tinier.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import ebnn.api.EbnnException;
import ebnn.api.InvalidModelException;
import ebnn.api.ModelFormatException;
import ebnn.api.model.Dense;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.Layout;
import ebnn.api.model.Model;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;
import ebnn.api.spi.ImportResult;
import ebnn.api.spi.ModelImporter;

/**
 * The "tinier" ModelImporter: a tinier-nn model.def, chosen by its first line {@code bnn}.
 * <p>
 * A neuron's bit is 1 when popcount(w XOR x) ≤ IN/2, i.e. when the ±1 dot product
 * IN − 2·popcount(w XOR x) is ≥ 0: each layer is a Dense of ±1 weights without bias followed by
 * a Sign (ties to +1, as the rule). The input bits come in one byte each (0 is bit 0, any other
 * byte bit 1: an input Sign at byte ≥ 1). A model.def has no output layer and no classes: the
 * last layer's Sign makes the model's output a bit vector ({@link ebnn.api.model.OutputKind#BITS}),
 * the last layer's bits, first neuron first.
 */
@Component(service = ModelImporter.class, property = ModelImporter.ID_PROPERTY + "=tinier")
public class TinierImporter implements ModelImporter {
    static final long MAX_BYTES = 80L << 20;

    @Override
    public String id() {
        return "tinier";
    }

    @Override
    public boolean accepts(Path file, byte[] head) {
        return recognizes(head);
    }

    /** By content only: the file's first line, whatever its name. */
    @Override
    public boolean recognizes(byte[] head) {
        return head != null && ModelDef.looksLikeModelDef(head);
    }

    @Override
    public ImportResult read(Path file) {
        String where = String.valueOf(file);
        String text;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) MAX_BYTES + 1);
            if (b.length > MAX_BYTES)
                throw new ModelFormatException(where + ": larger than " + (MAX_BYTES >> 20) + " MB, not a tinier-nn model.def");
            text = new String(b, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + where + ": " + e.getMessage(), e);
        }
        String name = file.getFileName() == null ? "model" : file.getFileName().toString().replaceFirst("\\.def$", "");
        return translate(where, name, text);
    }

    public static ImportResult translate(String where, String name, String text) {
        if (name.isEmpty() || name.length() > 256)
            name = "model";
        try {
            return toModel(name, ModelDef.parse(where, text));
        } catch (EbnnException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidModelException(where + ": malformed model.def (" + e + ")");
        } catch (OutOfMemoryError e) {
            throw new InvalidModelException(where + ": the model.def needs more memory than available to import");
        }
    }

    static ImportResult toModel(String name, ModelDef def) {
        List<Layer> layers = new ArrayList<>();
        List<String> report = new ArrayList<>();
        layers.add(new Sign("input_bits"));
        report.add("input: " + def.inputs() + " bits, one byte each (0 = bit 0, any other byte = bit 1)");
        for (int l = 0; l < def.layers().size(); l++) {
            boolean[][] w = def.layers().get(l);
            int out = w.length, in = w[0].length;
            double[] p = new double[out * in];
            for (int o = 0; o < out; o++)
                for (int i = 0; i < in; i++)
                    p[o * in + i] = w[o][i] ? 1 : -1;
            boolean last = l == def.layers().size() - 1;
            layers.add(new Dense("layer" + (l + 1), in, out, Params.of(p), Params.empty()));
            layers.add(new Sign("layer" + (l + 1) + "/sign"));
            report.add("layer " + (l + 1) + " " + in + "," + out + " -> dense + sign (bit = popcount(w XOR x) <= IN/2)"
                    + (last ? ": the output, " + out + " bits (a model.def has no classes)" : ""));
        }
        Model m = new Model(name, new InputSpec(Shape.vector(def.inputs()), Layout.NCHW, -0.5, 254.5), layers);
        return new ImportResult(m, report);
    }
}
