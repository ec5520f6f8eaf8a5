package ebnn.api.data;

import ebnn.api.EbnnException;

/**
 * A data file or folder that cannot be used: unreadable, truncated, a header that lies about its
 * size, a shape the model does not take, a value outside the model's input range, labels that do
 * not match the samples. The message names the file (and the sample and position where one is at
 * fault).
 */
public class DataException extends EbnnException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
