package org.xent.cli;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The options given to one command, parsed strictly: {@code --name value} or {@code --name=value}, switches
 * without a value, each at most once, no stray words, and only options the command accepts.
 */
public final class ParsedArgs {
    private final Map<Option, String> values;

    private ParsedArgs(Map<Option, String> values) {
        this.values = values;
    }

    /** Parses {@code args[from...]} for {@code command}, which accepts {@code allowed}. */
    public static ParsedArgs parse(String[] args, int from, String command, Set<Option> allowed) throws CliException {
        Map<Option, String> values = new EnumMap<>(Option.class);
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw CliException.usage("unexpected argument '" + arg + "' (options start with --; see ./xent "
                        + command + " --help)");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            Option option = Option.byFlag(name);
            if (option == null) {
                throw CliException.usage("unknown option " + name + " (" + command + " accepts "
                        + list(allowed) + ")");
            }
            if (!allowed.contains(option)) {
                throw CliException.usage(name + " does not apply to " + command + " (it accepts " + list(allowed)
                        + ")");
            }
            if (values.containsKey(option)) {
                throw CliException.usage(name + " given twice");
            }
            String value;
            if (!option.takesValue()) {
                if (eq >= 0) {
                    throw CliException.usage(name + " is a switch and takes no value, got '" + arg + "'");
                }
                value = "";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw CliException.usage(name + " needs a value (" + option.synopsis() + ")");
            }
            if (option.takesValue() && value.isEmpty()) {
                throw CliException.usage(name + " needs a non-empty value (" + option.synopsis() + ")");
            }
            values.put(option, value);
        }
        return new ParsedArgs(values);
    }

    private static String list(Set<Option> allowed) {
        return allowed.stream().map(Option::flag).collect(Collectors.joining(", "));
    }

    public boolean has(Option option) {
        return values.containsKey(option);
    }

    /** The value given, or null. */
    public String value(Option option) {
        return values.get(option);
    }

    /** The value of an option the command cannot run without. */
    public String required(Option option) throws CliException {
        String v = values.get(option);
        if (v == null) {
            throw CliException.usage("missing " + option.synopsis());
        }
        return v;
    }

    /** A number, or {@code absent} when the option is not given; NaN and infinities are refused. */
    public double doubleValue(Option option, double absent) throws CliException {
        String v = values.get(option);
        if (v == null) {
            return absent;
        }
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw CliException.usage(option.flag() + " must be a number, got '" + v + "'");
        }
        if (!Double.isFinite(d)) {
            throw CliException.usage(option.flag() + " must be a finite number, got '" + v + "'");
        }
        return d;
    }

    /** A 32-bit integer, or {@code absent} when the option is not given. */
    public int intValue(Option option, int absent) throws CliException {
        String v = values.get(option);
        if (v == null) {
            return absent;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw CliException.usage(option.flag() + " must be an integer, got '" + v + "'");
        }
    }
}
