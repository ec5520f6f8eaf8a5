package ebnn.train.nn;

import java.util.List;

/**
 * Adam (β1 0.9, β2 0.999, ε 1e-8) over all parameters; binary (latent) weights are clipped to
 * [−1, 1] after each step, so their gradient is effectively cancelled beyond the clip as in
 * BinaryConnect.
 */
public final class Adam {
    private static final float B1 = 0.9f, B2 = 0.999f, EPS = 1e-8f;
    private final List<Param> params;
    private int t;

    public Adam(List<Param> params) {
        this.params = List.copyOf(params);
    }

    public void step(Par par, double lr) {
        t++;
        final float c1 = (float) (1 - Math.pow(B1, t)), c2 = (float) (1 - Math.pow(B2, t)), flr = (float) lr;
        par.parts(params.size(), k -> {
            Param p = params.get(k);
            float[] w = p.w, g = p.g, m = p.m, v = p.v;
            for (int i = 0; i < w.length; i++) {
                float gi = g[i];
                float mi = m[i] = B1 * m[i] + (1 - B1) * gi;
                float vi = v[i] = B2 * v[i] + (1 - B2) * gi * gi;
                float wi = w[i] - flr * (mi / c1) / ((float) Math.sqrt(vi / c2) + EPS);
                if (p.binary)
                    wi = Math.max(-1f, Math.min(1f, wi));
                w[i] = wi;
            }
        });
    }
}
