package ebnn.api.command;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of one command: positionals, {@code --name value} (or {@code --name=value})
 * options and {@code --flag} switches, as {@link CommandSpec#parse} found them, so every command
 * rejects what it does not declare with one clear line.
 */
public final class Args {

    private final List<String> positionals;
    private final Map<String, String> values;
    private final Set<String> flags;

    Args(List<String> positionals, Map<String, String> values, Set<String> flags) {
        this.positionals = Collections.unmodifiableList(positionals);
        this.values = Collections.unmodifiableMap(values);
        this.flags = Collections.unmodifiableSet(flags);
    }

    /** The option naming the values the model file's input takes for byte 0 and byte 255. */
    public static final String INPUT_RANGE = "input-range";

    /** The {@code --input-range LOW,HIGH} given, or null; a usage error when it is not two numbers with LOW < HIGH. */
    public ebnn.api.model.InputRange inputRange() {
        String v = values.get(INPUT_RANGE);
        if (v == null)
            return null;
        try {
            return ebnn.api.model.InputRange.parse(v);
        } catch (ebnn.api.InvalidModelException e) {
            throw new UsageException("--" + INPUT_RANGE + ": " + e.getMessage());
        }
    }

    public String positional(int i) {
        return i < positionals.size() ? positionals.get(i) : null;
    }

    public List<String> positionals() {
        return positionals;
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    /** The option's value, or null. */
    public String value(String name) {
        return values.get(name);
    }

    public String value(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The option's value; a usage error naming {@code --name} when it is missing. */
    public String required(String name) {
        String v = values.get(name);
        if (v == null || v.isEmpty())
            throw new UsageException("missing --" + name);
        return v;
    }

    /** A positive integer option, or {@code fallback} when absent. */
    public int positiveInt(String name, int fallback) {
        String v = values.get(name);
        if (v == null)
            return fallback;
        try {
            int n = Integer.parseInt(v.trim());
            if (n <= 0)
                throw new UsageException("--" + name + " must be a positive number, not " + v);
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a positive number, not '" + v + "'");
        }
    }
}
