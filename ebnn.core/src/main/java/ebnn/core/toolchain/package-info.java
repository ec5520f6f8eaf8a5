/** The default {@link ebnn.api.spi.Toolchain} DS component: import, lowering, planning, dispatch to back ends, safe file output. */
package ebnn.core.toolchain;
