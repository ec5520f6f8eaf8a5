package ebnn.onnx;

import ebnn.api.model.Layout;
import ebnn.api.model.Shape;

/**
 * The graph input of an ONNX file as the file itself takes it, so a reference runtime can be fed
 * the same samples as the imported model.
 *
 * @param name         graph input name
 * @param dims         declared dims, batch first (a dynamic batch is given as 1)
 * @param dynamicBatch whether the batch dimension is symbolic
 * @param layout       NCHW (or vector) or NHWC
 * @param shape        the CHW shape the imported model takes
 * @param rawLow       the file's input value for byte 0
 * @param rawHigh      the file's input value for byte 255
 */
public record OnnxInput(String name, long[] dims, boolean dynamicBatch, Layout layout, Shape shape, double rawLow, double rawHigh) {

    /** The file's input value for an unsigned byte. */
    public float valueOf(int unsignedByte) {
        return (float) (rawLow + unsignedByte * (rawHigh - rawLow) / 255.0);
    }

    /** One sample of CHW bytes as the file's input values, in the file's layout. */
    public void toInput(byte[] chw, int offset, float[] out, int outOffset) {
        int c = shape.channels(), h = shape.height(), w = shape.width();
        if (layout == Layout.NHWC) {
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int k = 0; k < c; k++)
                        out[outOffset + (y * w + x) * c + k] = valueOf(chw[offset + (k * h + y) * w + x] & 0xff);
        } else {
            int n = shape.size();
            for (int i = 0; i < n; i++)
                out[outOffset + i] = valueOf(chw[offset + i] & 0xff);
        }
    }
}
