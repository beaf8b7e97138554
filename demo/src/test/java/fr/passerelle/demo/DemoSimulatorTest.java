package fr.passerelle.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Companion;
import fr.passerelle.settings.Settings;
import fr.passerelle.chorus.simulator.ChorusProSimulator;
import fr.passerelle.treasury.simulator.HeliosSimulator;

/**
 * The demo jar brings the Hélios and Chorus Pro simulators to the gateway as companions, started by
 * the demo's settings.
 */
class DemoSimulatorTest {

    @Test
    void theGatewayFindsTheSimulatorOnTheDemosClassPath() {
        assertThat(ServiceLoader.load(Companion.class).stream().map(ServiceLoader.Provider::type))
                .containsExactlyInAnyOrder(DemoSimulator.class, DemoChorusPro.class);
    }

    @Test
    void theSimulatorRunsWhereTheSettingsSayAndStopsWithTheGateway(@TempDir Path data) throws Exception {
        int ftp = freePort();
        Settings settings = Settings.load(Path.of("config"), Map.of(), Map.of("passerelle.data.dir", data.toString(),
                "passerelle.simulator.ftp-port", String.valueOf(ftp), "passerelle.simulator.sftp-port", "-1"));

        try (AutoCloseable running = new DemoSimulator().start(settings, data)) {
            assertThat(running).isInstanceOf(HeliosSimulator.class);
            assertThat(((HeliosSimulator) running).ftpPort()).isEqualTo(ftp);
            assertThat(data.resolve("helios-simulator")).isDirectory();
        }
    }

    @Test
    void productionSettingsStartNothing(@TempDir Path data) throws Exception {
        Settings settings = Settings.load(Path.of("config"), Map.of(), Map.of("passerelle.simulator.enabled", "false"));

        assertThat(new DemoSimulator().start(settings, data)).isNull();
    }

    @Test
    void chorusProRunsSeededWithTheSamplesForTheCommunesThatHaveAnAccount(@TempDir Path data) throws Exception {
        int port = freePort();
        Settings settings = Settings.load(Path.of("config"), Map.of(), Map.of("passerelle.data.dir", data.toString(),
                "passerelle.chorus-simulator.port", String.valueOf(port)));
        try (AutoCloseable running = new DemoChorusPro().start(settings, data)) {
            ChorusProSimulator chorus = (ChorusProSimulator) running;
            assertThat(chorus.port()).isEqualTo(port);
            // aubeval's structure (config/tenants.yaml) holds the UBL samples: the first is on offer
            assertThat(chorus.status(1001)).isEqualTo("MISE_A_DISPOSITION");
        }
        Settings production = Settings.load(Path.of("config"), Map.of(), Map.of("passerelle.chorus-simulator.enabled",
                "false"));
        assertThat(new DemoChorusPro().start(production, data)).isNull();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
