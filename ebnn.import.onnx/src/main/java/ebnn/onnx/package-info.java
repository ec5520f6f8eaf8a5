/**
 * What ONNX tooling around ebnn needs beyond the ModelImporter service: the graph input of an
 * imported file (so ONNX Runtime can be fed the same samples) and reading with those details.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package ebnn.onnx;
