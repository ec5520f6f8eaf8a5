package ebnn.codegen.c.gen;

import java.util.Locale;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.Block;
import ebnn.api.binary.MemoryPlan;

/**
 * The memory report of a compile: every flash and RAM region with its bytes and the C symbol that
 * holds it, against the device's capacity. The data sizes are the plan's, which the generated
 * arrays match byte for byte (the tests check that with avr-nm / nm on built firmware).
 */
public final class MemoryReport {
    private MemoryReport() {
    }

    public static String text(BinaryModel model, MemoryPlan plan, ModelSource src) {
        Device d = plan.device();
        StringBuilder sb = new StringBuilder();
        sb.append(src.selector().title()).append(": model '").append(Names.comment(model.name())).append("' -> ").append(src.entryName())
                .append("() for ").append(d.name()).append(" (").append(d.wordBits()).append("-bit words")
                .append(d.arch() == Device.Arch.AVR ? ", constants in flash via PROGMEM" : "").append(")\n");
        String note = src.selector().reportNote();
        if (note != null)
            sb.append(note).append('\n');
        sb.append("FLASH").append(pad(53 - 5)).append("bytes  symbol\n");
        for (int i = 0; i < model.blocks().size(); i++) {
            Block b = model.blocks().get(i);
            MemoryPlan.BlockMemory m = plan.blocks().get(i);
            String label = "  block " + i + " '" + Names.comment(b.name()) + "'";
            if (m.weightBytes() > 0)
                line(sb, label + " weights", m.weightBytes(), src.weightSymbol(i));
            if (b.producesScores())
                line(sb, label + " score multipliers+offsets", m.thresholdBytes(), src.multiplierSymbol(i) + ", " + src.offsetSymbol(i));
            else
                line(sb, label + " thresholds", m.thresholdBytes(), src.thresholdSymbol(i));
        }
        line(sb, "  weights + thresholds", plan.dataFlashBytes(), "");
        line(sb, "  code (estimate)", plan.codeBytes(), !src.usesPopcountTable() ? ""
                : src.popcountTableInRam() ? "incl. the 256 B initial image of the SRAM popcount table" : "incl. the 256 B popcount table " + src.popcountSymbol());
        total(sb, plan.flashBytes(), d.flashBytes());
        sb.append("RAM\n");
        line(sb, "  input (caller's uint8_t[" + model.inputSize() + "])", plan.inputBytes(), "");
        line(sb, "  activation buffer A", plan.bufferABytes(), plan.bufferABytes() > 0 ? src.bufferSymbol(0) : "");
        line(sb, "  activation buffer B", plan.bufferBBytes(), plan.bufferBBytes() > 0 ? src.bufferSymbol(1) : "");
        if (src.bitOutput()) // the plan's score bytes are the caller's packed output bits then
            line(sb, "  output bits (caller's uint8_t[" + ebnn.api.binary.Packing.outputBitBytes(model.classes()) + "], " + model.classes()
                    + " bits)", plan.scoreBytes(), "");
        else
            line(sb, "  scores (caller's int32_t[" + model.classes() + "])", plan.scoreBytes(), "");
        if (plan.tableBytes() > 0)
            line(sb, "  popcount table (256 B + up to 255 B alignment)", plan.tableBytes(), src.popcountSymbol());
        line(sb, "  stack (upper bound)", plan.stackBytes(), "");
        total(sb, plan.ramBytes(), d.ramBytes());
        // the kernel of each block: the code above is theirs, and so are the stack and code bounds
        sb.append("KERNELS").append(pad(53 - 7 - 2)).append("stack B  code B\n");
        for (int i = 0; i < model.blocks().size(); i++) {
            Block b = model.blocks().get(i);
            BlockKernel k = src.kernels().get(i);
            long st = k.stackBytes(plan, b), co = k.codeBytes(plan, b);
            String label = "  block " + i + " '" + Names.comment(b.name()) + "' " + k.id();
            String v = (st < 0 ? "-" : Long.toString(st));
            sb.append(label).append(pad(Math.max(1, 53 - label.length() - v.length() + 5))).append(v)
                    .append(pad(Math.max(1, 8 - (co < 0 ? 1 : Long.toString(co).length())))).append(co < 0 ? "-" : Long.toString(co)).append('\n');
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, long bytes, String symbol) {
        String b = Long.toString(bytes);
        sb.append(label).append(pad(Math.max(1, 53 - label.length() - b.length() + 5))).append(b);
        if (!symbol.isEmpty())
            sb.append("  ").append(symbol);
        sb.append('\n');
    }

    private static void total(StringBuilder sb, long used, long capacity) {
        String label = "  total";
        String b = Long.toString(used);
        sb.append(label).append(pad(Math.max(1, 53 - label.length() - b.length() + 5))).append(b).append("  of ").append(capacity)
                .append(String.format(Locale.ROOT, " B (%.1f %%)%n", 100.0 * used / capacity));
    }

    private static String pad(int n) {
        return " ".repeat(Math.max(0, n));
    }
}
