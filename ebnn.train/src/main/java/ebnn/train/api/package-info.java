/**
 * Training service of ebnn: trains binarized networks of named architectures on any {@link ebnn.api.data.Dataset}
 * (images of any channels × height × width, or flat feature vectors) and
 * discovers the most accurate architecture that fits a device's memory. Implemented by a DS
 * component of the ebnn.train bundle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package ebnn.train.api;
