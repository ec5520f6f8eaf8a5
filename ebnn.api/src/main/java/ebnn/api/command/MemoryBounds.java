package ebnn.api.command;

/** The line under every memory plan that says whose code and stack bounds it used (memory, train --device, discover). */
public final class MemoryBounds {
    private MemoryBounds() {
    }

    /** {@code backend}: the code generator whose bounds the plan used, or null for the planner's estimates. */
    public static String line(String backend) {
        return backend == null ? "code and stack: the planner's estimates (no code generator for this device is installed)"
                : "code and stack: bounds of back end " + backend + "'s generated code, the numbers ebnn:compile --backend " + backend + " checks";
    }
}
