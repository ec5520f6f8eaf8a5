package ebnn.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import org.junit.Test;

public class DeviceSupplyTest {

    /**
     * conv-1 on the atmega328p: 862,289 simavr cycles at 16 MHz, datasheet 5 V and 5.2 mA.
     * By hand: 5 V x 5.2 mA = 26 mW; 862,289 / 16,000,000 s = 0.0538930625 s; 26 x 0.0538930625 = 1.401219625 mWs.
     */
    @Test
    public void energyIsVoltsTimesCurrentTimesCyclesOverClock() {
        Device uno = Device.named("atmega328p");
        DeviceSupply s = DeviceSupply.of(uno).orElseThrow();
        assertEquals(1.401219625, s.milliwattSeconds(862_289, uno.clockHz()), 1e-12);
        assertEquals(0.0, s.milliwattSeconds(0, uno.clockHz()), 0);
    }

    /**
     * The Mega's figure as its datasheet states it (ATmega640/1280/1281/2560/2561, DC Characteristics: Active 8 MHz,
     * VCC = 5 V, typ. 10 mA). By hand: 5 V x 10 mA = 50 mW; one million cycles at 16 MHz = 1/16 s; 50 / 16 = 3.125 mWs.
     */
    @Test
    public void theMegaDrawsTenMilliampsAtFiveVolts() {
        Device mega = Device.named("atmega2560");
        DeviceSupply s = DeviceSupply.of(mega).orElseThrow();
        assertEquals(5.0, s.volts(), 0);
        assertEquals(10.0, s.milliamps(), 0);
        assertEquals(8_000_000L, s.atHz());
        assertEquals(50.0, s.milliwatts(), 1e-12);
        assertEquals(3.125, s.milliwattSeconds(1_000_000, mega.clockHz()), 1e-12);
    }

    /** A device without a verified datasheet figure has none, rather than a made-up one. */
    @Test
    public void theCurieHasNoFigure() {
        assertFalse(DeviceSupply.of(Device.named("arduino101")).isPresent());
        assertFalse(DeviceSupply.of(Device.named("cortex-m4")).isPresent());
    }

    @Test(expected = InvalidModelException.class)
    public void figuresMustNameTheirSource() {
        new DeviceSupply(5, 5.2, 8_000_000, " ");
    }
}
