package fr.passerelle.settings;

import fr.passerelle.settings.Settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path config;

    @Test
    void environmentOverridesTheFileAndExplicitOverridesWinOverBoth() throws Exception {
        Files.writeString(config.resolve("application.properties"),
                "passerelle.http.port=8080\ncamel.server.port=8080\npasserelle.intake.max-size=150MB\n");
        Settings s = Settings.load(config, Map.of("PASSERELLE_HTTP_PORT", "9090", "CAMEL_SERVER_PORT", "7070"),
                Map.of("camel.server.port", "6060"));
        assertThat(s.getInt("passerelle.http.port")).isEqualTo(9090);
        assertThat(s.getInt("camel.server.port")).isEqualTo(6060);
        assertThat(s.getSize("passerelle.intake.max-size")).isEqualTo(150L * 1024 * 1024);
        assertThat(s.configDir()).isEqualTo(config);
    }

    @Test
    void aKeyAbsentFromTheFileIsSetByTheEnvironmentByTheNamingRule() throws Exception {
        Files.writeString(config.resolve("application.properties"), "passerelle.intake.max-size=150MB\n");
        Settings s = Settings.load(config, Map.of(
                "PASSERELLE_TREASURY_ENDPOINT_DGFIP__PROD_UPLOAD__DIR", "depot",
                "CAMEL_SERVER_MAX__BODY__SIZE", "1024",
                "HOME", "/root", "PASSERELLE_", "x"), Map.of());
        assertThat(s.get("passerelle.treasury.endpoint.dgfip-prod.upload-dir")).isEqualTo("depot");
        assertThat(s.origin("passerelle.treasury.endpoint.dgfip-prod.upload-dir"))
                .isEqualTo("environment PASSERELLE_TREASURY_ENDPOINT_DGFIP__PROD_UPLOAD__DIR");
        assertThat(s.get("camel.server.max-body-size")).isEqualTo("1024");
        assertThat(s.asProperties().stringPropertyNames()).noneMatch(k -> k.startsWith("home") || k.equals("passerelle."));
        assertThat(Settings.keyOf("PASSERELLE_TREASURY_ENDPOINT_DGFIP__PROD_UPLOAD__DIR"))
                .isEqualTo("passerelle.treasury.endpoint.dgfip-prod.upload-dir");
        assertThat(Settings.envName("passerelle.treasury.endpoint.dgfip-prod.upload-dir"))
                .isEqualTo("PASSERELLE_TREASURY_ENDPOINT_DGFIP__PROD_UPLOAD__DIR");
    }

    @Test
    void aKeyOfTheFileIsStillSetByItsFormerSpellingAndTheRuleWinsOverIt() throws Exception {
        Files.writeString(config.resolve("application.properties"),
                "passerelle.intake.max-size=150MB\npasserelle.simulator.ftp-port=2121\ncamel.server.maxBodySize=10\n");
        Settings s = Settings.load(config, Map.of("PASSERELLE_INTAKE_MAX_SIZE", "2MB",
                "PASSERELLE_SIMULATOR_FTP_PORT", "1", "PASSERELLE_SIMULATOR_FTP__PORT", "2",
                "CAMEL_SERVER_MAXBODYSIZE", "20"), Map.of());
        assertThat(s.getSize("passerelle.intake.max-size")).isEqualTo(2L << 20);
        // the former spelling of a file key does not also make a key of its own
        assertThat(s.get("passerelle.intake.max.size", null)).isNull();
        assertThat(s.getInt("passerelle.simulator.ftp-port")).isEqualTo(2);
        assertThat(s.origin("passerelle.simulator.ftp-port")).isEqualTo("environment PASSERELLE_SIMULATOR_FTP__PORT");
        assertThat(s.getInt("camel.server.maxBodySize")).isEqualTo(20);
        // Camel reads its keys without regard to case or dashes: the file's key takes the value
        Settings kebab = Settings.load(config, Map.of("CAMEL_SERVER_MAX__BODY__SIZE", "30"), Map.of());
        assertThat(kebab.getInt("camel.server.maxBodySize")).isEqualTo(30);
        assertThat(kebab.get("camel.server.max-body-size", null)).isNull();
    }

    @Test
    void anEndpointDeclaredWhollyByTheEnvironmentIsATreasuryEndpoint() {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("PASSERELLE_TREASURY_ENDPOINTS", "dgfip");
        env.put("PASSERELLE_TREASURY_ENDPOINT_DGFIP_PROTOCOL", "sftp");
        env.put("PASSERELLE_TREASURY_ENDPOINT_DGFIP_HOST", "tdt.example.fr");
        env.put("PASSERELLE_TREASURY_ENDPOINT_DGFIP_PORT", "2022");
        env.put("PASSERELLE_TREASURY_ENDPOINT_DGFIP_USER", "collectivite");
        env.put("PASSERELLE_TREASURY_ENDPOINT_DGFIP_PASSWORD", "secret");
        env.put("PASSERELLE_TREASURY_ENDPOINT_DGFIP_UPLOAD__DIR", "depot");
        env.put("PASSERELLE_TREASURY_ENDPOINT_DGFIP_RESPONSE__DIR", "retour");
        env.put("PASSERELLE_TREASURY_ENDPOINT_DGFIP_P__DEST", "HELIOS");
        env.put("PASSERELLE_TREASURY_ENDPOINT_DGFIP_CONNECT__TIMEOUT", "PT5S");
        env.put("PASSERELLE_TREASURY_ENDPOINT_DGFIP_READ__TIMEOUT", "PT30S");
        Settings s = Settings.load(Path.of("config"), env, Map.of());

        var endpoints = fr.passerelle.treasury.TreasuryOptions.from(s).endpoints();
        assertThat(endpoints).containsOnlyKeys("dgfip");
        var dgfip = endpoints.get("dgfip");
        assertThat(dgfip.protocol()).isEqualTo(fr.passerelle.treasury.TreasuryEndpoint.Protocol.SFTP);
        assertThat(dgfip.host()).isEqualTo("tdt.example.fr");
        assertThat(dgfip.port()).isEqualTo(2022);
        assertThat(dgfip.user()).isEqualTo("collectivite");
        assertThat(dgfip.password()).isEqualTo("secret");
        assertThat(dgfip.uploadDir()).isEqualTo("depot");
        assertThat(dgfip.responseDir()).isEqualTo("retour");
        assertThat(dgfip.pDest()).isEqualTo("HELIOS");
        assertThat(dgfip.connectTimeout()).hasSeconds(5);
    }

    @Test
    void sizesAreReadInTheirUnits() throws Exception {
        Files.writeString(config.resolve("application.properties"), "a=512KB\nb=2GB\nc=1234\n");
        Settings s = Settings.load(config, Map.of(), Map.of());
        assertThat(s.getSize("a")).isEqualTo(512 * 1024);
        assertThat(s.getSize("b")).isEqualTo(2L << 30);
        assertThat(s.getSize("c")).isEqualTo(1234);
    }

    @Test
    void theShippedConfigurationRunsAsItIs() {
        Settings s = Settings.load(Path.of("config"), Map.of(), Map.of());
        assertThat(s.getInt("camel.server.port")).isEqualTo(8080);
        assertThat(s.getBoolean("passerelle.broker.embedded")).isTrue();
        assertThat(s.get("passerelle.db.url", "")).isEmpty();
    }

    @Test
    void anUnsetOrBlankSizeTakesItsFallback() {
        Settings s = Settings.load(Path.of("config"), Map.of(), Map.of("passerelle.x.blank", " ", "passerelle.x.set", "2MB"));
        assertThat(s.getSize("passerelle.x.unset", 7)).isEqualTo(7);
        assertThat(s.getSize("passerelle.x.blank", 7)).isEqualTo(7);
        assertThat(s.getSize("passerelle.x.set", 7)).isEqualTo(2L << 20);
    }

    @Test
    void aMalformedValueNamesItsKeyItsOriginAndWhatIsExpected() throws Exception {
        Files.writeString(config.resolve("application.properties"),
                "passerelle.sftp.port=2222\npasserelle.x.grace=soon\npasserelle.x.size=12XB\npasserelle.x.on=yes\n");
        Settings s = Settings.load(config, Map.of("PASSERELLE_SFTP_PORT", "abc"), Map.of("passerelle.x.count", "1e3"));

        assertThatThrownBy(() -> s.getInt("passerelle.sftp.port")).isInstanceOf(InvalidSettingException.class)
                .hasMessage("passerelle.sftp.port=abc (environment PASSERELLE_SFTP_PORT): not a whole number");
        assertThatThrownBy(() -> s.getLong("passerelle.x.count"))
                .hasMessage("passerelle.x.count=1e3 (--set): not a whole number");
        assertThatThrownBy(() -> s.getDuration("passerelle.x.grace"))
                .hasMessageStartingWith("passerelle.x.grace=soon (file " + config.resolve("application.properties") + "): ")
                .hasMessageContaining("ISO-8601 duration");
        assertThatThrownBy(() -> s.getSize("passerelle.x.size"))
                .hasMessageStartingWith("passerelle.x.size=12XB (file ").hasMessageContaining("not a size");
        // a typo read as false would silently turn a feature off
        assertThatThrownBy(() -> s.getBoolean("passerelle.x.on"))
                .hasMessageStartingWith("passerelle.x.on=yes (file ").hasMessageEndingWith(": not true or false");
        assertThat(((InvalidSettingException) catchThrowable(() -> s.getInt("passerelle.sftp.port"))).key())
                .isEqualTo("passerelle.sftp.port");
    }

    @Test
    void wellFormedValuesAreReadAsBefore() {
        Settings s = Settings.load(config, Map.of(), Map.of("a", " TRUE ", "b", "false", "c", "PT30S", "d", "-3"));
        assertThat(s.getBoolean("a")).isTrue();
        assertThat(s.getBoolean("b")).isFalse();
        assertThat(s.getDuration("c")).hasSeconds(30);
        assertThat(s.getInt("d")).isEqualTo(-3);
        assertThat(s.origin("a")).isEqualTo("--set");
    }
}
