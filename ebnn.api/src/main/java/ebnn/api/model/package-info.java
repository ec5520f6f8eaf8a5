/**
 * The float-level IR: a model as imported or trained, before the eBNN passes. Tensors are CHW
 * (channels, height, width) as in ONNX; a vector is a shape (n, 1, 1). Every type is an immutable
 * record whose constructor checks its own consistency; {@link ebnn.api.model.Model} checks that the
 * layers chain.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package ebnn.api.model;
