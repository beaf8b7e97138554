package fr.passerelle.settings;

import fr.passerelle.settings.Settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The gateway's configuration: {@code config/application.properties}, then environment variables
 * (PASSERELLE_HTTP_PORT overrides passerelle.http.port), then explicit overrides (command line,
 * tests). Camel receives the same merged view, so routes and beans never disagree.
 */
public final class Settings {

    private final Properties values;

    private Settings(Properties values) {
        this.values = values;
    }

    public static Settings load(Path configDir, Map<String, String> env, Map<String, String> overrides) {
        Properties merged = new Properties();
        Path file = configDir.resolve("application.properties");
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                merged.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
        for (String key : merged.stringPropertyNames()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                merged.setProperty(key, fromEnv);
            }
        }
        merged.putAll(overrides);
        merged.setProperty("passerelle.config.dir", configDir.toString());
        return new Settings(merged);
    }

    /** passerelle.http.port becomes PASSERELLE_HTTP_PORT, as Camel itself does for placeholders. */
    static String envName(String key) {
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
        return Integer.parseInt(get(key));
    }

    public long getLong(String key) {
        return Long.parseLong(get(key));
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key));
    }

    public Duration getDuration(String key) {
        return Duration.parse(get(key));
    }

    /** A size that may be left unset (or blank): the fallback then. */
    public long getSize(String key, long fallback) {
        String raw = get(key, "");
        return raw.isEmpty() ? fallback : getSize(key);
    }

    /** Sizes are written 150MB, 512KB or a plain number of bytes. */
    public long getSize(String key) {
        String raw = get(key).toUpperCase(Locale.ROOT).replace(" ", "");
        long factor = 1;
        if (raw.endsWith("GB")) {
            factor = 1L << 30;
        } else if (raw.endsWith("MB")) {
            factor = 1L << 20;
        } else if (raw.endsWith("KB")) {
            factor = 1L << 10;
        }
        String digits = factor == 1 ? raw.replace("B", "") : raw.substring(0, raw.length() - 2);
        return Long.parseLong(digits) * factor;
    }

    public Path dataDir() {
        return Path.of(get("passerelle.data.dir"));
    }

    public Path configDir() {
        return Path.of(get("passerelle.config.dir"));
    }
}
