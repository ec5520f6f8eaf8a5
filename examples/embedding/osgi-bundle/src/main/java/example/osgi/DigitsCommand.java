package example.osgi;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ebnn.api.binary.BinaryModel;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.data.Samples;
import ebnn.api.spi.CompiledModel;
import ebnn.api.spi.InferenceEngine;
import ebnn.api.spi.Toolchain;

/**
 * A Gogo command, {@code example:digits MODEL DIGITS-FOLDER}, made of ebnn's OSGi services: the
 * Toolchain imports and lowers the model, the JVM InferenceEngine classifies the digits.
 */
@Component(service = DigitsCommand.class, property = { "osgi.command.scope=example", "osgi.command.function=digits" })
public class DigitsCommand {
    @Reference
    private Toolchain toolchain;

    @Reference(target = "(ebnn.backend.id=jvm)")
    private InferenceEngine engine;

    public String digits(String model, String folder) {
        BinaryModel lowered = toolchain.lower(toolchain.importModel(Path.of(model)).model());
        CompiledModel compiled = engine.load(lowered);
        Dataset d = Idx.load(Path.of(folder), true);
        int[] classes = compiled.classifyBatch(Samples.chwToHwc(d.samples(), d.count(), d.shape()), d.count(), null);
        int right = 0;
        for (int i = 0; i < classes.length; i++)
            if (classes[i] == d.label(i))
                right++;
        return right + " of " + d.count() + " digits right (" + lowered.name() + " on the " + engine.id() + " engine)";
    }
}
