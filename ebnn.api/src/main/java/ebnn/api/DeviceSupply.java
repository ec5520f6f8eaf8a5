package ebnn.api;

import java.util.Map;
import java.util.Optional;

/**
 * A device's datasheet active supply figures, for estimating energy per inference as
 * V × I × t with t = cycles / clock. Kept beside {@link Device} (keyed by its name) so the device
 * record stays as it is. Only figures read from a named datasheet are listed; a device without one
 * has no entry rather than a guess.
 *
 * @param volts     supply voltage of the datasheet condition
 * @param milliamps typical active supply current at that condition
 * @param atHz      clock of the datasheet condition (may differ from the device's clock; see source)
 * @param source    the datasheet, table and row the figures come from
 */
public record DeviceSupply(double volts, double milliamps, long atHz, String source) {

    public DeviceSupply {
        if (!(volts > 0) || !(milliamps > 0) || atHz <= 0 || source == null || source.isBlank())
            throw new InvalidModelException("device supply figures must be positive and name their source");
    }

    /**
     * The datasheet figures by device name. The Cortex-M devices (their example chips: nRF51822,
     * STM32F103, STM32F407, STM32F746, nRF5340) and arduino101 (the paper's Intel Curie) have none
     * here: no run-current table of theirs could be read and checked, so none is given.
     */
    private static final Map<String, DeviceSupply> BY_DEVICE = Map.of(
            "atmega328p", new DeviceSupply(5.0, 5.2, 8_000_000,
                    "ATmega328P datasheet (Atmel-8271), ATmega328P DC characteristics, ICC Active 8 MHz, VCC = 5 V, typ. 5.2 mA;"
                            + " the table's highest-clock row, so at 16 MHz a lower bound"),
            "atmega2560", new DeviceSupply(5.0, 10.0, 8_000_000,
                    "ATmega640/1280/1281/2560/2561 datasheet (Atmel 2549), DC Characteristics, Power Supply Current ICC, Active 8 MHz,"
                            + " VCC = 5 V, typ. 10 mA (max. 14); the table's highest-clock row, so at 16 MHz a lower bound"));

    /** The supply figures of a device, if a datasheet figure is known for it. */
    public static Optional<DeviceSupply> of(Device device) {
        return Optional.ofNullable(BY_DEVICE.get(device.name()));
    }

    /** Active power in milliwatts, V × I. */
    public double milliwatts() {
        return volts * milliamps;
    }

    /**
     * Estimated energy of one inference in millijoules (= mWs): V × I × cycles / clockHz. For
     * Cortex-M, callers pass instruction counts as cycles (one cycle per instruction, a lower bound).
     */
    public double milliwattSeconds(long cycles, long clockHz) {
        if (cycles < 0 || clockHz <= 0)
            throw new IllegalArgumentException("cycles must be >= 0 and clock > 0");
        return milliwatts() * cycles / clockHz;
    }
}
