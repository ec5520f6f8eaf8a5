/**
 * ebnn in a plain Java program (no OSGi): {@link ebnn.embed.Ebnn} loads a model (.ebnn or .onnx),
 * classifies bytes with the bit-exact integer model, plans its memory on a device and generates C.
 * The types it returns are those of {@code ebnn.api} and {@code ebnn.api.spi}, the same the OSGi
 * services use. Add the one dependency {@code io.ebnn:ebnn.embed}.
 */
package ebnn.embed;
