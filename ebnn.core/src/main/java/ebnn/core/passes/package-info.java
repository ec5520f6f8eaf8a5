/**
 * Float-level clean-ups of a {@link ebnn.api.model.Model}, each a named {@link ebnn.core.passes.ModelPass}
 * that keeps the predicted class of every input. {@link ebnn.core.passes.Passes#STANDARD} lists them in
 * the order they run; the lowering runs them on every model (imported, trained or read from .ebnn), so
 * importers may emit layers as their source writes them (a bias Add, a scale, a sign of ±1 values).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package ebnn.core.passes;
