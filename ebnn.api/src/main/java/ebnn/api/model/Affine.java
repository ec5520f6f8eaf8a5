package ebnn.api.model;

/**
 * Per-channel y = scale·x + shift: input scaling (Div 255, Mul 2 Sub 1), FINN's Mul/Add tails,
 * TensorNorm. {@code scale} and {@code shift} have one value per channel or a single broadcast value.
 */
public record Affine(String name, int channels, Params scale, Params shift) implements Layer {
    public Affine {
        Layer.checkName(name);
        if (channels <= 0)
            throw new ebnn.api.InvalidModelException("affine layer '" + name + "': channels must be positive");
        Layer.checkParams("affine", name, "scale", scale, channels, true);
        Layer.checkParams("affine", name, "shift", shift, channels, true);
    }

    public double scaleOf(int c) {
        return scale.length() == 1 ? scale.get(0) : scale.get(c);
    }

    public double shiftOf(int c) {
        return shift.length() == 1 ? shift.get(0) : shift.get(c);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.channels() != channels)
            throw Layer.error(this, "has " + channels + " channels, input is " + input);
        return input;
    }

    @Override
    public String kind() {
        return "affine";
    }
}
