package ebnn.api.model;

/**
 * Fully connected layer y = W x + b on a vector.
 *
 * @param weights row-major [outputs][inputs]; in a binarized model every row holds ±α for one α > 0
 * @param bias    length {@code outputs}, or empty for none
 */
public record Dense(String name, int inputs, int outputs, Params weights, Params bias) implements Layer {
    public Dense {
        Layer.checkName(name);
        if (inputs <= 0 || outputs <= 0 || (long) inputs * outputs > Shape.MAX_ELEMENTS)
            throw new ebnn.api.InvalidModelException("dense layer '" + name + "': bad size " + inputs + " -> " + outputs);
        Layer.checkParams("dense", name, "weights", weights, inputs * outputs, false);
        if (bias == null)
            bias = Params.empty();
        if (!bias.isEmpty())
            Layer.checkParams("dense", name, "bias", bias, outputs, false);
    }

    public double weight(int out, int in) {
        return weights.get(out * inputs + in);
    }

    public double biasOf(int out) {
        return bias.isEmpty() ? 0 : bias.get(out);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.size() != inputs || !input.isVector())
            throw Layer.error(this, "expects a vector of " + inputs + " values, got " + input);
        return Shape.vector(outputs);
    }

    @Override
    public String kind() {
        return "dense";
    }
}
