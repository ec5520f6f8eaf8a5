package ebnn.api.model;

import java.util.ArrayList;
import java.util.List;

import ebnn.api.InvalidModelException;

/**
 * A float-level model: an input spec and a chain of layers whose last output is a vector: class
 * scores (the predicted class is the argmax, ties to the lowest index), or, when the last layer is
 * a {@link Sign}, a bit vector that is the answer itself (see {@link #outputKind()}).
 *
 * @param labels optional class names (empty, or one per class)
 */
public record Model(String name, InputSpec input, List<Layer> layers, List<String> labels) {
    public Model {
        if (name == null || name.isEmpty() || name.length() > 256)
            throw new InvalidModelException("model name must have 1..256 characters");
        if (input == null)
            throw new InvalidModelException("model '" + name + "' has no input spec");
        layers = List.copyOf(layers);
        if (layers.isEmpty())
            throw new InvalidModelException("model '" + name + "' has no layers");
        labels = labels == null ? List.of() : List.copyOf(labels);
        Shape s = input.shape();
        for (Layer l : layers)
            s = l.outputShape(s);
        if (!s.isVector())
            throw new InvalidModelException("model '" + name + "' must end in a vector (class scores or output bits), ends in " + s);
        if (!labels.isEmpty() && labels.size() != s.channels())
            throw new InvalidModelException("model '" + name + "' has " + labels.size() + " labels for " + s.channels() + " classes");
    }

    public Model(String name, InputSpec input, List<Layer> layers) {
        this(name, input, layers, List.of());
    }

    /** Shape before each layer, and the output shape last (layers().size() + 1 entries). */
    public List<Shape> shapes() {
        List<Shape> out = new ArrayList<>();
        Shape s = input.shape();
        out.add(s);
        for (Layer l : layers) {
            s = l.outputShape(s);
            out.add(s);
        }
        return out;
    }

    /** Number of classes, or of output bits for a {@link OutputKind#BITS} model: the length of the output vector. */
    public int classes() {
        return shapes().get(layers.size()).channels();
    }

    /** {@link OutputKind#BITS} when the last layer is a sign, else {@link OutputKind#CLASSES}. */
    public OutputKind outputKind() {
        return layers.get(layers.size() - 1) instanceof Sign ? OutputKind.BITS : OutputKind.CLASSES;
    }
}
