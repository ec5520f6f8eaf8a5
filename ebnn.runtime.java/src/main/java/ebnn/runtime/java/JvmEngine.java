package ebnn.runtime.java;

import org.osgi.service.component.annotations.Component;

import ebnn.api.Device;
import ebnn.api.InvalidModelException;
import ebnn.api.binary.BinaryModel;
import ebnn.api.spi.Backend;
import ebnn.api.spi.CompiledModel;
import ebnn.api.spi.InferenceEngine;

/**
 * The {@code jvm} back end: runs integer eBNN models in this process with 64-bit words and
 * {@link Long#bitCount}. A loaded model is thread-safe and allocates nothing per inference once a
 * thread has run it; batches are spread over the common fork-join pool.
 */
@Component(service = { Backend.class, InferenceEngine.class }, property = Backend.ID_PROPERTY + "=" + JvmEngine.ID)
public class JvmEngine implements InferenceEngine {
    public static final String ID = "jvm";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "in-JVM integer inference (64-bit words, Long.bitCount; thread-safe, parallel batches)";
    }

    /** The JVM runs any model whatever device it was planned for: the plan's limits do not bind here. */
    @Override
    public boolean supports(Device device) {
        return true;
    }

    @Override
    public CompiledModel load(BinaryModel model) {
        if (model == null)
            throw new InvalidModelException("no model to load");
        return new JvmCompiledModel(model, JvmCompiledModel.DEFAULT_SIGN_LIMIT);
    }

    /** As {@link #load} but with the concrete type, which also offers {@link JvmCompiledModel#trace}. */
    public JvmCompiledModel compile(BinaryModel model) {
        return (JvmCompiledModel) load(model);
    }
}
