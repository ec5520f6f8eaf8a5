/**
 * Core vocabulary of ebnn shared by every bundle: devices (and their datasheet supply figures) and the typed errors.
 * The float-level IR lives in {@code ebnn.api.model}, the integer eBNN IR in
 * {@code ebnn.api.binary}, and the service interfaces in {@code ebnn.api.spi}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package ebnn.api;
