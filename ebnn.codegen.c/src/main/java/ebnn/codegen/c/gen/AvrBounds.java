package ebnn.codegen.c.gen;

import ebnn.api.Device;
import ebnn.api.binary.MemoryPlan;

/**
 * The portable kernels' measured bounds on AVR (avr5 and avr6, avr-gcc -O2); elsewhere they have
 * none and the planner's estimates stand. Stack: the entry point calls one block function at a time
 * (each not inlined), so the stack is the entry's frame + one block frame (all 18 call-saved
 * registers at worst) + libgcc's 32-bit multiply chain: measured (simavr, SP tracked every
 * instruction) 59-94 B, bounded by -fstack-usage at 68 B for the paper-shaped models; 112 B leaves
 * room for other shapes (the generator keeps AVR filter masks to 16 bits: a 32-bit one spilled to a
 * 150 B bound for a 5x5 first layer). Code: entry point 768 B with the 256 B popcount table (+ up to
 * 255 B of alignment), 448 B per block function, 64 B per tap of an unrolled byte-conv window
 * (measured 20-50 B: trained ConvPool-1 2,138 B of code in all, Conv-1 3,044 B).
 */
final class AvrBounds {
    static final long STACK = 112, CODE_BASE = 768, CODE_PER_BLOCK = 448, CODE_PER_UNROLLED_TAP = 64;

    private AvrBounds() {
    }

    static boolean on(MemoryPlan plan) {
        return plan.device().arch() == Device.Arch.AVR;
    }

    static long stack(MemoryPlan plan) {
        return on(plan) ? STACK : -1;
    }

    /** A block function with {@code unrolledTaps} taps of unrolled window code. */
    static long code(MemoryPlan plan, long unrolledTaps) {
        return on(plan) ? CODE_PER_BLOCK + CODE_PER_UNROLLED_TAP * unrolledTaps : -1;
    }
}
