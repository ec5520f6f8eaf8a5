package ebnn.example.backend;

import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Component;

import ebnn.api.Device;
import ebnn.api.binary.BinaryModel;
import ebnn.api.binary.Block;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.Scores;
import ebnn.api.binary.Thresholds;
import ebnn.api.binary.BitMatrix;
import ebnn.api.spi.Backend;
import ebnn.api.spi.CodeGenerator;
import ebnn.api.spi.CompileOptions;
import ebnn.api.spi.GeneratedCode;

/**
 * How to write an ebnn back end, in one class: a DS component that provides {@link Backend} and
 * {@link CodeGenerator} with the property {@value Backend#ID_PROPERTY}. Installing this bundle
 * makes {@code example} appear in {@code ebnn:backends} at once; stopping it removes it.
 *
 * <p>It "generates" a plain-text dump of the integer model: the blocks, their weight bits as
 * '+'/'-' rows, the thresholds and the memory plan. A real code generator writes C or assembly the
 * same way: it reads the {@link BinaryModel} (never floats), follows the layout rules of
 * {@link ebnn.api.binary.Packing} so its arrays have exactly the sizes the {@link MemoryPlan}
 * promised, and returns the files as text; the toolchain writes them to disk.
 */
@Component(service = { Backend.class, CodeGenerator.class }, property = Backend.ID_PROPERTY + "=" + TextDumpBackend.ID)
public class TextDumpBackend implements CodeGenerator {
    public static final String ID = "example";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "example back end: writes a text dump of the integer model (how to write a back end)";
    }

    @Override
    public boolean supports(Device device) {
        return true;
    }

    @Override
    public GeneratedCode generate(BinaryModel model, MemoryPlan plan, CompileOptions options) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ebnn text dump of '").append(model.name()).append("' for ").append(plan.device().name()).append('\n');
        sb.append("input ").append(model.input()).append(" (uint8, HWC)\n");
        for (Block b : model.blocks()) {
            sb.append("\nblock ").append(b.name()).append(": ").append(b.getClass().getSimpleName()).append(' ')
                    .append(b.inputShape()).append(" -> ").append(b.outputShape()).append('\n');
            BitMatrix w = b instanceof ConvBlock c ? c.weights() : b instanceof DenseBlock d ? d.weights() : null;
            if (w != null)
                for (int r = 0; r < w.rows(); r++) {
                    sb.append("  w[").append(r).append("] ");
                    int shown = Math.min(w.cols(), 64);
                    for (int col = 0; col < shown; col++)
                        sb.append(w.get(r, col) ? '+' : '-');
                    sb.append(w.cols() > shown ? "... (" + w.cols() + " bits)" : "").append('\n');
                }
            if (b instanceof InputThresholdBlock t)
                sb.append("  pixel >= ").append(t.thresholds()).append('\n');
            else if (b.output() instanceof Thresholds t)
                sb.append("  tau ").append(java.util.Arrays.toString(t.tau().toArray())).append('\n');
            else if (b.output() instanceof Scores s)
                sb.append("  score = acc * ").append(java.util.Arrays.toString(s.multiplier().toArray())).append(" + ")
                        .append(java.util.Arrays.toString(s.offset().toArray())).append('\n');
        }
        String report = "example back end: " + model.blocks().size() + " blocks; flash " + plan.flashBytes() + " of "
                + plan.device().flashBytes() + " B, RAM " + plan.ramBytes() + " of " + plan.device().ramBytes() + " B";
        sb.append('\n').append(report).append('\n');
        Map<String, String> files = new TreeMap<>();
        String base = options.symbol() != null ? options.symbol() : model.name().replaceAll("[^A-Za-z0-9_]", "_");
        files.put(base + ".txt", sb.toString());
        return new GeneratedCode(files, report);
    }
}
