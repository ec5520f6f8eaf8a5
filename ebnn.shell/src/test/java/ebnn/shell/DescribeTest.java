package ebnn.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import ebnn.api.Device;
import ebnn.api.binary.MemoryPlan;

public class DescribeTest {

    /** Every RAM part the plan counts is a line of the table, so the lines a user reads add up to the total printed. */
    @Test
    public void ramLinesAddUpToTheTotalWithAPopcountTableInSram() {
        MemoryPlan p = new MemoryPlan("m", Device.named("atmega328p"), 784, 216, 40, 40, 112, 2048, List.of(), MemoryPlan.POPCOUNT_TABLE_RAM);
        String text = Describe.text(p);
        long sum = 0;
        boolean inRam = false;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s{2,}");
            if (f[0].equals("RAM"))
                inRam = true;
            else if (f[0].equals("BLOCK") || (inRam && f[0].startsWith("total")))
                break;
            if (inRam)
                sum += Long.parseLong(f[f.length - 1].replace(",", ""));
        }
        assertTrue(text, text.contains("popcount table (SRAM)"));
        assertEquals(text, p.ramBytes(), sum);
    }
}
