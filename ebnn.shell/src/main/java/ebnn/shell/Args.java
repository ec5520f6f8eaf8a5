package ebnn.shell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of one command: positionals, {@code --name value} (or {@code --name=value})
 * options and {@code --flag} switches. Built from an {@link Options} declaration, so every command
 * rejects what it does not know with one clear line.
 */
public final class Args {

    /** What a command accepts. */
    public static final class Options {
        private final List<String> positionals = new ArrayList<>();
        private int required;
        private final Map<String, String> valued = new LinkedHashMap<>();
        private final Set<String> flags = new LinkedHashSet<>();
        private boolean rest;

        /** A required positional argument (named for messages). */
        public Options positional(String name) {
            if (required != positionals.size())
                throw new IllegalStateException("required positionals must come first");
            positionals.add(name);
            required++;
            return this;
        }

        /**
         * The model argument (a required positional) and the options every command that reads a model
         * takes: {@code --input-range LOW,HIGH} (see {@link Args#inputRange()}).
         */
        public Options model(String name) {
            return positional(name).option(INPUT_RANGE, "LOW,HIGH");
        }

        /** An optional positional argument. */
        public Options optionalPositional(String name) {
            positionals.add(name);
            return this;
        }

        /** Any number of further positional arguments (e.g. the files of {@code classify --input}). */
        public Options rest() {
            rest = true;
            return this;
        }

        /** An option taking a value, e.g. "device" for {@code --device D}; {@code meta} names the value. */
        public Options option(String name, String meta) {
            valued.put(name, meta);
            return this;
        }

        /** A switch without value, e.g. "json". */
        public Options flag(String name) {
            flags.add(name);
            return this;
        }

        public Args parse(String... argv) {
            List<String> pos = new ArrayList<>();
            Map<String, String> values = new LinkedHashMap<>();
            Set<String> set = new LinkedHashSet<>();
            boolean onlyPositionals = false;
            for (int i = 0; argv != null && i < argv.length; i++) {
                String a = argv[i];
                if (a == null)
                    continue;
                if (!onlyPositionals && a.equals("--")) {
                    onlyPositionals = true;
                    continue;
                }
                if (!onlyPositionals && a.startsWith("--") && a.length() > 2) {
                    String name = a.substring(2);
                    String value = null;
                    int eq = name.indexOf('=');
                    if (eq >= 0) {
                        value = name.substring(eq + 1);
                        name = name.substring(0, eq);
                    }
                    if (flags.contains(name)) {
                        if (value != null)
                            throw new UsageException("option --" + name + " takes no value");
                        set.add(name);
                    } else if (valued.containsKey(name)) {
                        if (value == null) {
                            if (i + 1 >= argv.length)
                                throw new UsageException("option --" + name + " needs a value (" + valued.get(name) + ")");
                            value = argv[++i];
                        }
                        if (values.put(name, value) != null)
                            throw new UsageException("option --" + name + " given twice");
                    } else {
                        throw new UsageException("unknown option --" + name + known());
                    }
                } else if (!onlyPositionals && a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
                    if (a.equals("-h"))
                        set.add("help");
                    else
                        throw new UsageException("unknown option " + a + " (options start with --)" + known());
                } else {
                    pos.add(a);
                }
            }
            if (set.contains("help"))
                return new Args(pos, values, set);
            if (pos.size() < required)
                throw new UsageException("missing " + positionals.get(pos.size()));
            if (!rest && pos.size() > positionals.size())
                throw new UsageException("unexpected argument '" + pos.get(positionals.size()) + "'");
            return new Args(pos, values, set);
        }

        /** Every option and switch, with their dashes. */
        public List<String> names() {
            List<String> all = new ArrayList<>();
            valued.keySet().forEach(k -> all.add("--" + k));
            flags.forEach(k -> all.add("--" + k));
            return all;
        }

        private String known() {
            List<String> all = new ArrayList<>();
            valued.keySet().forEach(k -> all.add("--" + k));
            flags.forEach(k -> all.add("--" + k));
            return all.isEmpty() ? "; this command takes no options" : "; known: " + String.join(", ", all);
        }

        private static boolean isNumber(String s) {
            return s.matches("-[0-9][0-9.]*");
        }
    }

    private final List<String> positionals;
    private final Map<String, String> values;
    private final Set<String> flags;

    private Args(List<String> positionals, Map<String, String> values, Set<String> flags) {
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

    public static Options options() {
        return new Options().flag("help");
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
