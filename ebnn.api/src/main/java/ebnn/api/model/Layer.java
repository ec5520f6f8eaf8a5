package ebnn.api.model;

import ebnn.api.InvalidModelException;

/**
 * One step of the float-level model. Names are free text from the source model (they may hold any
 * character; back ends must escape them) and only serve messages and reports.
 */
public sealed interface Layer permits Dense, Conv2d, BatchNorm, MaxPool2d, Sign, Flatten, Affine {
    String name();

    /** The shape this layer produces from {@code input}; throws InvalidModelException naming the layer if it cannot take it. */
    Shape outputShape(Shape input);

    /** Short kind name for reports, e.g. "conv2d". */
    String kind();

    static String checkName(String name) {
        if (name == null)
            throw new InvalidModelException("layer name must not be null");
        if (name.length() > 1024)
            throw new InvalidModelException("layer name longer than 1024 characters: " + name.substring(0, 40) + "...");
        return name;
    }

    static InvalidModelException error(Layer layer, String what) {
        return new InvalidModelException(layer.kind() + " layer '" + layer.name() + "': " + what);
    }

    /** Checks a per-channel parameter: length {@code n}, or length 1 where broadcast is allowed; all finite. */
    static void checkParams(String layerKind, String layerName, String param, Params p, int n, boolean broadcast) {
        if (p == null)
            throw new InvalidModelException(layerKind + " layer '" + layerName + "': " + param + " is missing");
        if (p.length() != n && !(broadcast && p.length() == 1))
            throw new InvalidModelException(layerKind + " layer '" + layerName + "': " + param + " has " + p.length()
                    + " values, expected " + n);
        for (int i = 0; i < p.length(); i++)
            if (!Double.isFinite(p.get(i)))
                throw new InvalidModelException(layerKind + " layer '" + layerName + "': " + param + "[" + i + "] is " + p.get(i));
    }
}
