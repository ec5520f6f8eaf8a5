package ebnn.core.format;

import ebnn.api.io.AtomicFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import ebnn.api.EbnnException;
import ebnn.api.InvalidModelException;
import ebnn.api.ModelFormatException;
import ebnn.api.NotFoundException;
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
import ebnn.core.format.proto.ModelFileProto;

/**
 * ebnn's own model file (.ebnn): the float-level {@link Model}, lossless.
 * <p>
 * Layout: the 4 ASCII bytes {@code EBNN}, a big-endian uint32 format version ({@value #VERSION}),
 * then one {@code ModelFile} protobuf message (schema: src/main/proto/ebnn/model_file.proto).
 * Version 2: the weights of a binarized dense or conv layer (each output channel's
 * weights +s or −s) are stored as one sign bit each plus the per-channel scales, every other
 * parameter as float64 (version 1 stored all of them as float64; it still reads). Version 3, written
 * since: an affine layer's scale and shift are stored as integers times one power of two (zigzag
 * varints) when that is exact and smaller, which is how {@link ebnn.core.lower.ThresholdForm} writes a
 * trained model's batch norms as the integer thresholds they lower to. Every version reads, and
 * {@code fromBytes(toBytes(m)).equals(m)} for every valid model: the encoding is lossless; what a
 * writer chooses to keep of a trained model (its float batch norms or their thresholds) is decided
 * before, by which model it writes.
 * <p>
 * Reading never trusts the file: the header is checked before anything is parsed, a file larger
 * than {@value #MAX_FILE_BYTES} bytes is refused before it is read, the message is pre-scanned so
 * that a hostile count of layers, labels, dyadic values or oversized names is refused before protobuf builds
 * objects for them, and every declared size is compared with {@link Shape#MAX_ELEMENTS} and with
 * the arrays actually present before a layer is built. Every failure is a
 * {@link ModelFormatException} (or {@link NotFoundException} for a missing file) whose message
 * names the file and, where it applies, the layer.
 */
public final class EbnnFormat {
    /** The format version this code writes, and the highest it reads. */
    public static final int VERSION = 3;

    /** The first version whose layers may hold {@code binary_weights}. */
    static final int BINARY_WEIGHTS_SINCE = 2;

    /** The first version whose affine layers may hold {@code Dyadic} values. */
    static final int DYADIC_SINCE = 3;

    /** Largest exponent of a {@code Dyadic} value: 2^-1100 is below the smallest double, so no exact value needs more. */
    static final int MAX_DYADIC_EXPONENT = 1100;

    /**
     * Most dyadic values one file may hold (each a long once parsed, from as little as one byte of the
     * file): counted by the pre-scan, so that a file of packed varints cannot make the parser allocate
     * eight times its size. Affine values are per channel; this is far more than any model has.
     */
    public static final int MAX_DYADIC_VALUES = 1 << 22;

    /** Largest numerator of a {@code Dyadic} value: every integer up to 2^53 is an exact double. */
    static final long MAX_DYADIC_NUMERATOR = 1L << 53;

    /** Largest file read or written; the biggest model this allows already has 64 M parameters. */
    public static final long MAX_FILE_BYTES = 512L << 20;

    /**
     * Most binary weights one file may expand to: as many parameters as the largest version-1 file
     * could hold as float64, so that one sign bit never becomes more memory than a version-1 file could ask for.
     */
    public static final long MAX_BINARY_WEIGHTS = MAX_FILE_BYTES / 8;

    /** Most layers a file may declare (a deep model has tens). */
    public static final int MAX_LAYERS = 1 << 16;

    /** Most class labels a file may declare. */
    public static final int MAX_LABELS = 1 << 20;

    /** Longest string (UTF-8 bytes) a file may hold in a name or label: generous for 1024-char names. */
    public static final int MAX_STRING_BYTES = 1 << 16;

    static final byte[] MAGIC = { 'E', 'B', 'N', 'N' };
    static final int HEADER_BYTES = 8;

    /** Tag of the checksum field (15, fixed32) that ends every message: (15 << 3) | 5. */
    static final int CRC_TAG = 0x7D;
    static final int TRAILER_BYTES = 5;

    /** Written into the file's producer field (informational). */
    static final String PRODUCER = "ebnn.core EbnnFormat v" + VERSION;

    private EbnnFormat() {
    }

    // ---------------------------------------------------------------- reading

    /** Reads a model file. */
    public static Model read(Path file) {
        return fromBytes(readBounded(file), file.toString());
    }

    /** Decodes the bytes of a model file. */
    public static Model fromBytes(byte[] bytes) {
        return fromBytes(bytes, "model bytes");
    }

    /** Whether the first bytes of a file are the .ebnn magic (for importers choosing by content). */
    public static boolean hasMagic(byte[] head) {
        if (head == null || head.length < MAGIC.length)
            return false;
        for (int i = 0; i < MAGIC.length; i++)
            if (head[i] != MAGIC[i])
                return false;
        return true;
    }

    private static byte[] readBounded(Path file) {
        if (file == null)
            throw new NotFoundException("no model file given");
        if (!Files.exists(file))
            throw new NotFoundException("model file not found: " + file);
        if (Files.isDirectory(file))
            throw new ModelFormatException(file + ": is a directory, not an .ebnn file");
        if (!Files.isRegularFile(file)) // a device or pipe has no size to check and may never end
            throw new ModelFormatException(file + ": not a regular file");
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES)
                throw tooLarge(file.toString(), size);
            // The size check alone does not bound a special file or one that grows while read.
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
                if (bytes.length > MAX_FILE_BYTES)
                    throw tooLarge(file.toString(), -1);
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new NotFoundException("model file not found: " + file);
        } catch (AccessDeniedException e) {
            throw new ModelFormatException(file + ": permission denied", e);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static ModelFormatException tooLarge(String source, long size) {
        return new ModelFormatException(source + ": " + (size >= 0 ? size + " bytes, " : "") + "larger than the "
                + MAX_FILE_BYTES + "-byte limit of an .ebnn file; refused before reading");
    }

    static Model fromBytes(byte[] bytes, String source) {
        if (bytes == null)
            throw new ModelFormatException(source + ": no bytes");
        if (bytes.length > MAX_FILE_BYTES)
            throw tooLarge(source, bytes.length);
        if (bytes.length < HEADER_BYTES || !hasMagic(bytes))
            throw new ModelFormatException(source + ": not an .ebnn file (" + describeHead(bytes)
                    + "; an .ebnn file starts with \"EBNN\" and a 4-byte version)");
        long version = ((bytes[4] & 0xffL) << 24) | ((bytes[5] & 0xffL) << 16) | ((bytes[6] & 0xffL) << 8) | (bytes[7] & 0xffL);
        if (version > VERSION)
            throw new ModelFormatException(source + ": .ebnn format version " + version
                    + " was written by a newer ebnn; this reader knows versions up to " + VERSION + " (upgrade ebnn)");
        if (version < 1)
            throw new ModelFormatException(source + ": .ebnn format version " + version + " is not a valid version (corrupt header)");
        checkTrailer(bytes, source);
        prescan(bytes, source);
        ModelFileProto.ModelFile file;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES);
            file = ModelFileProto.ModelFile.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(source + ": corrupt or truncated .ebnn file (" + e.getMessage() + ")", e);
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(source + ": corrupt .ebnn file (" + e + ")", e);
        }
        return decode(file, (int) version, source);
    }

    /** Verifies the CRC-32C trailer, which catches truncation and flipped bytes before any parsing. */
    private static void checkTrailer(byte[] bytes, String source) {
        int end = bytes.length - TRAILER_BYTES;
        if (end < HEADER_BYTES || bytes[end] != CRC_TAG)
            throw new ModelFormatException(source + ": truncated or corrupt .ebnn file (" + bytes.length
                    + " bytes; the checksum that ends every .ebnn file is missing)");
        int stored = (bytes[end + 1] & 0xff) | (bytes[end + 2] & 0xff) << 8 | (bytes[end + 3] & 0xff) << 16 | (bytes[end + 4] & 0xff) << 24;
        int actual = crc(bytes, HEADER_BYTES, end - HEADER_BYTES);
        if (stored != actual)
            throw new ModelFormatException(source + ": corrupt or truncated .ebnn file (checksum " + String.format("%08x", actual)
                    + " does not match the stored " + String.format("%08x", stored) + ")");
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** Header + message + checksum trailer: the bytes of a file holding {@code message}. */
    static byte[] frame(byte[] message, long version) {
        byte[] out = new byte[HEADER_BYTES + message.length + TRAILER_BYTES];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[4] = (byte) (version >>> 24);
        out[5] = (byte) (version >>> 16);
        out[6] = (byte) (version >>> 8);
        out[7] = (byte) version;
        System.arraycopy(message, 0, out, HEADER_BYTES, message.length);
        int end = HEADER_BYTES + message.length;
        int crc = crc(out, HEADER_BYTES, message.length);
        out[end] = (byte) CRC_TAG;
        for (int i = 0; i < 4; i++)
            out[end + 1 + i] = (byte) (crc >>> (8 * i));
        return out;
    }

    private static String describeHead(byte[] b) {
        if (b.length == 0)
            return "the file is empty";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, MAGIC.length); i++)
            sb.append(String.format("%02x", b[i] & 0xff));
        return (b.length < HEADER_BYTES ? "only " + b.length + " bytes, " : "") + "starts with 0x" + sb;
    }

    /** Most fields this reader does not know that a file may carry (a newer writer's additions). */
    static final int MAX_UNKNOWN_FIELDS = 4096;

    /**
     * Walks the message along the schema without building it, refusing what could only serve to
     * exhaust memory: too many layers, labels or unknown fields (protobuf keeps unknown fields,
     * boxed, one object per field) and oversized strings. Structural errors are left to the real
     * parse, which reports them.
     */
    private static void prescan(byte[] bytes, String source) {
        long[] counts = new long[4]; // layers, labels, unknown fields, dyadic values
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES);
            scan(in, ModelFileProto.ModelFile.getDescriptor(), true, counts, source);
        } catch (IOException e) {
            // malformed: the parse that follows reports it with the protobuf message
        }
    }

    private static void scan(CodedInputStream in, Descriptors.Descriptor type, boolean top, long[] counts, String source)
            throws IOException {
        while (true) {
            int tag = in.readTag();
            if (tag == 0)
                return;
            Descriptors.FieldDescriptor f = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
            boolean len = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            if (f == null) {
                if (++counts[2] > MAX_UNKNOWN_FIELDS)
                    throw new ModelFormatException(source + ": more than " + MAX_UNKNOWN_FIELDS + " fields this reader does not know; refused");
                if (!in.skipField(tag))
                    return;
            } else if (f.getContainingType() == ModelFileProto.Dyadic.getDescriptor() && f.getNumber() == ModelFileProto.Dyadic.NUMERATOR_FIELD_NUMBER) {
                int n = len ? in.readRawVarint32() : 1; // packed: at most one value a byte
                if (n < 0 || (counts[3] += n) > MAX_DYADIC_VALUES)
                    throw new ModelFormatException(source + ": more than " + MAX_DYADIC_VALUES + " dyadic values; refused before parsing");
                if (len)
                    in.skipRawBytes(n);
                else if (!in.skipField(tag))
                    return;
            } else if (len && f.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                if (top && f.getNumber() == ModelFileProto.ModelFile.LAYERS_FIELD_NUMBER && ++counts[0] > MAX_LAYERS)
                    throw new ModelFormatException(source + ": more than " + MAX_LAYERS + " layers; refused");
                int old = in.pushLimit(in.readRawVarint32()); // a length past the end fails later; the parse reports it
                scan(in, f.getMessageType(), false, counts, source);
                in.popLimit(old);
            } else if (len && f.getJavaType() == Descriptors.FieldDescriptor.JavaType.STRING) {
                if (top && f.getNumber() == ModelFileProto.ModelFile.LABELS_FIELD_NUMBER && ++counts[1] > MAX_LABELS)
                    throw new ModelFormatException(source + ": more than " + MAX_LABELS + " labels; refused");
                int n = in.readRawVarint32();
                if (n < 0 || n > MAX_STRING_BYTES)
                    throw new ModelFormatException(source + ": " + (top ? "" : "layer #" + (counts[0] - 1) + " ") + f.getName() + " of "
                            + Integer.toUnsignedLong(n) + " bytes is longer than the limit of " + MAX_STRING_BYTES);
                in.skipRawBytes(n);
            } else if (!in.skipField(tag))
                return;
        }
    }

    private static Model decode(ModelFileProto.ModelFile f, int version, String source) {
        if (!f.hasInput())
            throw new ModelFormatException(source + ": model '" + f.getName() + "' has no input spec");
        InputSpec input;
        try {
            ModelFileProto.InputSpec in = f.getInput();
            Layout layout = switch (in.getSourceLayout()) {
                case NHWC -> Layout.NHWC;
                case NCHW, LAYOUT_UNSPECIFIED -> Layout.NCHW;
                default -> throw new InvalidModelException("unknown source layout value " + in.getSourceLayoutValue());
            };
            InputSpec.RangeSource rangeSource = switch (in.getRangeSource()) {
                case RANGE_ASSUMED -> InputSpec.RangeSource.ASSUMED;
                case RANGE_GIVEN -> InputSpec.RangeSource.GIVEN;
                case RANGE_DECLARED -> InputSpec.RangeSource.DECLARED;
                default -> throw new InvalidModelException("unknown input range source value " + in.getRangeSourceValue());
            };
            input = new InputSpec(new Shape(in.getChannels(), in.getHeight(), in.getWidth()), layout, in.getLow(), in.getHigh(), rangeSource);
        } catch (InvalidModelException e) {
            throw new ModelFormatException(source + ": input spec: " + e.getMessage(), e);
        }
        List<Layer> layers = new ArrayList<>(f.getLayersCount());
        long[] binaryWeights = { 0 }; // expanded so far, against MAX_BINARY_WEIGHTS
        for (int i = 0; i < f.getLayersCount(); i++) {
            ModelFileProto.Layer l = f.getLayers(i);
            try {
                layers.add(decodeLayer(l, version, binaryWeights));
            } catch (EbnnException e) {
                throw new ModelFormatException(source + ": layer #" + i + ": " + e.getMessage(), e);
            }
        }
        try {
            return new Model(f.getName(), input, layers, f.getLabelsList());
        } catch (InvalidModelException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static Layer decodeLayer(ModelFileProto.Layer l, int version, long[] binaryWeights) {
        String name = Layer.checkName(l.getName());
        switch (l.getKindCase()) {
        case DENSE -> {
            ModelFileProto.Dense d = l.getDense();
            long n = declared("dense", name, "weights", (long) d.getInputs() * d.getOutputs(), d.getInputs(), d.getOutputs());
            Params w = d.hasBinaryWeights() ? binary("dense", name, n, d.getOutputs(), d.getWeightsCount(), d.getBinaryWeights(), version, binaryWeights)
                    : params("dense", name, "weights", n, d.getWeightsCount(), d::getWeights);
            Params b = params("dense", name, "bias", d.getBiasCount() == 0 ? 0 : d.getOutputs(), d.getBiasCount(), d::getBias);
            return new Dense(name, d.getInputs(), d.getOutputs(), w, b);
        }
        case CONV2D -> {
            ModelFileProto.Conv2d c = l.getConv2D();
            long n = declared("conv2d", name, "weights", (long) c.getInChannels() * c.getOutChannels() * c.getKernelH() * c.getKernelW(),
                    c.getInChannels(), c.getOutChannels(), c.getKernelH(), c.getKernelW());
            Params w = c.hasBinaryWeights() ? binary("conv2d", name, n, c.getOutChannels(), c.getWeightsCount(), c.getBinaryWeights(), version, binaryWeights)
                    : params("conv2d", name, "weights", n, c.getWeightsCount(), c::getWeights);
            Params b = params("conv2d", name, "bias", c.getBiasCount() == 0 ? 0 : c.getOutChannels(), c.getBiasCount(), c::getBias);
            return new Conv2d(name, c.getInChannels(), c.getOutChannels(), c.getKernelH(), c.getKernelW(), c.getStrideH(),
                    c.getStrideW(), padding(c.hasPadding() ? c.getPadding() : null), w, b);
        }
        case BATCH_NORM -> {
            ModelFileProto.BatchNorm b = l.getBatchNorm();
            long n = declared("batchnorm", name, "channels", b.getChannels(), b.getChannels());
            return new BatchNorm(name, b.getChannels(), params("batchnorm", name, "gamma", n, b.getGammaCount(), b::getGamma),
                    params("batchnorm", name, "beta", n, b.getBetaCount(), b::getBeta),
                    params("batchnorm", name, "mean", n, b.getMeanCount(), b::getMean),
                    params("batchnorm", name, "variance", n, b.getVarianceCount(), b::getVariance), b.getEpsilon());
        }
        case MAX_POOL -> {
            ModelFileProto.MaxPool2d p = l.getMaxPool();
            return new MaxPool2d(name, p.getKernelH(), p.getKernelW(), p.getStrideH(), p.getStrideW(),
                    padding(p.hasPadding() ? p.getPadding() : null));
        }
        case SIGN -> {
            return new Sign(name);
        }
        case FLATTEN -> {
            return new Flatten(name);
        }
        case AFFINE -> {
            ModelFileProto.Affine a = l.getAffine();
            long n = declared("affine", name, "channels", a.getChannels(), a.getChannels());
            // scale and shift may each hold one broadcast value
            Params scale = a.hasScaleDyadic() ? dyadic(name, "scale", n, a.getScaleCount(), a.getScaleDyadic(), version)
                    : params("affine", name, "scale", a.getScaleCount() == 1 ? 1 : n, a.getScaleCount(), a::getScale);
            Params shift = a.hasShiftDyadic() ? dyadic(name, "shift", n, a.getShiftCount(), a.getShiftDyadic(), version)
                    : params("affine", name, "shift", a.getShiftCount() == 1 ? 1 : n, a.getShiftCount(), a::getShift);
            return new Affine(name, a.getChannels(), scale, shift);
        }
        default -> throw new ModelFormatException("layer '" + name + "' has no kind this reader knows (written by a newer ebnn?)");
        }
    }

    /** Checks a declared element count against the dimensions being positive and {@link Shape#MAX_ELEMENTS}. */
    private static long declared(String kind, String name, String what, long n, int... dims) {
        for (int d : dims)
            if (d <= 0)
                throw new ModelFormatException(kind + " layer '" + name + "': declared size " + d + " is not positive");
        if (n > Shape.MAX_ELEMENTS)
            throw new ModelFormatException(kind + " layer '" + name + "': declares " + n + " " + what
                    + ", more than the limit of " + Shape.MAX_ELEMENTS);
        return n;
    }

    private interface DoubleAt {
        double get(int i);
    }

    /** Copies a repeated double field after checking its length against what the layer declares. */
    private static Params params(String kind, String name, String what, long expected, int actual, DoubleAt values) {
        if (actual != expected)
            throw new ModelFormatException(kind + " layer '" + name + "': declares " + expected + " " + what + " but the file holds "
                    + actual);
        double[] v = new double[actual];
        for (int i = 0; i < actual; i++)
            v[i] = values.get(i);
        return Params.of(v);
    }

    /**
     * The weights of a {@code binary_weights} field, after checking the version, that no float weights
     * are there too, the number of sign bytes against the declared weight count, the scales (one per
     * output channel or one; finite, positive), the unused bits of the last byte and the file's total
     * of binary weights, all before the weights are expanded.
     */
    private static Params binary(String kind, String name, long n, int outputs, int floatWeights, ModelFileProto.BinaryWeights b, int version,
            long[] expanded) {
        if (version < BINARY_WEIGHTS_SINCE)
            throw new ModelFormatException(kind + " layer '" + name + "': binary weights in a version " + version + " file (they exist since version "
                    + BINARY_WEIGHTS_SINCE + ")");
        if (floatWeights != 0)
            throw new ModelFormatException(kind + " layer '" + name + "': holds both " + floatWeights + " float weights and binary weights");
        long bytes = (n + 7) / 8;
        if (b.getSigns().size() != bytes)
            throw new ModelFormatException(kind + " layer '" + name + "': declares " + n + " binary weights (" + bytes + " bytes of signs) but the file holds "
                    + b.getSigns().size() + " bytes");
        int scales = b.getScaleCount();
        if (scales != 1 && scales != outputs)
            throw new ModelFormatException(kind + " layer '" + name + "': binary weights need 1 or " + outputs + " (one per output) scales, the file holds "
                    + scales);
        for (int i = 0; i < scales; i++) {
            double s = b.getScale(i);
            if (!(s > 0) || !Double.isFinite(s))
                throw new ModelFormatException(kind + " layer '" + name + "': binary weight scale #" + i + " is " + s + ", not a finite positive number");
        }
        int last = n % 8 == 0 ? 0 : b.getSigns().byteAt((int) bytes - 1) & 0xff;
        if ((last >>> (n % 8)) != 0)
            throw new ModelFormatException(kind + " layer '" + name + "': the unused bits of the last sign byte are not 0");
        if (expanded[0] + n > MAX_BINARY_WEIGHTS)
            throw new ModelFormatException(kind + " layer '" + name + "': " + n + " binary weights bring the file's total to " + (expanded[0] + n)
                    + ", more than the limit of " + MAX_BINARY_WEIGHTS + "; refused before expanding them");
        expanded[0] += n;
        byte[] signs = b.getSigns().toByteArray();
        int perOutput = (int) (n / outputs);
        double[] w = new double[(int) n];
        for (int i = 0; i < w.length; i++) {
            double s = b.getScale(scales == 1 ? 0 : i / perOutput);
            w[i] = (signs[i >>> 3] >>> (i & 7) & 1) != 0 ? s : -s;
        }
        return Params.of(w);
    }

    /**
     * The values of an affine's {@code Dyadic} field, after checking the version, that no float64
     * values are there too, the count (1 or the declared channels), the exponent's and every
     * numerator's range, all before the values are built.
     */
    private static Params dyadic(String name, String what, long channels, int floats, ModelFileProto.Dyadic d, int version) {
        if (version < DYADIC_SINCE)
            throw new ModelFormatException("affine layer '" + name + "': dyadic " + what + " in a version " + version + " file (they exist since version "
                    + DYADIC_SINCE + ")");
        if (floats != 0)
            throw new ModelFormatException("affine layer '" + name + "': holds both " + floats + " float64 and dyadic " + what + " values");
        int n = d.getNumeratorCount();
        if (n != 1 && n != channels)
            throw new ModelFormatException("affine layer '" + name + "': declares " + channels + " channels but the file holds " + n + " dyadic "
                    + what + " values (1 or " + channels + " expected)");
        int e = d.getExponent();
        if (e < 0 || e > MAX_DYADIC_EXPONENT)
            throw new ModelFormatException("affine layer '" + name + "': dyadic " + what + " exponent " + e + " is outside 0.." + MAX_DYADIC_EXPONENT);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            long x = d.getNumerator(i);
            if (x > MAX_DYADIC_NUMERATOR || x < -MAX_DYADIC_NUMERATOR)
                throw new ModelFormatException("affine layer '" + name + "': dyadic " + what + " #" + i + " has numerator " + x
                        + ", beyond the exact doubles (|numerator| <= 2^53)");
            v[i] = Math.scalb((double) x, -e);
        }
        return Params.of(v);
    }

    private static Padding padding(ModelFileProto.Padding p) {
        return p == null ? Padding.NONE : new Padding(p.getTop(), p.getLeft(), p.getBottom(), p.getRight());
    }

    // ---------------------------------------------------------------- writing

    /** Encodes a model as the bytes of an .ebnn file. */
    public static byte[] toBytes(Model model) {
        if (model == null)
            throw new InvalidModelException("no model to write");
        long estimate = estimateBytes(model);
        if (estimate > MAX_FILE_BYTES)
            throw new InvalidModelException("model '" + model.name() + "' needs about " + estimate + " bytes, more than the "
                    + MAX_FILE_BYTES + "-byte limit of an .ebnn file");
        // The checksum field stays unset here: frame() appends it, computed over these bytes.
        return frame(encode(model, VERSION).toByteArray(), VERSION);
    }

    /** The bytes of a version-1 file (all weights float64), as ebnn wrote before version 2: for tests that v1 stays readable. */
    static byte[] toBytesV1(Model model) {
        return frame(encode(model, 1).toByteArray(), 1);
    }

    /** The bytes of a version-2 file (affine values float64), as ebnn wrote before version 3: for tests that v2 stays readable. */
    static byte[] toBytesV2(Model model) {
        return frame(encode(model, 2).toByteArray(), 2);
    }

    /**
     * Writes a model file atomically ({@link AtomicFile}): an interrupted or failed write leaves any
     * previous file whole. Whether an existing file may be replaced is the caller's decision.
     */
    public static void write(Model model, Path file) {
        AtomicFile.write(file, true, toBytes(model));
    }

    private static long estimateBytes(Model m) {
        long n = HEADER_BYTES + 1024L + m.name().length() * 3L;
        for (String s : m.labels())
            n += 8 + s.length() * 3L;
        for (Layer l : m.layers()) {
            n += 64 + l.name().length() * 3L;
            if (l instanceof Dense d)
                n += 8L * (d.weights().length() + d.bias().length());
            else if (l instanceof Conv2d c)
                n += 8L * (c.weights().length() + c.bias().length());
            else if (l instanceof BatchNorm b)
                n += 32L * b.channels();
            else if (l instanceof Affine a)
                n += 8L * (a.scale().length() + a.shift().length());
        }
        return n;
    }

    private static ModelFileProto.ModelFile encode(Model m, int version) {
        ModelFileProto.ModelFile.Builder f = ModelFileProto.ModelFile.newBuilder()
                .setName(text(m.name(), "model name"))
                .setProducer(version == VERSION ? PRODUCER : "ebnn.core EbnnFormat v" + version);
        Shape s = m.input().shape();
        f.setInput(ModelFileProto.InputSpec.newBuilder().setChannels(s.channels()).setHeight(s.height()).setWidth(s.width())
                .setSourceLayout(m.input().sourceLayout() == Layout.NHWC ? ModelFileProto.Layout.NHWC : ModelFileProto.Layout.NCHW)
                .setLow(m.input().low()).setHigh(m.input().high())
                .setRangeSource(switch (m.input().rangeSource()) {
                    case ASSUMED -> ModelFileProto.RangeSource.RANGE_ASSUMED;
                    case GIVEN -> ModelFileProto.RangeSource.RANGE_GIVEN;
                    case DECLARED -> ModelFileProto.RangeSource.RANGE_DECLARED;
                }));
        for (int i = 0; i < m.labels().size(); i++)
            f.addLabels(text(m.labels().get(i), "label " + i));
        for (Layer l : m.layers())
            f.addLayers(encodeLayer(l, version >= BINARY_WEIGHTS_SINCE, version >= DYADIC_SINCE));
        return f.build();
    }

    private static ModelFileProto.Layer encodeLayer(Layer layer, boolean binaryWeights, boolean dyadic) {
        ModelFileProto.Layer.Builder b = ModelFileProto.Layer.newBuilder().setName(text(layer.name(), layer.kind() + " layer name"));
        if (layer instanceof Dense d) {
            ModelFileProto.Dense.Builder x = ModelFileProto.Dense.newBuilder().setInputs(d.inputs()).setOutputs(d.outputs());
            ModelFileProto.BinaryWeights bw = binaryWeights ? binaryWeights(d.weights(), d.outputs()) : null;
            if (bw != null)
                x.setBinaryWeights(bw);
            else
                for (int i = 0; i < d.weights().length(); i++)
                    x.addWeights(d.weights().get(i));
            for (int i = 0; i < d.bias().length(); i++)
                x.addBias(d.bias().get(i));
            b.setDense(x);
        } else if (layer instanceof Conv2d c) {
            ModelFileProto.Conv2d.Builder x = ModelFileProto.Conv2d.newBuilder().setInChannels(c.inChannels())
                    .setOutChannels(c.outChannels()).setKernelH(c.kernelH()).setKernelW(c.kernelW()).setStrideH(c.strideH())
                    .setStrideW(c.strideW()).setPadding(padding(c.padding()));
            ModelFileProto.BinaryWeights bw = binaryWeights ? binaryWeights(c.weights(), c.outChannels()) : null;
            if (bw != null)
                x.setBinaryWeights(bw);
            else
                for (int i = 0; i < c.weights().length(); i++)
                    x.addWeights(c.weights().get(i));
            for (int i = 0; i < c.bias().length(); i++)
                x.addBias(c.bias().get(i));
            b.setConv2D(x);
        } else if (layer instanceof BatchNorm n) {
            ModelFileProto.BatchNorm.Builder x = ModelFileProto.BatchNorm.newBuilder().setChannels(n.channels()).setEpsilon(n.epsilon());
            for (int i = 0; i < n.channels(); i++) {
                x.addGamma(n.gamma().get(i));
                x.addBeta(n.beta().get(i));
                x.addMean(n.mean().get(i));
                x.addVariance(n.variance().get(i));
            }
            b.setBatchNorm(x);
        } else if (layer instanceof MaxPool2d p) {
            b.setMaxPool(ModelFileProto.MaxPool2d.newBuilder().setKernelH(p.kernelH()).setKernelW(p.kernelW()).setStrideH(p.strideH())
                    .setStrideW(p.strideW()).setPadding(padding(p.padding())));
        } else if (layer instanceof Sign) {
            b.setSign(ModelFileProto.Sign.getDefaultInstance());
        } else if (layer instanceof Flatten) {
            b.setFlatten(ModelFileProto.Flatten.getDefaultInstance());
        } else if (layer instanceof Affine a) {
            ModelFileProto.Affine.Builder x = ModelFileProto.Affine.newBuilder().setChannels(a.channels());
            ModelFileProto.Dyadic scale = dyadic ? dyadic(a.scale()) : null, shift = dyadic ? dyadic(a.shift()) : null;
            if (scale != null)
                x.setScaleDyadic(scale);
            else
                for (int i = 0; i < a.scale().length(); i++)
                    x.addScale(a.scale().get(i));
            if (shift != null)
                x.setShiftDyadic(shift);
            else
                for (int i = 0; i < a.shift().length(); i++)
                    x.addShift(a.shift().get(i));
            b.setAffine(x);
        } else
            throw new InvalidModelException("cannot write layer '" + layer.name() + "' of kind " + layer.kind());
        return b.build();
    }

    /**
     * Sign bits and scales of weights that are, per output channel, exactly +s or −s (s finite and
     * positive); null when they are not (they are then stored as float64). One scale when all
     * channels share it.
     */
    private static ModelFileProto.BinaryWeights binaryWeights(Params w, int outputs) {
        int n = w.length(), per = n / outputs;
        if (n == 0 || per * outputs != n)
            return null;
        double[] scale = new double[outputs];
        byte[] signs = new byte[(n + 7) / 8];
        boolean shared = true;
        for (int o = 0; o < outputs; o++) {
            double s = Math.abs(w.get(o * per));
            if (!(s > 0) || !Double.isFinite(s))
                return null;
            for (int i = o * per; i < (o + 1) * per; i++) {
                double v = w.get(i);
                if (Math.abs(v) != s)
                    return null;
                if (v > 0)
                    signs[i >>> 3] |= (byte) (1 << (i & 7));
            }
            scale[o] = s;
            shared &= s == scale[0];
        }
        ModelFileProto.BinaryWeights.Builder b = ModelFileProto.BinaryWeights.newBuilder().setSigns(com.google.protobuf.ByteString.copyFrom(signs));
        for (int o = 0; o < (shared ? 1 : outputs); o++)
            b.addScale(scale[o]);
        return b.build();
    }

    /**
     * The values as integers times 2^-e (the smallest e that makes all of them integers), or null
     * when that is not exact (−0.0, non-finite, a numerator beyond 2^53) or not smaller than float64.
     */
    private static ModelFileProto.Dyadic dyadic(Params p) {
        int n = p.length(), e = 0;
        if (n == 0)
            return null;
        for (int i = 0; i < n; i++) {
            double v = p.get(i);
            if (!Double.isFinite(v) || Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(-0.0))
                return null;
            while (e <= MAX_DYADIC_EXPONENT && Math.scalb(v, e) != Math.rint(Math.scalb(v, e)))
                e++;
            if (e > MAX_DYADIC_EXPONENT)
                return null;
        }
        ModelFileProto.Dyadic.Builder d = ModelFileProto.Dyadic.newBuilder().setExponent(e);
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            double x = Math.scalb(p.get(i), e);
            if (Math.abs(x) > MAX_DYADIC_NUMERATOR || Math.scalb(x, -e) != p.get(i)) // an underflow would lose bits
                return null;
            long num = (long) x;
            d.addNumerator(num);
            bytes += com.google.protobuf.CodedOutputStream.computeSInt64SizeNoTag(num);
        }
        return bytes + 2 < 8L * n ? d.build() : null;
    }

    private static ModelFileProto.Padding padding(Padding p) {
        return ModelFileProto.Padding.newBuilder().setTop(p.top()).setLeft(p.left()).setBottom(p.bottom()).setRight(p.right()).build();
    }

    /**
     * Protobuf strings are UTF-8; a Java string with an unpaired surrogate would be silently
     * replaced by '?', so such a name is refused instead of written lossily.
     */
    private static String text(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                i++;
            else if (Character.isSurrogate(c))
                throw new InvalidModelException(what + " '" + s.replaceAll("[\\uD800-\\uDFFF]", "?")
                        + "' holds an unpaired UTF-16 surrogate at index " + i + "; it cannot be stored as UTF-8");
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_STRING_BYTES)
            throw new InvalidModelException(what + " is longer than " + MAX_STRING_BYTES + " UTF-8 bytes");
        return s;
    }
}
