package ebnn.api.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The one declaration of a command: its name, its one-line summary, its arguments and options, each
 * with its help, and notes. Everything people and tools read about the command is made from it: the
 * usage line ({@link #usage()}), {@code --help} ({@link #helpText()}), the {@code ebnn:help} listing,
 * the interactive shell's completion ({@link #optionNames()}), and the parser ({@link #parse}) that
 * rejects what is not declared. Immutable; built with {@link #command(String, String)}.
 *
 * <pre>
 * static final CommandSpec SPEC = CommandSpec.command("memory", "plan a model's flash and RAM on a device")
 *         .model("MODEL").required("device", "D", "a device from ebnn:devices").flag("json", null).build();
 * </pre>
 */
public final class CommandSpec {

    /** What a declared word is. */
    public enum Kind {
        /** A positional argument, e.g. MODEL. */
        ARGUMENT,
        /** {@code --name VALUE}. */
        OPTION,
        /** {@code --name}, a switch. */
        FLAG,
        /** A switch that is a command line of its own ({@code train --list}): the required arguments are not needed with it. */
        STANDALONE
    }

    /**
     * One declared argument or option: its name (without dashes), the name of its value ({@code D} in
     * {@code --device D}; null for a switch without one), its help (null: shown only in the usage line),
     * and whether the command line must have it.
     */
    public record Param(Kind kind, String name, String meta, String help, boolean required) {
        /** How it appears in the help text's left column: {@code MODEL}, {@code --device D}, {@code --json}. */
        public String label() {
            return kind == Kind.ARGUMENT ? name : "--" + name + (meta == null ? "" : " " + meta);
        }
    }

    /** The help of {@code --input-range}, declared by {@link Builder#model}. */
    public static final String INPUT_RANGE_HELP = "the values the model's input takes for bytes 0 and 255, in place of what the file\n"
            + "says or the importer assumes (e.g. 0,1 or -1,1)";

    private static final int HELP_COLUMN_MAX = 20;
    private static final int SYNOPSIS_MAX = 60;

    private final String name;
    private final String summary;
    private final List<Param> params;
    private final List<String> notes;
    private final boolean rest;

    private CommandSpec(Builder b) {
        this.name = b.name;
        this.summary = b.summary;
        this.params = List.copyOf(b.params);
        this.notes = List.copyOf(b.notes);
        this.rest = b.rest;
    }

    /** Starts the declaration of command {@code name} ({@code ebnn:NAME}) with its one-line summary. */
    public static Builder command(String name, String summary) {
        return new Builder(name, summary);
    }

    /** The function name in the {@code ebnn} scope, e.g. "memory". */
    public String name() {
        return name;
    }

    /** One line for people. */
    public String summary() {
        return summary;
    }

    /** Arguments and options in declaration order. */
    public List<Param> params() {
        return params;
    }

    /** Lines after the options in {@code --help} (exit statuses, how options combine). */
    public List<String> notes() {
        return notes;
    }

    /**
     * The arguments after the name, made from the declaration: positionals, then each option in the order
     * declared, required ones bare, the others in brackets, then {@code | --standalone} alternatives. E.g.
     * {@code MODEL [--input-range LOW,HIGH] --device D [--json]}.
     */
    public String usage() {
        List<String> words = new ArrayList<>();
        List<String> alone = new ArrayList<>();
        for (Param p : params) {
            String w = p.label();
            if (p.kind() == Kind.STANDALONE)
                alone.add(w);
            else
                words.add(p.required() ? w : "[" + w + "]");
        }
        StringBuilder sb = new StringBuilder(String.join(" ", words));
        for (String a : alone)
            sb.append(sb.length() == 0 ? "" : " | ").append(a);
        return sb.toString();
    }

    /**
     * What a table of commands shows (README's is checked against it): the usage line when it is short,
     * else its required words with {@code [options]} for the rest ({@code MODEL --device D [options]}).
     */
    public String synopsis() {
        if (usage().length() <= SYNOPSIS_MAX)
            return usage();
        List<String> words = new ArrayList<>();
        List<String> alone = new ArrayList<>();
        boolean optional = false;
        for (Param p : params) {
            if (p.kind() == Kind.STANDALONE)
                alone.add(p.label());
            else if (p.required())
                words.add(p.label());
            else if (p.kind() == Kind.ARGUMENT)
                words.add("[" + p.label() + "]");
            else
                optional = true;
        }
        if (optional)
            words.add("[options]");
        StringBuilder sb = new StringBuilder(String.join(" ", words));
        for (String a : alone)
            sb.append(sb.length() == 0 ? "" : " | ").append(a);
        return sb.toString();
    }

    /** The text of {@code --help}: the usage line, the summary, each argument's and option's help, the notes. */
    public String helpText() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: ebnn:").append(name).append(' ').append(usage()).append('\n');
        sb.append("  ").append(summary).append('\n');
        int column = 0;
        for (Param p : params)
            if (p.help() != null && p.label().length() <= HELP_COLUMN_MAX)
                column = Math.max(column, p.label().length());
        column += 2;
        for (Param p : params) {
            if (p.help() == null)
                continue;
            String label = p.label();
            String[] lines = p.help().split("\n");
            sb.append("  ").append(label).append(" ".repeat(Math.max(2, column - label.length()))).append(lines[0]).append('\n');
            for (int i = 1; i < lines.length; i++)
                sb.append("  ").append(" ".repeat(column)).append(lines[i]).append('\n');
        }
        for (String n : notes)
            for (String line : n.split("\n"))
                sb.append("  ").append(line).append('\n');
        return sb.toString();
    }

    /** Every option and switch with its dashes ({@code --device}), and {@code --help}: what completion offers. */
    public List<String> optionNames() {
        List<String> all = new ArrayList<>();
        for (Param p : params)
            if (p.kind() != Kind.ARGUMENT)
                all.add("--" + p.name());
        all.add("--help");
        return all;
    }

    /**
     * Parses a command line (the words after the name) against the declaration: {@code --name value},
     * {@code --name=value}, {@code --flag}, positionals, {@code --} ending the options, {@code -h} and
     * {@code --help} always accepted. Anything undeclared, missing or twice is a {@link UsageException}.
     */
    public Args parse(String... argv) {
        Map<String, Param> options = new LinkedHashMap<>();
        List<Param> positionals = new ArrayList<>();
        for (Param p : params) {
            if (p.kind() == Kind.ARGUMENT)
                positionals.add(p);
            else
                options.put(p.name(), p);
        }
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
                String option = a.substring(2);
                String value = null;
                int eq = option.indexOf('=');
                if (eq >= 0) {
                    value = option.substring(eq + 1);
                    option = option.substring(0, eq);
                }
                Param p = options.get(option);
                if (option.equals("help") && p == null) {
                    set.add("help");
                } else if (p == null) {
                    throw new UsageException("unknown option --" + option + known(options));
                } else if (p.kind() == Kind.OPTION) {
                    if (value == null) {
                        if (i + 1 >= argv.length)
                            throw new UsageException("option --" + option + " needs a value (" + p.meta() + ")");
                        value = argv[++i];
                    }
                    if (values.put(option, value) != null)
                        throw new UsageException("option --" + option + " given twice");
                } else {
                    if (value != null)
                        throw new UsageException("option --" + option + " takes no value");
                    set.add(option);
                }
            } else if (!onlyPositionals && a.startsWith("-") && a.length() > 1 && !a.matches("-[0-9][0-9.]*")) {
                if (a.equals("-h"))
                    set.add("help");
                else
                    throw new UsageException("unknown option " + a + " (options start with --)" + known(options));
            } else {
                pos.add(a);
            }
        }
        Args args = new Args(pos, values, set);
        if (set.contains("help") || options.values().stream().anyMatch(p -> p.kind() == Kind.STANDALONE && set.contains(p.name())))
            return args;
        for (int i = 0; i < positionals.size(); i++)
            if (positionals.get(i).required() && pos.size() <= i)
                throw new UsageException("missing " + positionals.get(i).name());
        if (!rest && pos.size() > positionals.size())
            throw new UsageException("unexpected argument '" + pos.get(positionals.size()) + "'");
        for (Param p : options.values())
            if (p.required() && (values.get(p.name()) == null || values.get(p.name()).isEmpty()))
                throw new UsageException("missing --" + p.name());
        return args;
    }

    private static String known(Map<String, Param> options) {
        return options.isEmpty() ? "; this command takes no options"
                : "; known: " + String.join(", ", options.keySet().stream().map(n -> "--" + n).toList());
    }

    @Override
    public String toString() {
        return "ebnn:" + name + " " + usage();
    }

    /** Declares a command, in the order its arguments and options appear in the usage line. */
    public static final class Builder {
        private final String name;
        private final String summary;
        private final List<Param> params = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private boolean rest;

        private Builder(String name, String summary) {
            if (name == null || !name.matches("[a-z][a-z0-9-]*"))
                throw new IllegalArgumentException("a command name is lower-case letters, digits and '-': '" + name + "'");
            if (summary == null || summary.isBlank() || summary.contains("\n"))
                throw new IllegalArgumentException("command " + name + ": the summary is one line");
            this.name = name;
            this.summary = summary;
        }

        private Builder add(Param p) {
            if (p.name().equals("help") || params.stream().anyMatch(q -> q.name().equals(p.name()) && (q.kind() == Kind.ARGUMENT) == (p.kind() == Kind.ARGUMENT)))
                throw new IllegalStateException("command " + name + ": '" + p.name() + "' declared twice");
            params.add(p);
            return this;
        }

        /** A required positional argument (its name shows in the usage line and in messages). */
        public Builder argument(String name, String help) {
            if (params.stream().anyMatch(p -> p.kind() == Kind.ARGUMENT && !p.required()))
                throw new IllegalStateException("command " + this.name + ": required arguments come before optional ones");
            return add(new Param(Kind.ARGUMENT, name, null, help, true));
        }

        /** An optional positional argument. */
        public Builder optionalArgument(String name, String help) {
            return add(new Param(Kind.ARGUMENT, name, null, help, false));
        }

        /**
         * The model argument (required) and the option every command that reads a model takes,
         * {@code --input-range LOW,HIGH} ({@link Args#inputRange()}).
         */
        public Builder model(String name) {
            return argument(name, null).option(Args.INPUT_RANGE, "LOW,HIGH", INPUT_RANGE_HELP);
        }

        /** Any number of further positional arguments (the files after {@code classify --input}). */
        public Builder rest() {
            rest = true;
            return this;
        }

        /** An optional {@code --name META}. */
        public Builder option(String name, String meta, String help) {
            return add(new Param(Kind.OPTION, name, meta, help, false));
        }

        /** A {@code --name META} the command line must have. */
        public Builder required(String name, String meta, String help) {
            return add(new Param(Kind.OPTION, name, meta, help, true));
        }

        /** A switch {@code --name}. */
        public Builder flag(String name, String help) {
            return add(new Param(Kind.FLAG, name, null, help, false));
        }

        /** A switch whose meaning takes words after it, shown as {@code --name META} ({@code --input FILE...}, with {@link #rest()}). */
        public Builder flag(String name, String meta, String help) {
            return add(new Param(Kind.FLAG, name, meta, help, false));
        }

        /** A switch that is a whole command line of its own, shown as {@code | --name}: the required arguments are not needed with it. */
        public Builder standalone(String name, String help) {
            return add(new Param(Kind.STANDALONE, name, null, help, false));
        }

        /** A line (or lines) after the options in {@code --help}. */
        public Builder note(String text) {
            notes.add(text);
            return this;
        }

        /** Declarations shared between commands, e.g. {@code .with(Data::options)}. */
        public Builder with(UnaryOperator<Builder> shared) {
            return shared.apply(this);
        }

        public CommandSpec build() {
            return new CommandSpec(this);
        }
    }
}
