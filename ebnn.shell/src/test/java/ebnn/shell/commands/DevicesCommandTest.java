package ebnn.shell.commands;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;

import ebnn.api.Device;
import ebnn.api.command.Json;

public class DevicesCommandTest {

    /** --json carries the datasheet supply figures and their source, and null (not a guess) where none is known. */
    @Test
    public void jsonRowsCarryTheSupplyFigures() {
        Map<String, Object> avr = DevicesCommand.jsonRow(Device.named("atmega328p"));
        assertEquals(5.0, (Double) avr.get("supplyVolts"), 0);
        assertEquals(5.2, (Double) avr.get("supplyMilliamps"), 0);
        assertEquals(8_000_000L, avr.get("supplyAtHz"));
        assertTrue(String.valueOf(avr.get("supplySource")), String.valueOf(avr.get("supplySource")).contains("ATmega328P datasheet"));
        String json = Json.write(avr);
        assertTrue(json, json.contains("\"supplyMilliamps\"") && json.contains("\"supplyVolts\"") && json.contains("\"supplySource\""));

        Map<String, Object> curie = DevicesCommand.jsonRow(Device.named("arduino101"));
        assertTrue(curie.containsKey("supplyMilliamps"));
        assertNull(curie.get("supplyMilliamps"));
        assertNull(curie.get("supplySource"));
        assertEquals("not known", DevicesCommand.supply(Device.named("arduino101")));
        assertNull(curie.get("milliwattSecondsPerMegacycle"));
        // the Uno: 5 V x 5.2 mA = 26 mW; a million cycles at 16 MHz take 1/16 s: 26 / 16 = 1.625 mWs
        assertEquals(1.625, (Double) avr.get("milliwattSecondsPerMegacycle"), 1e-12);
    }

    /**
     * ebnn:compile's energy line, from the datasheet figures stated here (ATmega328P: 5 V, 5.2 mA; ATmega2560: 5 V,
     * 10 mA; both boards at 16 MHz): power, the formula at the board's clock and the energy of a million cycles.
     */
    @Test
    public void compileReportsTheEnergyOfAMillionCycles() {
        String uno = EnergyEstimate.line(Device.named("atmega328p"));
        assertTrue(uno, uno.startsWith("energy per inference (estimate): 5 V x 5.2 mA = 26 mW; E = 26 mW x cycles / 16 MHz = 1.625 mWs per million cycles"));
        assertTrue(uno, uno.contains("ATmega328P datasheet"));
        String mega = EnergyEstimate.line(Device.named("atmega2560"));
        assertTrue(mega, mega.startsWith("energy per inference (estimate): 5 V x 10 mA = 50 mW; E = 50 mW x cycles / 16 MHz = 3.125 mWs per million cycles"));
        // conv-1 on the Uno, 862,289 simavr cycles (docs/BENCHMARKS.md): 862,289 / 1e6 x 1.625 = 1.401219625 mWs
        assertEquals(1.401219625, 0.862289 * EnergyEstimate.milliwattSecondsPerMegacycle(Device.named("atmega328p")), 1e-12);

        String m4 = EnergyEstimate.line(Device.named("cortex-m4"));
        assertTrue(m4, m4.contains("not known") && m4.contains("cortex-m4"));
        assertNull(EnergyEstimate.json(Device.named("cortex-m4")));
        assertEquals(3.125, (Double) EnergyEstimate.json(Device.named("atmega2560")).get("milliwattSecondsPerMegacycle"), 1e-12);
    }
}
