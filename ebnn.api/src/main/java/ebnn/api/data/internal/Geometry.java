package ebnn.api.data.internal;

import java.util.Arrays;

import ebnn.api.data.DataException;
import ebnn.api.model.Layout;
import ebnn.api.model.Shape;

/**
 * How one sample's axes (as stored, after the sample axis) become the CHW bytes a model takes.
 *
 * @param stored   the sample's CHW shape as the file holds it
 * @param hwc      the file interleaves channels (HWC); bytes are reordered to CHW
 * @param shape    the shape delivered: the model's when given (same values, possibly flat), else stored
 */
record Geometry(Shape stored, boolean hwc, Shape shape) {

    /**
     * @param dims      axes of one sample in file order (1 to 3 of them)
     * @param fileOrder the layout the format defines (IDX4 is NHWC), or null when it does not say
     * @param asked     the layout the user asked for, or null
     * @param target    the model's input shape, or null
     */
    static Geometry of(String source, long[] dims, Layout fileOrder, Layout asked, Shape target) {
        for (long d : dims)
            if (d <= 0 || d > Shape.MAX_ELEMENTS)
                throw new DataException(source + ": sample axes " + Arrays.toString(dims) + " are not a usable shape");
        long size = 1;
        for (long d : dims)
            size *= d;
        if (size > Shape.MAX_ELEMENTS)
            throw new DataException(source + ": samples of " + Arrays.toString(dims) + " hold " + size + " values, more than the limit of " + Shape.MAX_ELEMENTS);
        Shape stored;
        boolean hwc = false;
        switch (dims.length) {
            case 1 -> stored = Shape.vector((int) dims[0]);
            case 2 -> stored = new Shape(1, (int) dims[0], (int) dims[1]);
            case 3 -> {
                Shape chw = new Shape((int) dims[0], (int) dims[1], (int) dims[2]);
                Shape fromHwc = new Shape((int) dims[2], (int) dims[0], (int) dims[1]);
                Layout l = asked != null ? asked : fileOrder;
                if (l == null && target != null)
                    l = chw.equals(target) ? Layout.NCHW : fromHwc.equals(target) ? Layout.NHWC : null;
                if (l == null) // no model and nothing declared: channels are the small axis
                    l = dims[2] <= 4 && dims[0] > 4 ? Layout.NHWC : Layout.NCHW;
                hwc = l == Layout.NHWC;
                stored = hwc ? fromHwc : chw;
            }
            default -> throw new DataException(source + ": samples have " + dims.length + " axes " + Arrays.toString(dims)
                    + "; expected 1 (features), 2 (height x width) or 3 (channels, height, width in either order)");
        }
        return new Geometry(stored, hwc, target == null ? stored : compatible(source, stored, target, hwc));
    }

    /** The model's shape if the stored samples hold the same values in an order it reads; otherwise an error naming both. */
    static Shape compatible(String source, Shape stored, Shape target, boolean hwc) {
        if (stored.equals(target) || stored.size() == target.size() && (flat(stored) || flat(target)))
            return target;
        throw new DataException(source + ": samples of " + describe(stored, hwc) + " do not fit the model's input " + target
                + (stored.size() == target.size() ? " (same number of values, different layout; try --layout nchw or --layout nhwc)" : ""));
    }

    /** At most one axis longer than 1: a row-major flatten does not reorder it. */
    static boolean flat(Shape s) {
        int n = (s.channels() > 1 ? 1 : 0) + (s.height() > 1 ? 1 : 0) + (s.width() > 1 ? 1 : 0);
        return n <= 1;
    }

    static String describe(Shape s, boolean hwc) {
        return hwc ? s + " (stored as HxWxC " + s.height() + "x" + s.width() + "x" + s.channels() + ")" : s.toString();
    }

    /** Reorders one sample from file order to CHW in place of {@code out}. */
    void toChw(byte[] fileOrder, byte[] out) {
        if (!hwc || stored.channels() == 1) {
            System.arraycopy(fileOrder, 0, out, 0, out.length);
            return;
        }
        int c = stored.channels(), plane = stored.height() * stored.width();
        for (int p = 0; p < plane; p++)
            for (int k = 0; k < c; k++)
                out[k * plane + p] = fileOrder[p * c + k];
    }
}
