/**
 * Users' data for every command: {@link ebnn.api.data.DataReaders} opens IDX, NumPy (.npy, .npz),
 * image folders and CSV as a stream of {@link ebnn.api.data.Sample}s in the model's input bytes, or
 * reads them whole into a {@link ebnn.api.data.Dataset}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package ebnn.api.data;
