package ebnn.api.model;

/** CHW tensor to vector, in C, H, W order (as ONNX Flatten on NCHW). */
public record Flatten(String name) implements Layer {
    public Flatten {
        Layer.checkName(name);
    }

    @Override
    public Shape outputShape(Shape input) {
        return Shape.vector(input.size());
    }

    @Override
    public String kind() {
        return "flatten";
    }
}
