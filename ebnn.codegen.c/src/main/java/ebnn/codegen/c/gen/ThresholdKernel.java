package ebnn.codegen.c.gen;

import ebnn.api.binary.Block;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.binary.MemoryPlan;

/** The input threshold kernels: bit = byte >= the channel's threshold, packed LSB first. */
public abstract class ThresholdKernel implements BlockKernel {
    @Override
    public boolean applies(MemoryPlan plan, Block b) {
        return b instanceof InputThresholdBlock t && fits(plan, t);
    }

    abstract boolean fits(MemoryPlan plan, InputThresholdBlock t);

    @Override
    public void emit(ModelSource src, int i, Block b, String sig, StringBuilder sb) {
        emit(src, i, (InputThresholdBlock) b, sig, sb);
    }

    abstract void emit(ModelSource src, int i, InputThresholdBlock t, String sig, StringBuilder sb);

    @Override
    public long stackBytes(MemoryPlan plan, Block b) {
        return AvrBounds.stack(plan);
    }

    @Override
    public long codeBytes(MemoryPlan plan, Block b) {
        return AvrBounds.code(plan, 0);
    }

    /** One channel on 8-bit words: eight unsigned compares per output byte; on AVR {@code ebnn_thr8_avr} (cp / ror / com, 4 cycles per pixel). */
    public static final ThresholdKernel BYTES8 = new ThresholdKernel() {
        @Override
        public String id() {
            return "threshold-8";
        }

        @Override
        boolean fits(MemoryPlan plan, InputThresholdBlock t) {
            return t.inputShape().channels() == 1 && plan.device().wordBits() == 8;
        }

        @Override
        void emit(ModelSource src, int i, InputThresholdBlock t, String sig, StringBuilder sb) {
            int pixels = t.inputShape().height() * t.inputShape().width();
            // one channel, byte words: eight unsigned compares build each output byte
            int full = pixels / 8, rest = pixels % 8;
            sb.append(sig).append(" {\n    const int16_t t16 = (int16_t)").append(src.readThreshold(t, i, "0")).append(";\n");
            sb.append("    ebnn_idx p;\n");
            sb.append("    if (t16 <= 0 || t16 > 255) {\n        /* every bit the same: pixel >= t always (t <= 0) or never (t = 256) */\n")
                    .append("        const ebnn_word v = t16 <= 0 ? 0xff : 0;\n")
                    .append("        for (p = 0; p < ").append((pixels + 7) / 8).append("; p++)\n")
                    .append("            out[p] = v;\n");
            if (rest != 0)
                sb.append("        out[").append(full).append("] = (ebnn_word)(v & 0x").append(Integer.toHexString((1 << rest) - 1)).append(");\n");
            sb.append("        return;\n    }\n    {\n        const uint8_t t8 = (uint8_t)t16;\n");
            if (full > 0) {
                // AVR: cp / ror / com, 4 cycles per pixel, in steps of at most 255 output bytes
                sb.append("#if defined(__AVR__)\n");
                for (int done = 0; done < full; done += 255) {
                    int n = Math.min(255, full - done);
                    sb.append("        ebnn_thr8_avr(in, out, ").append(n).append(", t8);\n");
                    if (done + n < full || rest != 0) // advanced only where read again (cppcheck: uselessAssignmentPtrArg)
                        sb.append("        in += ").append(8 * n).append(";\n        out += ").append(n).append(";\n");
                }
                sb.append("        (void)p;\n#else\n");
            }
            sb.append("        for (p = 0; p < ").append(full * 8).append("; p += 8, in += 8) {\n            ebnn_word v = 0;\n");
            for (int j = 0; j < 8; j++)
                sb.append("            if (in[").append(j).append("] >= t8)\n                v |= 0x").append(Integer.toHexString(1 << j)).append(";\n");
            sb.append("            *out++ = v;\n        }\n");
            if (full > 0)
                sb.append("#endif\n");
            if (rest != 0) {
                sb.append("        {\n            ebnn_word v = 0;\n");
                for (int j = 0; j < rest; j++)
                    sb.append("            if (in[").append(j).append("] >= t8)\n                v |= 0x").append(Integer.toHexString(1 << j)).append(";\n");
                sb.append("            *out = v;\n        }\n");
            }
            sb.append("    }\n}\n");
            }
    };

    /** Any channels and word size: one compare and one output bit at a time. */
    public static final ThresholdKernel GENERIC = new ThresholdKernel() {
        @Override
        public String id() {
            return "threshold";
        }

        @Override
        boolean fits(MemoryPlan plan, InputThresholdBlock t) {
            return true;
        }

        @Override
        void emit(ModelSource src, int i, InputThresholdBlock t, String sig, StringBuilder sb) {
            int c = t.inputShape().channels();
            int pixels = t.inputShape().height() * t.inputShape().width();
            sb.append(sig).append(" {\n    ebnn_word cur = 0, bit = 1;\n    ebnn_idx p;\n");
            if (c == 1) {
                sb.append("    const int16_t t = (int16_t)").append(src.readThreshold(t, i, "0")).append(";\n");
                sb.append("    for (p = 0; p < ").append(pixels).append("; p++) {\n        const int b = (int16_t)in[p] >= t;\n");
            } else {
                sb.append("    ebnn_idx c;\n    for (p = 0; p < ").append(pixels).append("; p++)\n    for (c = 0; c < ").append(c)
                        .append("; c++) {\n        const int b = (int32_t)in[p * ").append(c).append(" + c] >= ")
                        .append(src.readThreshold(t, i, "c")).append(";\n");
            }
            sb.append(ModelSource.PUT_BIT).append("    }\n").append(ModelSource.FLUSH).append("}\n");

        }
    };
}
