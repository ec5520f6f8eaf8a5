package ebnn.api;

import java.util.List;
import java.util.stream.Collectors;

/** The model does not fit the device: lists, per memory region, bytes needed against bytes available. */
public class BudgetExceededException extends EbnnException {
    private static final long serialVersionUID = 1L;

    /** One region that overflows. */
    public record Overflow(String region, long neededBytes, long availableBytes) {
        public long excessBytes() {
            return neededBytes - availableBytes;
        }

        @Override
        public String toString() {
            return region + " needs " + neededBytes + " B, " + availableBytes + " B available (over by "
                    + excessBytes() + " B)";
        }
    }

    private final String device;
    private final List<Overflow> overflows;

    public BudgetExceededException(String model, String device, List<Overflow> overflows) {
        super("model '" + model + "' does not fit device " + device + ": "
                + overflows.stream().map(Overflow::toString).collect(Collectors.joining("; ")));
        this.device = device;
        this.overflows = List.copyOf(overflows);
    }

    public String device() {
        return device;
    }

    public List<Overflow> overflows() {
        return overflows;
    }
}
