package ebnn.api.model;

/** Memory order of a model's input tensor as the source framework defined it. */
public enum Layout {
    /** channels, height, width: ONNX, PyTorch, Brevitas, FINN. */
    NCHW,
    /** height, width, channels: TensorFlow, Larq. */
    NHWC
}
