/** Labelled image datasets in IDX format (MNIST, Fashion-MNIST), gzip or raw. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package ebnn.api.data;
