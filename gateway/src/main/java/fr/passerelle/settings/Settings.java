package fr.passerelle.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The gateway's configuration: {@code config/application.properties}, then environment variables,
 * then explicit overrides (command line, tests). Camel receives the same merged view, so routes and
 * beans never disagree.
 *
 * <p>Every environment variable whose name starts with {@code PASSERELLE_} or {@code CAMEL_} is a
 * setting, named by one rule ({@link #keyOf}): lower case, a double {@code __} is a dash, a single
 * {@code _} a dot. {@code PASSERELLE_TREASURY_ENDPOINT_DGFIP__PROD_UPLOAD__DIR} is
 * {@code passerelle.treasury.endpoint.dgfip-prod.upload-dir}. A key of the file may also be spelled
 * as before, every dot and dash an {@code _} ({@code PASSERELLE_INTAKE_MAX_SIZE}), and is matched
 * without regard to case, and for Camel's keys to dashes, as Camel reads them
 * ({@code CAMEL_SERVER_MAXBODYSIZE} and {@code CAMEL_SERVER_MAX__BODY__SIZE} are the file's
 * {@code camel.server.maxBodySize}); when two
 * variables name the same key, the one spelled by the rule wins.
 */
public final class Settings {

    private final Properties values;
    /** Where each value came from, so that a malformed one can be traced to the place to fix it. */
    private final Map<String, String> origins;

    private Settings(Properties values, Map<String, String> origins) {
        this.values = values;
        this.origins = origins;
    }

    public static Settings load(Path configDir, Map<String, String> env, Map<String, String> overrides) {
        Properties merged = new Properties();
        Map<String, String> origins = new HashMap<>();
        Path file = configDir.resolve("application.properties");
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                merged.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
            merged.stringPropertyNames().forEach(key -> origins.put(key, "file " + file));
        }
        Map<String, String> fromEnv = fromEnvironment(merged.stringPropertyNames(), env);
        fromEnv.forEach((key, variable) -> {
            merged.setProperty(key, env.get(variable));
            origins.put(key, "environment " + variable);
        });
        merged.putAll(overrides);
        overrides.keySet().forEach(key -> origins.put(key, "--set"));
        merged.setProperty("passerelle.config.dir", configDir.toString());
        origins.put("passerelle.config.dir", "--config");
        return new Settings(merged, origins);
    }

    /**
     * The variable that sets a key, by the rule: camel.server.port is CAMEL_SERVER_PORT,
     * passerelle.intake.max-size is PASSERELLE_INTAKE_MAX__SIZE. (A key with capitals, as Camel's
     * camel.server.maxBodySize, is set by its spelling in capitals only when it is in the file.)
     */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace("-", "__").replace('.', '_');
    }

    /** The key a variable sets, by the rule: lower case, {@code __} a dash, {@code _} a dot. */
    public static String keyOf(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace("__", "\0").replace('_', '.').replace("\0", "-");
    }

    /** The spelling used before the rule, every dot and dash an underscore: still read for the file's keys. */
    static String legacyEnvName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** How a variable's key meets a key of the file: without regard to case, and for Camel's keys to dashes (as Camel reads them). */
    private static String matching(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.startsWith("camel.") ? lower.replace("-", "") : lower;
    }

    private static boolean isSetting(String variable) {
        return (variable.startsWith("PASSERELLE_") || variable.startsWith("CAMEL_")) && !variable.endsWith("_")
                && !variable.contains("___");
    }

    /** For each key set from the environment, the variable that sets it. */
    private static Map<String, String> fromEnvironment(java.util.Set<String> fileKeys, Map<String, String> env) {
        Map<String, String> byLowerKey = new HashMap<>();
        Map<String, java.util.List<String>> byLegacyName = new HashMap<>();
        for (String key : fileKeys) {
            byLowerKey.put(matching(key), key);
            byLegacyName.computeIfAbsent(legacyEnvName(key), n -> new java.util.ArrayList<>()).add(key);
        }
        Map<String, String> chosen = new java.util.TreeMap<>();
        java.util.Set<String> byRule = new java.util.HashSet<>();
        for (String variable : new java.util.TreeSet<>(env.keySet())) {
            if (env.get(variable) == null) {
                continue;
            }
            java.util.List<String> legacy = byLegacyName.getOrDefault(variable, java.util.List.of());
            String ruled = isSetting(variable) ? byLowerKey.get(matching(keyOf(variable))) : null;
            if (isSetting(variable) && (ruled != null || legacy.isEmpty())) {
                String key = ruled != null ? ruled : keyOf(variable);
                chosen.put(key, variable);
                byRule.add(key);
            }
            for (String key : legacy) {
                if (!byRule.contains(key)) {
                    chosen.put(key, variable);
                }
            }
        }
        return chosen;
    }

    public Properties asProperties() {
        Properties copy = new Properties();
        copy.putAll(values);
        return copy;
    }

    public String get(String key) {
        String value = values.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("Missing configuration value " + key);
        }
        return value.trim();
    }

    public String get(String key, String fallback) {
        String value = values.getProperty(key);
        return value == null ? fallback : value.trim();
    }

    public int getInt(String key) {
        return parse(key, "not a whole number", Integer::parseInt);
    }

    public long getLong(String key) {
        return parse(key, "not a whole number", Long::parseLong);
    }

    /** Only true or false: anything else was a typo, and reading it as false would hide it. */
    public boolean getBoolean(String key) {
        return parse(key, "not true or false", raw -> switch (raw.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(raw);
        });
    }

    public Duration getDuration(String key) {
        return parse(key, "not an ISO-8601 duration (PT30S, PT10M, PT48H)", Duration::parse);
    }

    /** A size that may be left unset (or blank): the fallback then. */
    public long getSize(String key, long fallback) {
        String raw = get(key, "");
        return raw.isEmpty() ? fallback : getSize(key);
    }

    /** Sizes are written 150MB, 512KB or a plain number of bytes. */
    public long getSize(String key) {
        return parse(key, "not a size (a number of bytes, or with KB, MB or GB: 512KB, 150MB)", Settings::size);
    }

    private static long size(String value) {
        String raw = value.toUpperCase(Locale.ROOT).replace(" ", "");
        long factor = 1;
        if (raw.endsWith("GB")) {
            factor = 1L << 30;
        } else if (raw.endsWith("MB")) {
            factor = 1L << 20;
        } else if (raw.endsWith("KB")) {
            factor = 1L << 10;
        }
        String digits = factor == 1 ? raw.replace("B", "") : raw.substring(0, raw.length() - 2);
        long number = Long.parseLong(digits);
        if (number < 0) {
            throw new NumberFormatException(value);
        }
        return Math.multiplyExact(number, factor);
    }

    /** Reads a value with its parser; a value the parser refuses is reported with its key and origin. */
    private <T> T parse(String key, String expected, Function<String, T> parser) {
        String raw = get(key);
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            throw new InvalidSettingException(key, raw, origins.get(key), expected, e);
        }
    }

    /** Where a value came from: {@code file config/application.properties}, {@code environment X}, {@code --set}. */
    public String origin(String key) {
        return origins.get(key);
    }

    public Path dataDir() {
        return Path.of(get("passerelle.data.dir"));
    }

    public Path configDir() {
        return Path.of(get("passerelle.config.dir"));
    }
}
