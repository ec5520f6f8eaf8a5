/**
 * The C source generator shared by the C back ends: {@link ebnn.codegen.c.gen.ModelSource} writes
 * a model's C99 header and source (data laid out by {@code ebnn.api.binary.Packing}, one function
 * per block, one entry point), {@link ebnn.codegen.c.gen.MemoryReport} the memory report, and a
 * {@link ebnn.codegen.c.gen.Kernels} strategy supplies target kernels (the plain C back end uses
 * {@link ebnn.codegen.c.gen.Kernels#PORTABLE}, the Cortex-M back end its own).
 */
@Export
@Version("1.1.0")
package ebnn.codegen.c.gen;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
