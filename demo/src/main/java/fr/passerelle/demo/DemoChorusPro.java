package fr.passerelle.demo;

import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.passerelle.Companion;
import fr.passerelle.chorus.simulator.ChorusProSimulator;
import fr.passerelle.settings.Settings;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantRegistry;

/**
 * The demo's Chorus Pro: the simulator of {@code passerelle.chorus-simulator.*}, started with the
 * gateway and seeded, for each commune with a chorusPro account, with the UBL samples (their buyer
 * is no demo commune: the gateway refuses them and tells Chorus Pro REJETEE, with the reason).
 */
public final class DemoChorusPro implements Companion {

    private static final Logger LOG = LoggerFactory.getLogger(DemoChorusPro.class);
    private static final Path SEED = Path.of("samples", "invoices", "ubl");

    @Override
    public AutoCloseable start(Settings settings, Path dataDir) throws Exception {
        if (!settings.getBoolean("passerelle.chorus-simulator.enabled")) {
            return null;
        }
        ChorusProSimulator simulator = new ChorusProSimulator(ChorusProSimulator.Options.fromSettings(settings::get))
                .start();
        if (Files.isDirectory(SEED)) {
            TenantRegistry tenants = TenantRegistry.load(settings.configDir().resolve("tenants.yaml"));
            for (Commune commune : tenants.communes()) {
                if (commune.chorusPro() != null) {
                    simulator.seed(commune.chorusPro().structureId(), commune.id().toUpperCase(java.util.Locale.ROOT),
                            SEED);
                }
            }
        }
        LOG.warn("Chorus Pro simulator running on port {}: invoices pulled from it are samples, statuses sent to it "
                + "never reach Chorus Pro", simulator.port());
        return simulator;
    }
}
