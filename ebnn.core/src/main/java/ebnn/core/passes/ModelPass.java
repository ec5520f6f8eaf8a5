package ebnn.core.passes;

import java.util.List;

import ebnn.api.model.Layer;

/** One Model→Model rewrite of the layer chain that keeps the class of every input. */
public interface ModelPass {
    /** Short name for reports, e.g. "fold-bias". */
    String name();

    /**
     * The rewritten layers, or {@code layers} itself when nothing applies. {@code note} receives one
     * line per rewrite (naming the layers).
     */
    List<Layer> apply(List<Layer> layers, java.util.function.Consumer<String> note);
}
