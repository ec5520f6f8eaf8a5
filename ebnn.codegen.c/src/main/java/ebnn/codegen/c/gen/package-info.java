/**
 * The C source generator shared by the C back ends: {@link ebnn.codegen.c.gen.ModelSource} writes
 * a model's C99 header and source (data laid out by {@code ebnn.api.binary.Packing}, one function
 * per block, one entry point), {@link ebnn.codegen.c.gen.MemoryReport} the memory report. Each
 * block's function is written by one {@link ebnn.codegen.c.gen.BlockKernel}, which also gives its
 * stack and code bounds; a back end's {@link ebnn.codegen.c.gen.KernelSelector} picks the kernel of
 * each block (the plain C back end: {@link ebnn.codegen.c.gen.PortableKernels#SELECTOR}).
 */
@Export
@Version("2.1.0")
package ebnn.codegen.c.gen;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
