package fr.passerelle.settings;

import fr.passerelle.settings.Settings;

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
 * The gateway's configuration: {@code config/application.properties}, then environment variables
 * (PASSERELLE_HTTP_PORT overrides passerelle.http.port), then explicit overrides (command line,
 * tests). Camel receives the same merged view, so routes and beans never disagree.
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
        for (String key : merged.stringPropertyNames()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                merged.setProperty(key, fromEnv);
                origins.put(key, "environment " + envName(key));
            }
        }
        merged.putAll(overrides);
        overrides.keySet().forEach(key -> origins.put(key, "--set"));
        merged.setProperty("passerelle.config.dir", configDir.toString());
        origins.put("passerelle.config.dir", "--config");
        return new Settings(merged, origins);
    }

    /** passerelle.http.port becomes PASSERELLE_HTTP_PORT, as Camel itself does for placeholders. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
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
