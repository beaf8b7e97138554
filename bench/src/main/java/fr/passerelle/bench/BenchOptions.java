package fr.passerelle.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of a benchmark command, all of the form {@code --name value}: an unknown name, a
 * missing value or a number that is none are refused with the usage line, not a stack trace.
 */
final class BenchOptions {

    /** A benchmark's options could not be read: the message is its usage line and what was wrong. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private final Map<String, String> values = new LinkedHashMap<>();
    private final String usage;

    private BenchOptions(String usage) {
        this.usage = usage;
    }

    static BenchOptions parse(List<String> args, String usage, Set<String> names) throws Invalid {
        BenchOptions options = new BenchOptions(usage);
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (!names.contains(name) || i + 1 >= args.size()) {
                throw new Invalid(usage + ": unexpected argument " + name);
            }
            options.values.put(name, args.get(++i));
        }
        return options;
    }

    /** A whole number of at least 1. */
    int positive(String name, int fallback) throws Invalid {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new Invalid(usage + ": " + name + " takes a whole number of at least 1, not " + v);
    }

    /** One of the values allowed. */
    String choice(String name, String fallback, Set<String> allowed) throws Invalid {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (!allowed.contains(v.trim())) {
            throw new Invalid(usage + ": " + name + " takes one of " + new java.util.TreeSet<>(allowed) + ", not " + v);
        }
        return v.trim();
    }

    String text(String name, String fallback) {
        String v = values.get(name);
        return v == null ? fallback : v;
    }

    Path path(String name, Path fallback) {
        String v = values.get(name);
        return v == null ? fallback : Path.of(v);
    }
}
