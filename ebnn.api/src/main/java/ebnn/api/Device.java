package ebnn.api;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A target device: how much flash and RAM a model may use and the natural word size its code
 * packs bits into. {@code ramBytes} is what the application can give ebnn (the paper's Intel Curie
 * has 80 KB but only ~15 KB usable by the sketch), not the chip's total.
 *
 * @param name        identifier used on the command line, e.g. {@code atmega328p}
 * @param description one line for people
 * @param arch        instruction set family, which decides the back ends that apply
 * @param core        CPU core, e.g. {@code cortex-m4}, {@code avr5}, {@code x86-64}
 * @param flashBytes  program memory available for code, weights and thresholds
 * @param ramBytes    data memory available for buffers and stack
 * @param wordBits    word size weights and activations are packed into (8, 32 or 64)
 * @param clockHz     nominal clock, used to turn cycle counts into time
 */
public record Device(String name, String description, Arch arch, String core, long flashBytes, long ramBytes,
        int wordBits, long clockHz) {

    /** Instruction set families. */
    public enum Arch {
        AVR, ARM_CORTEX_M, X86_64, JVM
    }

    public Device {
        if (name == null || !name.matches("[a-z0-9][a-z0-9._-]*"))
            throw new InvalidModelException("device name must be lower-case letters, digits, '.', '_' or '-': " + name);
        if (flashBytes <= 0 || ramBytes <= 0)
            throw new InvalidModelException("device " + name + ": flash and RAM must be positive");
        if (wordBits != 8 && wordBits != 16 && wordBits != 32 && wordBits != 64)
            throw new InvalidModelException("device " + name + ": word size must be 8, 16, 32 or 64 bits, not " + wordBits);
    }

    public int wordBytes() {
        return wordBits / 8;
    }

    private static final long KB = 1024;

    /** The devices ebnn knows by name. */
    public static final List<Device> BUILT_IN = List.of(
            new Device("atmega328p", "Arduino Uno / Nano, AVR 8-bit, 16 MHz", Arch.AVR, "avr5", 32 * KB, 2 * KB, 8, 16_000_000),
            new Device("atmega2560", "Arduino Mega 2560, AVR 8-bit, 16 MHz", Arch.AVR, "avr6", 256 * KB, 8 * KB, 8, 16_000_000),
            new Device("arduino101", "Arduino 101 / Intel Curie (the eBNN paper's device), 32 MHz, 15 KB usable RAM",
                    Arch.X86_64, "quark-se", 196 * KB, 15 * KB, 32, 32_000_000),
            new Device("cortex-m0", "BBC micro:bit v1 (nRF51822), Cortex-M0, 16 MHz", Arch.ARM_CORTEX_M, "cortex-m0", 256 * KB, 16 * KB, 32, 16_000_000),
            new Device("cortex-m3", "Cortex-M3 (e.g. STM32F103, qemu mps2-an385), 72 MHz", Arch.ARM_CORTEX_M, "cortex-m3", 64 * KB, 20 * KB, 32, 72_000_000),
            new Device("cortex-m4", "Cortex-M4F (e.g. STM32F407), 168 MHz", Arch.ARM_CORTEX_M, "cortex-m4", 1024 * KB, 192 * KB, 32, 168_000_000),
            new Device("cortex-m7", "Cortex-M7 (e.g. STM32F746), 216 MHz", Arch.ARM_CORTEX_M, "cortex-m7", 1024 * KB, 320 * KB, 32, 216_000_000),
            new Device("cortex-m33", "Cortex-M33 (e.g. nRF5340, qemu mps2-an505), 64 MHz", Arch.ARM_CORTEX_M, "cortex-m33", 1024 * KB, 256 * KB, 32, 64_000_000),
            new Device("host", "this computer (64-bit words; limits are nominal)", Arch.X86_64, "x86-64", 1L << 30, 1L << 30, 64, 3_000_000_000L));

    /** Looks a built-in device up by name, ignoring case. */
    public static Optional<Device> find(String name) {
        if (name == null)
            return Optional.empty();
        String key = name.toLowerCase(Locale.ROOT);
        return BUILT_IN.stream().filter(d -> d.name.equals(key)).findFirst();
    }

    /** Like {@link #find} but fails with a message that lists the known devices. */
    public static Device named(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("unknown device '" + name + "'; known devices: "
                + String.join(", ", BUILT_IN.stream().map(Device::name).toList())));
    }
}
