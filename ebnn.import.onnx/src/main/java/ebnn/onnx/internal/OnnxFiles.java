package ebnn.onnx.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;

import ai.onnx.proto.OnnxMl.ModelProto;
import ebnn.api.ModelFormatException;
import ebnn.api.NotFoundException;

/** Reads ONNX files with protobuf-java and the generated schema, with limits checked before anything large is allocated. */
public final class OnnxFiles {
    /** protobuf-java cannot address more than 2 GB; real BNNs are far smaller. */
    static final long MAX_FILE_BYTES = 1L << 30;

    private OnnxFiles() {
    }

    public static ModelProto read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("model file not found: " + file);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size > MAX_FILE_BYTES)
            throw new ModelFormatException(file + ": " + size + " bytes, more than the " + MAX_FILE_BYTES + " bytes ebnn reads");
        if (size == 0)
            throw new ModelFormatException(file + ": empty file, not an ONNX model");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    public static ModelProto parse(byte[] bytes, String what) {
        ModelProto m;
        try {
            // a length prefix larger than the buffer fails fast: the parser checks it against the bytes present
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(64);
            in.setSizeLimit(bytes.length);
            m = ModelProto.parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(what + ": not a valid ONNX file (protobuf error: " + e.getMessage() + ")", e);
        } catch (java.io.IOException e) {
            throw new ModelFormatException(what + ": not a valid ONNX file (protobuf error: " + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new ModelFormatException(what + ": not a valid ONNX file (" + e + ")", e);
        }
        if (!m.hasGraph() || m.getIrVersion() <= 0)
            throw new ModelFormatException(what + ": not an ONNX model (no " + (m.hasGraph() ? "ir_version" : "graph") + ")");
        if (m.getGraph().getNodeCount() == 0)
            throw new ModelFormatException(what + ": the ONNX graph has no nodes");
        return m;
    }

    /**
     * Whether the first bytes look like a serialized ModelProto: field 1 (ir_version, varint, tag 0x08)
     * followed by a small version, as every ONNX writer emits first.
     */
    public static boolean looksLikeOnnx(byte[] head) {
        if (head == null || head.length < 2)
            return false;
        if ((head[0] & 0xff) != 0x08)
            return false;
        int v = head[1] & 0xff;
        if (v < 1 || v > 20)
            return false;
        // the next field is usually opset_import (8, 0x42), producer_name (2, 0x12), producer_version (3, 0x1a),
        // domain (4, 0x22), model_version (5, 0x28), doc_string (6, 0x32) or graph (7, 0x3a)
        if (head.length < 3)
            return true;
        int t = head[2] & 0xff;
        return t == 0x12 || t == 0x1a || t == 0x22 || t == 0x28 || t == 0x32 || t == 0x3a || t == 0x42 || t == 0x72 || t == 0x7a;
    }
}
