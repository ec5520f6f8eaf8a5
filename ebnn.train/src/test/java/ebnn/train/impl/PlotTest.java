package ebnn.train.impl;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

import ebnn.api.Device;
import ebnn.train.api.Candidate;

/** The Pareto plot says what it shows: legend, the device's budget, the front as a staircase, partly trained candidates marked. */
public class PlotTest {
    private static Candidate c(String name, long flash, long ram, String status, double acc, boolean pareto) {
        return new Candidate(name, name, flash, ram, status, acc, Double.NaN, 1, pareto);
    }

    @Test
    public void legendBudgetStaircaseAndPartialCandidates() {
        Device uno = Device.named("atmega328p");
        List<Candidate> all = List.of(c("small", 3000, 900, "trained", 0.90, true), c("mid", 9000, 1200, "trained", 0.95, true),
                c("wide-and-long-name", 20000, 1500, "trained 1 of 10 epochs", 0.97, true), c("worse", 12000, 1300, "trained", 0.93, false),
                c("huge", 90000, 9000, "over-budget", Double.NaN, false));
        String svg = Plot.svg(uno, all);
        for (String legend : List.of("Pareto front", "dominated", "partly trained (time budget)", "front (staircase)", "atmega328p budget 34.0 KB"))
            assertTrue(legend + " in the legend", svg.contains(">" + legend + "<"));
        assertTrue("the partial candidate is labelled so", svg.contains(">wide-and-long-name (1 of 10 epochs)<"));
        assertTrue("and drawn hollow", svg.contains("fill=\"white\" stroke=\"#1a7f37\""));
        assertTrue("the budget line", svg.contains("stroke=\"#c62828\" stroke-dasharray"));

        Matcher m = Pattern.compile("<polyline[^>]*points=\"([^\"]+)\"").matcher(svg);
        assertTrue(m.find());
        String[] pts = m.group(1).trim().split("\\s+");
        assertEquals("3 steps: 3 corners + 2 risers + the tail", 6, pts.length);
        for (int i = 1; i < pts.length; i++) {
            String[] a = pts[i - 1].split(","), b = pts[i].split(",");
            assertTrue("each segment is flat or vertical: " + m.group(1), a[0].equals(b[0]) || a[1].equals(b[1]));
        }

        int width = Integer.parseInt(svg.replaceAll("(?s).*?width=\"(\\d+)\".*", "$1"));
        Matcher t = Pattern.compile("<text x=\"([0-9.]+)\" y=\"[0-9.]+\"( text-anchor=\"(\\w+)\")?>([^<]*)<").matcher(svg);
        while (t.find()) {
            double x = Double.parseDouble(t.group(1));
            double len = t.group(4).length() * 6.5; // generous width of an 11 px sans-serif character
            String anchor = t.group(3) == null ? "start" : t.group(3);
            double from = anchor.equals("end") ? x - len : anchor.equals("middle") ? x - len / 2 : x;
            double to = anchor.equals("end") ? x : anchor.equals("middle") ? x + len / 2 : x + len;
            assertTrue("label '" + t.group(4) + "' inside the picture: " + from + ".." + to, from >= 0 && to <= width);
        }
    }
}
