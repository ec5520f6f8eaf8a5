package ebnn.api.model;

/** Binarization: x >= 0 gives +1, x < 0 gives −1 (ties to +1, as QONNX, FINN and Larq do). */
public record Sign(String name) implements Layer {
    public Sign {
        Layer.checkName(name);
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public String kind() {
        return "sign";
    }
}
