package ebnn.api;

/**
 * A well-formed model that ebnn cannot turn into a binarized network: an unsupported op, or a
 * layer that is not binarizable (float weights where ±1 are needed). The message names the op and
 * the node or layer.
 */
public class UnsupportedModelException extends EbnnException {
    private static final long serialVersionUID = 1L;

    public UnsupportedModelException(String message) {
        super(message);
    }
}
