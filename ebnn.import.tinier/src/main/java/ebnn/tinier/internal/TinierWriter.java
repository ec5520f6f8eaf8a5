package ebnn.tinier.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;

import ebnn.api.UnsupportedModelException;
import ebnn.api.model.Dense;
import ebnn.api.model.Layer;
import ebnn.api.model.Model;
import ebnn.api.model.Sign;
import ebnn.api.spi.ModelWriter;

/**
 * The "tinier" ModelWriter ({@code ebnn:export MODEL FILE.def}): a dense bit model as tinier-nn's
 * model.def, only where that is lossless: an input sign, then dense layers of ±1 weights without
 * bias, each followed by a sign (a model whose output is a bit vector, as the importer reads a
 * model.def), sizes multiples of 32. A class model whose last dense layer has no sign is written
 * too: model.def's rule gives its output bits, score ≥ 0, but no longer the classes (the argmax
 * of the scores), which model.def cannot hold. What tinier-nn cannot hold (batch norm, biases,
 * other weights, convolutions, an unbinarized input) is refused naming the layer. A model read
 * from a model.def writes back byte for byte.
 */
@Component(service = ModelWriter.class, property = ModelWriter.ID_PROPERTY + "=tinier")
public class TinierWriter implements ModelWriter {

    @Override
    public String id() {
        return "tinier";
    }

    @Override
    public boolean accepts(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".def");
    }

    @Override
    public void write(Model model, Path file) {
        byte[] bytes = toModelDef(model).write().getBytes(StandardCharsets.US_ASCII);
        ebnn.api.io.AtomicFile.write(file, true, bytes); // temp file + rename, the umask's mode
    }

    static ModelDef toModelDef(Model m) {
        List<Layer> ls = m.layers();
        String why = "model '" + m.name() + "' cannot be written as a tinier-nn model.def without loss: ";
        if (!m.input().shape().isVector() || !(ls.get(0) instanceof Sign))
            throw new UnsupportedModelException(why + "its input must be a bit vector (a vector input followed by a sign)");
        List<boolean[][]> layers = new ArrayList<>();
        int i = 1;
        while (i < ls.size()) {
            if (!(ls.get(i) instanceof Dense d))
                throw new UnsupportedModelException(why + ls.get(i).kind() + " layer '" + ls.get(i).name() + "': model.def holds dense bit layers only");
            if (d.inputs() % 32 != 0 || d.outputs() % 32 != 0)
                throw new UnsupportedModelException(why + "dense layer '" + d.name() + "' is " + d.inputs() + "," + d.outputs()
                        + "; model.def sizes are multiples of 32");
            for (int o = 0; o < d.outputs(); o++)
                if (d.biasOf(o) != 0)
                    throw new UnsupportedModelException(why + "dense layer '" + d.name() + "' has a bias");
            boolean[][] w = new boolean[d.outputs()][d.inputs()];
            for (int o = 0; o < d.outputs(); o++)
                for (int k = 0; k < d.inputs(); k++) {
                    double v = d.weight(o, k);
                    if (v != 1 && v != -1)
                        throw new UnsupportedModelException(why + "dense layer '" + d.name() + "' has weight " + v + "; model.def weights are ±1");
                    w[o][k] = v == 1;
                }
            layers.add(w);
            i++;
            boolean last = i == ls.size();
            if (!last) {
                if (!(ls.get(i) instanceof Sign))
                    throw new UnsupportedModelException(why + ls.get(i).kind() + " layer '" + ls.get(i).name() + "' follows dense layer '"
                            + d.name() + "'; model.def has a sign (the XOR-popcount rule) after each layer and nothing else");
                i++;
            }
        }
        if (layers.isEmpty())
            throw new UnsupportedModelException(why + "it has no dense layer");
        return new ModelDef(layers);
    }
}
