/** The memory planner: exact flash and RAM of a binary model on a device by the shared {@link ebnn.api.binary.Packing} rules. */
package ebnn.core.plan;
