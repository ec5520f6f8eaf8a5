package ebnn.train.nn;

import ebnn.api.model.Shape;

/** sign(x) (x >= 0 → +1) forward; straight-through backward, cancelled where |x| > 1 (hard tanh). */
public final class SignAct extends Op {
    public SignAct(String name, Shape shape) {
        super(name, shape, shape);
    }

    @Override
    public void forward(Par par, float[] x, float[] y, int batch, boolean train) {
        int n = batch * in.size();
        for (int i = 0; i < n; i++)
            y[i] = x[i] >= 0f ? 1f : -1f;
    }

    @Override
    public void backward(Par par, float[] x, float[] y, float[] dy, float[] dx, int batch) {
        if (dx == null)
            return;
        int n = batch * in.size();
        for (int i = 0; i < n; i++)
            dx[i] = Math.abs(x[i]) <= 1f ? dy[i] : 0f;
    }
}
