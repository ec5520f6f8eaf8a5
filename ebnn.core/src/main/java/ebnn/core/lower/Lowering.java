package ebnn.core.lower;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ebnn.api.UnsupportedModelException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.BitMatrix;
import ebnn.api.binary.Block;
import ebnn.api.binary.ByteInput;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.IntArray;
import ebnn.api.binary.PoolCombine;
import ebnn.api.binary.PoolGeometry;
import ebnn.api.binary.Thresholds;
import ebnn.api.model.Conv2d;
import ebnn.api.model.Dense;
import ebnn.api.model.Flatten;
import ebnn.api.model.Layer;
import ebnn.api.model.MaxPool2d;
import ebnn.api.model.Model;
import ebnn.api.model.Padding;
import ebnn.api.model.Shape;

/**
 * The eBNN lowering: float-level {@link Model} to integer {@link BinaryModel}, driving the passes
 * in order: the float-level clean-ups of {@link ebnn.core.passes.Passes#STANDARD}, {@link Segmentation} (which layers form a block), {@link InputThresholds} or
 * {@link ByteInputFolding} (the first block's input), {@link WeightBinarizer} (±α weights to bits,
 * CHW → HWC columns), {@link ThresholdFolding} (batch norm + sign to τ, flipping rows with a
 * decreasing chain), {@link PoolCombineRule} (OR/AND per channel) and {@link ScoreQuantizer}
 * (the last block's int32 scores). Stateless and thread-safe.
 */
public final class Lowering {
    private static final Logger LOG = LoggerFactory.getLogger(Lowering.class);

    private Lowering() {
    }

    /**
     * A lowered model with what lowering decided.
     *
     * @param scoreBound float score gap below which the integer argmax may differ from the float
     *                   argmax (0 when the scores are the accumulators themselves); see {@link ScoreQuantizer}
     * @param scoreScale the fixed-point factor K of the scores (integer score ≈ K · float score)
     * @param notes      one line per block for reports
     */
    public record Result(BinaryModel model, double scoreBound, double scoreScale, List<String> notes) {
        public Result {
            notes = List.copyOf(notes);
        }
    }

    public static BinaryModel lower(Model model) {
        return lowerWithReport(model).model();
    }

    public static Result lowerWithReport(Model source) {
        // the float-level clean-ups first, whatever made the model (importer, trainer, .ebnn file)
        Model model = ebnn.core.passes.Passes.apply(source);
        Segmentation seg = Segmentation.of(model);
        List<Block> blocks = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Shape dev = model.input().shape();
        boolean flattened = seg.inputChain().stream().anyMatch(l -> l instanceof Flatten);
        boolean bits = false;
        if (seg.inputSign() != null) {
            var b = InputThresholds.build(seg.inputSign().name(), model.input(), seg.inputChain(), seg.inputSign());
            blocks.add(b);
            notes.add("input threshold '" + b.name() + "': " + dev.channels() + " channel threshold(s) " + b.thresholds());
            bits = true;
        }
        double scoreBound = 0, scoreScale = 1;
        for (Segment s : seg.segments()) {
            if (!s.before().isEmpty())
                flattened = true;
            Layer comp = s.compute();
            if (comp instanceof Conv2d && flattened && !dev.isVector())
                throw new UnsupportedModelException("conv2d layer '" + comp.name() + "' reads a flattened " + dev
                        + " tensor; a convolution must read the feature map itself");
            WeightBinarizer.BinaryWeights bw = WeightBinarizer.binarize(comp, dev);
            int rows = bw.signs().rows(), fanIn = bw.signs().cols();
            double[] a = new double[rows], b = new double[rows];
            ByteInput byteInput = null;
            double k = 1;
            ByteInputFolding.Choice choice = null;
            ByteInputFolding.InputAffine inAff = null;
            if (!bits) {
                inAff = ByteInputFolding.analyze(model.input(), seg.inputChain(), comp);
                boolean padded = comp instanceof Conv2d cv && !cv.padding().equals(Padding.NONE);
                choice = ByteInputFolding.choose(inAff, padded, comp);
                byteInput = choice.byteInput();
                k = choice.k();
            }
            for (int r = 0; r < rows; r++) {
                double bias = comp instanceof Dense d ? d.biasOf(r) : ((Conv2d) comp).biasOf(r);
                a[r] = bw.alpha()[r] * k;
                b[r] = bias + (choice != null && choice.foldOffsets() ? bw.alpha()[r] * bw.signedChannelSum(r, inAff.offset()) : 0);
            }
            long maxAcc = bits ? fanIn : (long) fanIn * byteInput.maxMagnitude();
            if (maxAcc >= Integer.MAX_VALUE / 2)
                throw new UnsupportedModelException(comp.kind() + " layer '" + comp.name() + "': fan-in " + fanIn
                        + (bits ? "" : " on byte input") + " gives accumulators up to " + maxAcc + ", which do not fit int32");

            // per-channel steps before and after the pool, tracking the shape they see
            Shape cur = comp instanceof Dense ? Shape.vector(rows) : comp.outputShape(dev);
            boolean flat = false;
            MaxPool2d pool = s.pool();
            List<List<ChannelOp>> pre = new ArrayList<>(), post = new ArrayList<>();
            for (int c = 0; c < rows; c++) {
                pre.add(new ArrayList<>());
                post.add(new ArrayList<>());
            }
            boolean poolSeen = false;
            for (Layer l : s.tail()) {
                if (l instanceof Flatten) {
                    flat = true;
                } else if (l instanceof MaxPool2d p) {
                    checkPool(comp, p, flat, cur);
                    cur = p.outputShape(cur);
                    poolSeen = true;
                } else {
                    for (int c = 0; c < rows; c++)
                        (poolSeen ? post : pre).get(c).add(ChannelOp.of(l, cur, flat, c));
                }
            }
            for (Layer l : s.afterSign()) {
                if (l instanceof Flatten)
                    flat = true;
                else if (l instanceof MaxPool2d p) {
                    checkPool(comp, p, flat, cur);
                    cur = p.outputShape(cur);
                }
            }

            Block block;
            if (s.scores()) {
                double[] fa = new double[rows], fb = new double[rows];
                for (int c = 0; c < rows; c++) {
                    double sa = a[c], sb = b[c];
                    for (ChannelOp op : pre.get(c)) {
                        sb = sb * op.slope() + op.intercept();
                        sa = sa * op.slope();
                    }
                    fa[c] = sa;
                    fb[c] = sb;
                }
                ScoreQuantizer.Quantized q = ScoreQuantizer.quantize(fa, fb, maxAcc, "dense layer '" + comp.name() + "'");
                block = new DenseBlock(comp.name(), bits ? ebnn.api.binary.InputKind.BITS : ebnn.api.binary.InputKind.BYTES,
                        byteInput, dev, rows, bw.signs(), q.scores());
                scoreBound = q.bound();
                scoreScale = q.k();
                notes.add("dense '" + comp.name() + "' -> scores, " + rows + " classes, "
                        + (q.bound() == 0 ? "scores = accumulators (exact argmax)"
                                : "fixed point K = 2^" + Math.getExponent(q.k()) + ", argmax exact unless the float top-2 are within "
                                        + String.format(java.util.Locale.ROOT, "%.3g", q.bound())));
            } else {
                int[] tau = new int[rows];
                boolean[] flip = new boolean[rows];
                List<PoolCombine> combine = new ArrayList<>();
                int flips = 0, constants = 0, ands = 0;
                boolean exhaustive = ThresholdFolding.exhaustive(rows, maxAcc);
                for (int c = 0; c < rows; c++) {
                    List<ChannelOp> p1 = pre.get(c), p2 = post.get(c);
                    double ac = a[c], bc = b[c];
                    double sa = ac, sb = bc;
                    for (ChannelOp op : p1) {
                        sb = sb * op.slope() + op.intercept();
                        sa = sa * op.slope();
                    }
                    for (ChannelOp op : p2) {
                        sb = sb * op.slope() + op.intercept();
                        sa = sa * op.slope();
                    }
                    int dir = ChannelOp.direction(p1) * ChannelOp.direction(p2);
                    double slope = dir == 0 ? 0 : Math.copySign(Math.max(Math.abs(sa), Double.MIN_VALUE), dir);
                    ChannelOp[] chain = java.util.stream.Stream.concat(p1.stream(), p2.stream()).toArray(ChannelOp[]::new);
                    ThresholdFolding.Folded f = ThresholdFolding.fold(acc -> ChannelOp.applyAll(chain, ac * acc + bc), slope, sb, maxAcc,
                            comp.kind() + " layer '" + comp.name() + "' channel " + c, exhaustive);
                    tau[c] = f.tau();
                    flip[c] = f.flip();
                    PoolCombine pc = pool == null ? PoolCombine.OR : PoolCombineRule.combine(s.poolAfterSign(), ChannelOp.direction(p2));
                    combine.add(pc);
                    flips += f.flip() ? 1 : 0;
                    constants += dir == 0 ? 1 : 0;
                    ands += pc == PoolCombine.AND ? 1 : 0;
                }
                BitMatrix w = BitMatrix.build(rows, fanIn, (r, col) -> bw.signs().get(r, col) ^ flip[r]);
                Thresholds th = new Thresholds(IntArray.of(tau), combine);
                var kind = bits ? ebnn.api.binary.InputKind.BITS : ebnn.api.binary.InputKind.BYTES;
                if (comp instanceof Conv2d cv) {
                    PoolGeometry pg = pool == null ? null
                            : new PoolGeometry(pool.kernelH(), pool.kernelW(), pool.strideH(), pool.strideW(), pool.padding());
                    block = new ConvBlock(cv.name(), kind, byteInput, dev, cv.outChannels(), cv.kernelH(), cv.kernelW(), cv.strideH(),
                            cv.strideW(), cv.padding(), w, pg, th);
                } else {
                    if (pool != null)
                        throw new UnsupportedModelException("maxpool layer '" + pool.name() + "' pools the vector output of dense layer '"
                                + comp.name() + "'");
                    block = new DenseBlock(comp.name(), kind, byteInput, dev, rows, w, th);
                }
                notes.add(comp.kind() + " '" + comp.name() + "' -> " + (comp instanceof Conv2d ? "conv" : "dense") + " block, " + rows
                        + " channels" + (pool == null ? "" : ", pool " + (s.poolAfterSign() ? "after sign" : "before sign")
                                + (ands > 0 ? " (" + ands + " AND)" : ""))
                        + (flips > 0 ? ", " + flips + " flipped (decreasing)" : "") + (constants > 0 ? ", " + constants + " constant" : "")
                        + (byteInput != null ? ", byte input q = " + byteInput.multiplier() + "p" + (byteInput.offset() >= 0 ? "+" : "")
                                + byteInput.offset() : ""));
            }
            if (!block.outputShape().equals(cur) && !(s.scores()))
                throw new IllegalStateException("lowering of '" + comp.name() + "' gives " + block.outputShape() + ", float model " + cur);
            blocks.add(block);
            dev = block.outputShape();
            bits = true;
            flattened = flat;
        }
        BinaryModel bm = new BinaryModel(model.name(), model.input().shape(), blocks, model.labels());
        notes.forEach(n -> LOG.debug("{}: {}", model.name(), n));
        return new Result(bm, scoreBound, scoreScale, notes);
    }

    private static void checkPool(Layer comp, MaxPool2d p, boolean flat, Shape cur) {
        if (comp instanceof Dense)
            throw new UnsupportedModelException("maxpool layer '" + p.name() + "' pools the vector output of dense layer '" + comp.name() + "'");
        if (flat && !cur.isVector())
            throw new UnsupportedModelException("maxpool layer '" + p.name() + "' follows a flatten");
    }
}
