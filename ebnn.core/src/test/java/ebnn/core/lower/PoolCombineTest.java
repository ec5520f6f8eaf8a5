package ebnn.core.lower;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.Test;

import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.PoolCombine;
import ebnn.api.model.Affine;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.InputSpec;
import ebnn.api.model.Layer;
import ebnn.api.model.Layout;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Model;
import ebnn.api.model.Padding;
import ebnn.api.model.Params;
import ebnn.api.model.Shape;
import ebnn.api.model.Sign;

/** Max-pool in both orders and both signs of γ: the combine mode per channel and bit-exact agreement with the float model. */
public class PoolCombineTest {
    @Test
    public void rule() {
        assertEquals(PoolCombine.OR, PoolCombineRule.combine(true, -1));
        assertEquals(PoolCombine.OR, PoolCombineRule.combine(true, 1));
        assertEquals(PoolCombine.OR, PoolCombineRule.combine(false, 1));
        assertEquals(PoolCombine.AND, PoolCombineRule.combine(false, -1));
        assertEquals(PoolCombine.OR, PoolCombineRule.combine(false, 0));
    }

    /** 4 channels with γ = +, -, +, - ; returns the lowered conv block after checking bits. */
    private static ConvBlock lower(String order, long seed) {
        Random r = new Random(seed);
        Shape in = new Shape(1, 7, 7);
        int f = 4, taps = 9;
        double[] w = new double[f * taps];
        for (int i = 0; i < w.length; i++)
            w[i] = r.nextBoolean() ? 1 : -1;
        double[] g = { 1, -1, 0.5, -2 };
        double[] mean = new double[f], var = new double[f];
        for (int c = 0; c < f; c++) {
            mean[c] = 3 * r.nextGaussian() + 0.5;
            var[c] = 9;
        }
        BatchNorm bn = new BatchNorm("bn", f, Params.of(g), Params.filled(f, 0.1), Params.of(mean), Params.of(var), 0);
        MaxPool2d pool = new MaxPool2d("pool", 2, 2, 2, 2, Padding.NONE);
        List<Layer> ls = new ArrayList<>();
        ls.add(new Affine("in", 1, Params.of(1), Params.of(-127.5))); // input threshold at 128
        ls.add(new Sign("insign"));
        ls.add(new Conv2d("conv", 1, f, 3, 3, 1, 1, Padding.same(1), Params.of(w), Params.empty()));
        switch (order) {
        case "pool-bn" -> { // eBNN order
            ls.add(pool);
            ls.add(bn);
            ls.add(new Sign("s"));
        }
        case "bn-pool-affine" -> { // pool between a batch norm and a sign-reversing affine
            ls.add(bn);
            ls.add(pool);
            ls.add(new Affine("rev", f, Params.of(-1, -1, 1, 1), Params.of(0)));
            ls.add(new Sign("s"));
        }
        default -> { // Larq / FINN order
            ls.add(bn);
            ls.add(new Sign("s"));
            ls.add(pool);
        }
        }
        ls.add(new Flatten("flat"));
        ls.add(new Dense("out", f * 9, 2, Params.filled(2 * f * 9, 1), Params.empty()));
        Model m = new Model("pool-" + order, InputSpec.bytes(in), ls);
        return (ConvBlock) Agreement.assertBitsAgree(m, 600, seed).blocks().get(1);
    }

    @Test
    public void poolBeforeBatchNormIsOrForPositiveAndAndForNegativeGamma() {
        for (long seed = 0; seed < 10; seed++) {
            ConvBlock b = lower("pool-bn", seed);
            assertEquals(List.of(PoolCombine.OR, PoolCombine.AND, PoolCombine.OR, PoolCombine.AND), b.output().combine());
        }
    }

    @Test
    public void poolAfterSignIsAlwaysOr() {
        for (long seed = 0; seed < 10; seed++) {
            ConvBlock b = lower("sign-pool", seed);
            assertEquals(List.of(PoolCombine.OR, PoolCombine.OR, PoolCombine.OR, PoolCombine.OR), b.output().combine());
        }
    }

    @Test
    public void combineFollowsTheChainAfterThePool() {
        // after the pool only the affine counts: -1, -1, +1, +1 -> AND, AND, OR, OR whatever γ is
        for (long seed = 0; seed < 10; seed++) {
            ConvBlock b = lower("bn-pool-affine", seed);
            assertEquals(List.of(PoolCombine.AND, PoolCombine.AND, PoolCombine.OR, PoolCombine.OR), b.output().combine());
        }
    }
}
