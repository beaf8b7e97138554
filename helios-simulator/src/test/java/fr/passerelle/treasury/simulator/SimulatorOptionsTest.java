package fr.passerelle.treasury.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulatorOptionsTest {

    @Test
    void theGatewaysSimulatorSettingsGiveItsOptions() {
        Map<String, String> settings = Map.of("passerelle.simulator.host", "127.0.0.1",
                "passerelle.simulator.ftp-port", "2121", "passerelle.simulator.sftp-port", " -1",
                "passerelle.simulator.user", "passerelle", "passerelle.simulator.password", "simulateur",
                "passerelle.simulator.ack-delay", "PT0.2S");

        HeliosSimulator.Options options = HeliosSimulator.Options.fromSettings(settings::get, Path.of("data"));

        assertThat(options.root()).isEqualTo(Path.of("data", "helios-simulator"));
        assertThat(options.ftpPort()).isEqualTo(2121);
        assertThat(options.sftpPort()).isEqualTo(-1);
        assertThat(options.ackDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(options.hostKey()).isEqualTo(Path.of("data", "keys", "simulator-host-key.ser"));
    }

    @Test
    void theCommandLineRefusesWhatItDoesNotKnow() {
        CommandLine command = new CommandLine(new SimulatorMain());
        command.setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()));

        assertThat(command.execute("--ftp-port", "two")).isEqualTo(2);
        assertThat(command.execute("--unknown")).isEqualTo(2);
    }
}
