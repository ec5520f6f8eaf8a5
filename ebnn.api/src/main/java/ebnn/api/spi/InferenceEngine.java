package ebnn.api.spi;

import ebnn.api.binary.BinaryModel;

/** A back end that runs models in this process. */
public interface InferenceEngine extends Backend {
    /** Prepares a model for repeated, concurrent inference. */
    CompiledModel load(BinaryModel model);
}
