package fr.passerelle.demo;

import java.nio.file.Path;

import fr.passerelle.Companion;
import fr.passerelle.settings.Settings;
import fr.passerelle.treasury.simulator.HeliosSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The demo's treasury: the Hélios simulator of {@code passerelle.simulator.*}, started with the gateway. */
public final class DemoSimulator implements Companion {

    private static final Logger LOG = LoggerFactory.getLogger(DemoSimulator.class);

    @Override
    public AutoCloseable start(Settings settings, Path dataDir) throws Exception {
        if (!settings.getBoolean("passerelle.simulator.enabled")) {
            return null;
        }
        HeliosSimulator simulator = new HeliosSimulator(HeliosSimulator.Options.fromSettings(settings::get, dataDir)).start();
        LOG.warn("Hélios simulator running (FTP port {}, SFTP port {}): flows sent to it never reach the Trésor public; "
                + "production runs gateway/target/passerelle.jar, which has no simulator", simulator.ftpPort(), simulator.sftpPort());
        return simulator;
    }
}
