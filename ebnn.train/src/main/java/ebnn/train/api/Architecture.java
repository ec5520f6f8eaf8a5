package ebnn.train.api;

/**
 * A named network shape.
 *
 * @param name        e.g. {@code convpool-1}
 * @param spec        layer spec, e.g. {@code conv:32:3,pool:2:2}: comma-separated {@code conv:FILTERS:KERNEL[:PAD]}
 *                    (stride 1; may be followed by {@code pool:KERNEL:STRIDE}), {@code dense:UNITS}; every
 *                    hidden layer is followed by batch norm and sign (conv → pool → BN → sign, the eBNN
 *                    order), and a final dense → batch norm producing the class scores is always appended
 * @param description one line for people
 */
public record Architecture(String name, String spec, String description) {
}
