package ebnn.api.model;

/** Inference batch norm per channel: y = γ (x − μ) / sqrt(σ² + ε) + β. γ may be negative or zero. */
public record BatchNorm(String name, int channels, Params gamma, Params beta, Params mean, Params variance, double epsilon)
        implements Layer {
    public BatchNorm {
        Layer.checkName(name);
        if (channels <= 0)
            throw new ebnn.api.InvalidModelException("batchnorm layer '" + name + "': channels must be positive");
        Layer.checkParams("batchnorm", name, "gamma", gamma, channels, false);
        Layer.checkParams("batchnorm", name, "beta", beta, channels, false);
        Layer.checkParams("batchnorm", name, "mean", mean, channels, false);
        Layer.checkParams("batchnorm", name, "variance", variance, channels, false);
        if (!(epsilon >= 0) || !Double.isFinite(epsilon))
            throw new ebnn.api.InvalidModelException("batchnorm layer '" + name + "': epsilon must be >= 0, is " + epsilon);
        for (int c = 0; c < channels; c++)
            if (variance.get(c) + epsilon <= 0)
                throw new ebnn.api.InvalidModelException("batchnorm layer '" + name + "': variance + epsilon of channel " + c
                        + " is not positive");
    }

    /** Multiplier γ / sqrt(σ² + ε) of channel c. */
    public double scale(int c) {
        return gamma.get(c) / Math.sqrt(variance.get(c) + epsilon);
    }

    /** Offset β − μ·scale of channel c, so that y = scale·x + shift. */
    public double shift(int c) {
        return beta.get(c) - mean.get(c) * scale(c);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.channels() != channels)
            throw Layer.error(this, "has " + channels + " channels, input is " + input);
        return input;
    }

    @Override
    public String kind() {
        return "batchnorm";
    }
}
