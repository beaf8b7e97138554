package fr.passerelle;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.settings.Settings;
import fr.passerelle.tenant.ApiKeys;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantConfigException;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.intake.SupplierAccounts;

/** The demo's public secrets and features are refused outside demo mode (passerelle.demo=false). */
class DemoSecretsTest {

    private static final Map<String, String> PRODUCTION = Map.of("passerelle.demo", "false",
            "passerelle.signature.demo-keys", "false", "passerelle.simulator.enabled", "false",
            "passerelle.chorus-simulator.enabled", "false");

    private static Settings settings(Path configDir, Map<String, String> overrides) {
        return Settings.load(configDir, Map.of(), overrides);
    }

    @Test
    void theShippedConfigurationIsTheDemo() {
        Path config = Path.of("config");
        var found = DemoSecrets.found(TenantRegistry.load(config.resolve("tenants.yaml")),
                SupplierAccounts.load(config.resolve("sftp-accounts.yaml")), settings(config, Map.of()));
        assertThat(String.join("\n", found)).contains("aubeval", "belcourt", "demo-ops-key", "fournisseur-demo",
                "demo-supplier-password", "passerelle.signature.demo-keys=true", "passerelle.simulator.enabled=true");
        assertThat(settings(config, Map.of()).getBoolean("passerelle.demo")).as("demo mode by default").isTrue();
        // demo mode: nothing refused
        DemoSecrets.refuseOutsideDemo(settings(config, Map.of()), TenantRegistry.load(config.resolve("tenants.yaml")),
                SupplierAccounts.load(config.resolve("sftp-accounts.yaml")));
    }

    @Test
    void outsideDemoModeEveryDemoSecretIsNamed() {
        Path config = Path.of("config");
        assertThatThrownBy(() -> DemoSecrets.refuseOutsideDemo(settings(config, Map.of("passerelle.demo", "false")),
                TenantRegistry.load(config.resolve("tenants.yaml")), SupplierAccounts.load(config.resolve("sftp-accounts.yaml"))))
                .isInstanceOf(TenantConfigException.class)
                .hasMessageContaining("passerelle.demo=false")
                .hasMessageContaining("commune(s) aubeval, belcourt")
                .hasMessageContaining("demo-ops-key")
                .hasMessageContaining("fournisseur-demo")
                .hasMessageContaining("hash-key");
    }

    @Test
    void aDemoKeyMovedToAnotherCommuneIsStillADemoKey(@TempDir Path dir) throws Exception {
        Path config = TestGateway.copyOfConfig(dir.resolve("config"));
        Files.writeString(config.resolve("tenants.yaml"), """
                communes:
                  - id: aubeval
                    name: "Commune d’Aubeval"
                    siret: "21750101400013"
                    idPost: "017001"
                    codCol: "100"
                    codBuds: ["01"]
                    apiKeys: ["%s"]
                    signingKey: keys/aubeval.p12
                    treasuryEndpoint: helios-simulator
                  - id: belcourt
                    name: "Commune de Belcourt-sur-Lène"
                    siret: "21750108900015"
                    idPost: "017001"
                    codCol: "103"
                    codBuds: ["01"]
                    apiKeys: ["%s"]
                    signingKey: keys/belcourt.p12
                    treasuryEndpoint: helios-simulator
                """.formatted(ApiKeys.hash("demo-key-belcourt"), ApiKeys.hash("a-real-key-nobody-knows-0123456789")));
        var found = DemoSecrets.found(TenantRegistry.load(config.resolve("tenants.yaml")), SupplierAccounts.load(
                dir.resolve("none.yaml")), settings(config, PRODUCTION));
        assertThat(found).containsExactly("the demo API key 'demo-key-<id>' of commune(s) aubeval (demo-key-belcourt) "
                + "(apiKeys in tenants.yaml)");
    }

    @Test
    void theProductionTemplateOfComposeHasNoDemoSecret() {
        Path config = Path.of("docker", "config");
        DemoSecrets.refuseOutsideDemo(settings(Path.of("config"), PRODUCTION), TenantRegistry.load(config.resolve("tenants.yaml")),
                SupplierAccounts.load(config.resolve("sftp-accounts.yaml")));
    }

    @Test
    void aGatewayOutsideDemoModeWithTheDemoConfigurationRefusesToStart(@TempDir Path data) {
        assertThatThrownBy(() -> TestGateway.start(data, PRODUCTION)).isInstanceOf(TenantConfigException.class)
                .hasMessageContaining("demo-key-<id>").hasMessageContaining("demo-ops-key");
    }
}
