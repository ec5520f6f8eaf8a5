package ebnn.train.nn;

import ebnn.api.model.Shape;

/** Max pooling without padding (floor), on the raw convolution output as eBNN orders it. */
public final class MaxPool extends Op {
    public final int kernel;
    public final int stride;
    private int[] argmax = new int[0];

    public MaxPool(String name, Shape in, int kernel, int stride) {
        super(name, in, new Shape(in.channels(), (in.height() - kernel) / stride + 1, (in.width() - kernel) / stride + 1));
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public void forward(Par par, float[] x, float[] y, int batch, boolean train) {
        if (train && argmax.length < batch * out.size())
            argmax = new int[batch * out.size()];
        final int H = in.height(), W = in.width(), OH = out.height(), OW = out.width(), C = in.channels();
        final int inSize = in.size(), outSize = out.size();
        par.shards(batch, (s, from, to) -> {
            for (int b = from; b < to; b++)
                for (int c = 0; c < C; c++)
                    for (int oy = 0; oy < OH; oy++)
                        for (int ox = 0; ox < OW; ox++) {
                            int best = -1;
                            float m = Float.NEGATIVE_INFINITY;
                            for (int ky = 0; ky < kernel; ky++) {
                                int row = b * inSize + (c * H + oy * stride + ky) * W + ox * stride;
                                for (int kx = 0; kx < kernel; kx++)
                                    if (best < 0 || x[row + kx] > m) {
                                        m = x[row + kx];
                                        best = row + kx;
                                    }
                            }
                            int yi = b * outSize + (c * OH + oy) * OW + ox;
                            y[yi] = m;
                            if (train)
                                argmax[yi] = best;
                        }
        });
    }

    @Override
    public long scratchBytes() {
        return 4L * argmax.length;
    }

    @Override
    public void backward(Par par, float[] x, float[] y, float[] dy, float[] dx, int batch) {
        if (dx == null)
            return;
        final int inSize = in.size(), outSize = out.size();
        par.shards(batch, (s, from, to) -> {
            java.util.Arrays.fill(dx, from * inSize, to * inSize, 0f);
            for (int yi = from * outSize; yi < to * outSize; yi++)
                dx[argmax[yi]] += dy[yi];
        });
    }
}
