package ebnn.api.data;

import java.nio.file.Path;

import ebnn.api.model.InputSpec;
import ebnn.api.model.Layout;
import ebnn.api.model.Shape;

/**
 * How to read a data path for a model.
 *
 * @param shape       the model's CHW input shape; samples must hold the same values (equal shape, or
 *                    equal size where one side is flat). Null: the data's own shape.
 * @param low         value that byte 0 stands for (the model's input range); non-uint8 data are
 *                    converted by it, a value outside [low, high] is an error
 * @param high        value that byte 255 stands for
 * @param layout      how to read 3-D samples (NCHW or NHWC); null: from the model's shape, else guessed
 * @param labels      a separate label file (.npy or IDX1), or null
 * @param xName       array of the samples in an .npz, or null for {@code x} (then {@code x_test}/{@code x_train})
 * @param yName       array of the labels in an .npz, or null for {@code y} (then {@code y_test}/{@code y_train})
 * @param labelColumn CSV column holding the label, or null for a column named {@code label} if any
 * @param resizeWidth images are resized to this width (with resizeHeight), 0: never resized
 * @param resizeHeight see resizeWidth
 * @param training    for sources with splits (IDX folders, .npz with x_train/x_test): the training split
 * @param single      the path is one sample (classify --input): a leading axis of 1 is dropped, none assumed
 */
public record DataOptions(Shape shape, double low, double high, Layout layout, Path labels, String xName, String yName,
        String labelColumn, int resizeWidth, int resizeHeight, boolean training, boolean single) {

    public DataOptions {
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(high > low))
            throw new IllegalArgumentException("input range must be finite with high > low: " + low + ".." + high);
        if (resizeWidth < 0 || resizeHeight < 0 || (resizeWidth == 0) != (resizeHeight == 0))
            throw new IllegalArgumentException("resize needs a positive width and height: " + resizeWidth + "x" + resizeHeight);
    }

    /** Samples for a model with this input: its shape and range, the test split. */
    public static DataOptions forInput(InputSpec input) {
        return new DataOptions(input.shape(), input.low(), input.high(), null, null, null, null, null, 0, 0, false, false);
    }

    /** The data's own shape, values as raw bytes 0..255 (the range trained models declare). */
    public static DataOptions raw() {
        return new DataOptions(null, 0, 255, null, null, null, null, null, 0, 0, false, false);
    }

    public DataOptions withShape(Shape s) {
        return new DataOptions(s, low, high, layout, labels, xName, yName, labelColumn, resizeWidth, resizeHeight, training, single);
    }

    public DataOptions withRange(double lo, double hi) {
        return new DataOptions(shape, lo, hi, layout, labels, xName, yName, labelColumn, resizeWidth, resizeHeight, training, single);
    }

    public DataOptions withLayout(Layout l) {
        return new DataOptions(shape, low, high, l, labels, xName, yName, labelColumn, resizeWidth, resizeHeight, training, single);
    }

    public DataOptions withLabels(Path p) {
        return new DataOptions(shape, low, high, layout, p, xName, yName, labelColumn, resizeWidth, resizeHeight, training, single);
    }

    public DataOptions withArrays(String x, String y) {
        return new DataOptions(shape, low, high, layout, labels, x, y, labelColumn, resizeWidth, resizeHeight, training, single);
    }

    public DataOptions withLabelColumn(String c) {
        return new DataOptions(shape, low, high, layout, labels, xName, yName, c, resizeWidth, resizeHeight, training, single);
    }

    public DataOptions withResize(int w, int h) {
        return new DataOptions(shape, low, high, layout, labels, xName, yName, labelColumn, w, h, training, single);
    }

    public DataOptions withTraining(boolean t) {
        return new DataOptions(shape, low, high, layout, labels, xName, yName, labelColumn, resizeWidth, resizeHeight, t, single);
    }

    public DataOptions withSingle(boolean s) {
        return new DataOptions(shape, low, high, layout, labels, xName, yName, labelColumn, resizeWidth, resizeHeight, training, s);
    }
}
