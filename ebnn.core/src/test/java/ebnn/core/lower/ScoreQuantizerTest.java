package ebnn.core.lower;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;

import org.junit.Test;

import ebnn.api.binary.Scores;

public class ScoreQuantizerTest {
    @Test
    public void equalPositiveScalesWithoutOffsetAreTheAccumulators() {
        ScoreQuantizer.Quantized q = ScoreQuantizer.quantize(new double[] { 0.7, 0.7, 0.7 }, new double[3], 100, "t");
        assertEquals(Scores.identity(3), q.scores());
        assertEquals(0, q.bound(), 0);
    }

    @Test
    public void fixedPointStaysInRangeAndKeepsTheArgmaxOutsideTheBound() {
        Random r = new Random(3);
        int checked = 0;
        for (int t = 0; t < 300; t++) {
            int n = 2 + r.nextInt(9);
            long m = 1 + r.nextInt(t % 3 == 0 ? 200_000 : 1000);
            double[] a = new double[n], b = new double[n];
            for (int c = 0; c < n; c++) {
                a[c] = (r.nextInt(5) == 0 ? -1 : 1) * Math.exp(2 * r.nextGaussian());
                b[c] = r.nextGaussian() * Math.sqrt(m) * Math.abs(a[c]);
            }
            ScoreQuantizer.Quantized q = ScoreQuantizer.quantize(a, b, m, "t");
            assertTrue(q.k() <= 1 << 24);
            Scores s = q.scores();
            for (int c = 0; c < n; c++)
                assertTrue("class " + c + " may overflow", Math.abs((long) s.multiplier().get(c)) * m + Math.abs((long) s.offset().get(c)) < 1L << 30);
            for (int k = 0; k < 50; k++) {
                long[] acc = new long[n];
                double[] f = new double[n];
                long[] si = new long[n];
                for (int c = 0; c < n; c++) {
                    acc[c] = r.nextLong() % (m + 1);
                    f[c] = a[c] * acc[c] + b[c];
                    si[c] = acc[c] * s.multiplier().get(c) + s.offset().get(c);
                    // the documented per-score error: |s - K f| <= (M + 1) / 2
                    assertTrue(Math.abs(si[c] - q.k() * f[c]) <= (m + 1) / 2.0 + 1e-6 * Math.abs(q.k() * f[c]));
                }
                int fb = 0, ib = 0;
                for (int c = 1; c < n; c++) {
                    if (f[c] > f[fb])
                        fb = c;
                    if (si[c] > si[ib])
                        ib = c;
                }
                double second = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < n; c++)
                    if (c != fb)
                        second = Math.max(second, f[c]);
                if (f[fb] - second > q.bound() * (1 + 1e-9)) {
                    assertEquals(fb, ib);
                    checked++;
                }
            }
        }
        assertTrue(checked > 10_000);
    }
}
