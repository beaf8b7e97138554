package fr.passerelle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;

import fr.passerelle.api.ApiOptions;
import fr.passerelle.flow.FlowOptions;
import fr.passerelle.intake.IntakeOptions;
import fr.passerelle.pes.PesOptions;
import fr.passerelle.settings.Settings;
import fr.passerelle.signature.SignatureOptions;
import fr.passerelle.treasury.TreasuryEndpoint;
import fr.passerelle.treasury.TreasuryOptions;
import fr.passerelle.validation.ValidationOptions;

/** Each capability reads its own settings into typed options, from the shipped config/ and what overrides it. */
class CapabilityOptionsTest {

    private static Settings shipped(Map<String, String> env, Map<String, String> overrides) {
        return Settings.load(Path.of("config"), env, overrides);
    }

    @Test
    void theShippedConfigurationGivesEveryCapabilityItsOptions() {
        Settings settings = shipped(Map.of(), Map.of());

        FlowOptions flow = FlowOptions.from(settings);
        assertThat(flow.embeddedBroker()).isTrue();
        assertThat(flow.jdbcUrl(Path.of("data"))).startsWith("jdbc:h2:");
        // a verdict's linger is paid by a validation consumer only, an intake's by the sender waiting
        assertThat(flow.dbVerdictCommitLinger()).isGreaterThan(flow.dbIntakeCommitLinger());
        ValidationOptions validation = ValidationOptions.from(settings);
        assertThat(validation.consumers()).isGreaterThan(validation.judges());
        assertThat(IntakeOptions.from(settings).maxSize()).isPositive();
        assertThat(validation.judges()).isEqualTo(4);
        assertThat(validation.inMemory()).isEqualTo(5);
        assertThat(PesOptions.from(settings).batch().maxCount()).isEqualTo(500);
        assertThat(SignatureOptions.from(settings).demoKeys()).isTrue();
        assertThat(ApiOptions.from(settings).readTimeout()).isPositive();

        TreasuryOptions treasury = TreasuryOptions.from(settings);
        assertThat(treasury.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(treasury.endpoints()).containsOnlyKeys("helios-simulator");
        TreasuryEndpoint simulator = treasury.endpoints().get("helios-simulator");
        assertThat(simulator.protocol()).isEqualTo(TreasuryEndpoint.Protocol.FTP);
        assertThat(simulator.port()).isEqualTo(2121);
        assertThat(treasury.redelivery().maxAttempts()).isEqualTo(8);
        assertThat(treasury.nodeName()).isNotBlank().hasSizeLessThanOrEqualTo(80);
    }

    @Test
    void anEnvironmentVariableOrAnOverrideLandsInTheTypedOptions() {
        Settings settings = shipped(Map.of("PASSERELLE_VALIDATION_CONSUMERS", "6"),
                Map.of("passerelle.treasury.endpoint.helios-simulator.port", "2999", "passerelle.node.name", "node-a",
                        "passerelle.db.url", "jdbc:postgresql://db/passerelle"));

        assertThat(ValidationOptions.from(settings).consumers()).isEqualTo(6);
        assertThat(TreasuryOptions.from(settings).endpoints().get("helios-simulator").port()).isEqualTo(2999);
        assertThat(TreasuryOptions.from(settings).nodeName()).isEqualTo("node-a");
        assertThat(FlowOptions.from(settings).jdbcUrl(Path.of("data"))).isEqualTo("jdbc:postgresql://db/passerelle");
        assertThat(FlowOptions.from(settings).toString()).doesNotContain("password");
    }
}
