/**
 * Service interfaces. Importers and back ends are OSGi services (DS components) found through the
 * registry, so a bundle installed at runtime is picked up at once and gone when stopped. The
 * {@link ebnn.api.spi.Toolchain} service is the whole pipeline in one place for shells and apps.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package ebnn.api.spi;
