package fr.passerelle;

import java.nio.file.Path;

import fr.passerelle.settings.Settings;

/**
 * Something started with the gateway and stopped after it, found on the class path with
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services/fr.passerelle.Companion}). The demo
 * jar brings the Hélios simulator this way; the production jar has none, so the gateway never depends
 * on a stand-in for the treasury.
 */
public interface Companion {

    /**
     * Starts what these settings ask for, before the gateway's routes.
     *
     * @return what to close when the gateway stops, or null when the settings ask for nothing
     */
    AutoCloseable start(Settings settings, Path dataDir) throws Exception;
}
