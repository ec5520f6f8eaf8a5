package ebnn.codegen.cortexm;

/** The five cores, each with the ebnn device, gcc's -mcpu, the qemu board and its linker script (targets/arm). */
enum Core {
    M0("cortex-m0", "cortex-m0", "microbit", "microbit.ld"),
    M3("cortex-m3", "cortex-m3", "mps2-an385", "mps2.ld"),
    M4("cortex-m4", "cortex-m4", "mps2-an386", "mps2.ld"),
    M7("cortex-m7", "cortex-m7", "mps2-an500", "mps2.ld"),
    M33("cortex-m33", "cortex-m33", "mps2-an505", "mps2-an505.ld");

    final String device, mcpu, machine, linkerScript;

    Core(String device, String mcpu, String machine, String linkerScript) {
        this.device = device;
        this.mcpu = mcpu;
        this.machine = machine;
        this.linkerScript = linkerScript;
    }
}
