package ebnn.core.lower;

import ebnn.api.UnsupportedModelException;
import ebnn.api.model.Affine;
import ebnn.api.model.BatchNorm;
import ebnn.api.model.Layer;
import ebnn.api.model.Shape;

/**
 * One per-channel affine step (a batch norm or an affine layer) of a float chain, evaluated with
 * exactly the double operations {@link ebnn.api.model.FloatEvaluator} uses, so that thresholds
 * derived from it reproduce the reference decisions bit for bit.
 */
public record ChannelOp(String layer, boolean batchNorm, double p0, double p1, double p2, double p3) {

    /** Applies the step as the float evaluator does. */
    public double apply(double x) {
        // batch norm: gamma * (x - mean) / sqrt(var + eps) + beta; affine: x * scale + shift
        return batchNorm ? p0 * (x - p1) / p2 + p3 : x * p0 + p1;
    }

    /** The multiplier of the step as an exact real map (used for the direction and for scores). */
    public double slope() {
        return batchNorm ? p0 / p2 : p0;
    }

    /** The constant of the step as an exact real map x ↦ slope·x + intercept. */
    public double intercept() {
        return batchNorm ? p3 - p1 * slope() : p1;
    }

    /**
     * The step of layer {@code l} (a BatchNorm or Affine) for channel {@code c} of a tensor whose
     * device shape is {@code shape}. When the tensor was flattened before the layer, the layer has
     * one parameter per element (CHW index); a device block keeps one threshold per channel, so the
     * parameters of all positions of the channel must then be equal.
     */
    public static ChannelOp of(Layer l, Shape shape, boolean flattened, int c) {
        int plane = shape.height() * shape.width();
        if (!flattened || plane == 1)
            return at(l, c);
        ChannelOp first = at(l, c * plane);
        for (int i = 1; i < plane; i++)
            if (!at(l, c * plane + i).equals(first))
                throw new UnsupportedModelException(l.kind() + " layer '" + l.name() + "' follows a flatten and has different "
                        + "parameters for the positions of channel " + c + " of " + shape
                        + "; a binary block needs one threshold per channel");
        return first;
    }

    private static ChannelOp at(Layer l, int i) {
        if (l instanceof BatchNorm b)
            return new ChannelOp(b.name(), true, b.gamma().get(i), b.mean().get(i), Math.sqrt(b.variance().get(i) + b.epsilon()),
                    b.beta().get(i));
        if (l instanceof Affine a)
            return new ChannelOp(a.name(), false, a.scaleOf(i), a.shiftOf(i), 0, 0);
        throw new IllegalArgumentException("not a per-channel layer: " + l.kind());
    }

    /** Applies a list of steps in order. */
    public static double applyAll(java.util.List<ChannelOp> ops, double x) {
        for (ChannelOp op : ops)
            x = op.apply(x);
        return x;
    }

    /** Applies steps in order (array form for the hot verification loop). */
    public static double applyAll(ChannelOp[] ops, double x) {
        for (ChannelOp op : ops)
            x = op.apply(x);
        return x;
    }

    /** Sign (-1, 0, +1) of the product of the slopes: the direction of the chain. */
    public static int direction(java.util.List<ChannelOp> ops) {
        int s = 1;
        for (ChannelOp op : ops)
            s *= (int) Math.signum(op.slope());
        return s;
    }
}
