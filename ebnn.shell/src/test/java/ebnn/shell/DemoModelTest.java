package ebnn.shell;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.junit.Test;

import ebnn.api.model.FloatEvaluator;
import ebnn.api.model.Model;
import ebnn.shell.demo.DemoModel;

public class DemoModelTest {
    @Test
    public void builtInModelClassifiesSyntheticDigits() {
        Model m = DemoModel.build();
        assertEquals(10, m.classes());
        FloatEvaluator f = new FloatEvaluator(m);
        List<DemoModel.Sample> samples = DemoModel.digits(500, 2017);
        int ok = 0;
        for (DemoModel.Sample s : samples)
            if (f.classify(s.pixels()) == s.label())
                ok++;
        assertEquals("float reference accuracy on synthetic digits", samples.size(), ok);
    }

    @Test
    public void samplesAreDeterministic() {
        assertEquals(DemoModel.digits(3, 1).get(2).label(), DemoModel.digits(3, 1).get(2).label());
        org.junit.Assert.assertArrayEquals(DemoModel.digits(3, 1).get(2).pixels(), DemoModel.digits(3, 1).get(2).pixels());
    }
}
