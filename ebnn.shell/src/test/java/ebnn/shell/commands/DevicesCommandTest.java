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
    }
}
