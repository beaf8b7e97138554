package fr.passerelle.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.util.StatusPrinter2;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The gateway's logs, set up at start (README "Logs"): Logback reads {@code logback.xml} of the configuration
 * folder (the jar's copy of {@code config/logback.xml} has served until then), with the settings
 * {@code passerelle.log.format} and {@code passerelle.log.level} given to it, then every setting
 * {@code logging.level.NAME=LEVEL} sets one logger's level; java.util.logging is routed to SLF4J.
 */
public final class Logs {

    static final String LEVEL_PREFIX = "logging.level.";
    private static final String[] PASSED = {"passerelle.log.format", "passerelle.log.level"};

    private Logs() {
    }

    /** {@code settings}: the gateway's settings (application.properties, environment, --set). */
    public static void configure(Path configDir, Properties settings) {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Path file = configDir.resolve("logback.xml");
        // -Dlogback.configurationFile names the configuration itself: it stays
        if (System.getProperty("logback.configurationFile") == null && Files.isRegularFile(file)) {
            context.reset();
            for (String key : PASSED) {
                String value = System.getProperty(key, settings.getProperty(key));
                if (value != null) {
                    context.putProperty(key, value);
                }
            }
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            try {
                configurator.doConfigure(file.toFile());
            } catch (JoranException e) {
                // an unreadable file: said with Logback's own status lines (the file's listener says the others)
                new StatusPrinter2().printIfErrorsOccured(context);
            }
        }
        Properties levels = new Properties();
        levels.putAll(settings);
        levels.putAll(System.getProperties());
        for (Map.Entry<Object, Object> e : levels.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.startsWith(LEVEL_PREFIX) && key.length() > LEVEL_PREFIX.length()) {
                String name = key.substring(LEVEL_PREFIX.length());
                context.getLogger(name.equalsIgnoreCase("root") ? org.slf4j.Logger.ROOT_LOGGER_NAME : name)
                        .setLevel(Level.toLevel(String.valueOf(e.getValue()).trim(), Level.INFO));
            }
        }
    }
}
