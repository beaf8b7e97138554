package fr.passerelle.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import fr.passerelle.Json;
import fr.passerelle.TestGateway;

/** Our health checks say why, in /observe/health?exposureLevel=full and GET /api/v1/ops/status. */
class HealthReasonsTest {

    @TempDir
    Path data;

    @Test
    void aTreasuryEndpointOnAClosedPortAndAFullDiskAreExplained() throws Exception {
        int closed = TestGateway.freePort();
        try (TestGateway gw = TestGateway.intakeOnly(data, Map.of(
                "passerelle.ops.metrics-period", "200",
                "passerelle.treasury.endpoint.helios-simulator.port", String.valueOf(closed),
                // above any disk's free space: the disk check must fail, and say how much is free
                "passerelle.health.min-free-disk", "1000000GB"))) {
            // exposureLevel=full: each check's state and message, the reasons on one line
            JsonNode treasury = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> check(gw, "", "treasury"), c -> c != null && c.has("message"));
            assertThat(treasury.get("status").asText()).isEqualTo("UP");
            assertThat(treasury.get("message").asText()).startsWith("DEGRADED: ")
                    .contains("« helios-simulator »", "127.0.0.1:" + closed, "injoignable", "connexion refusée");
            assertThat(check(gw, "", "disk-space").get("message").asText()).startsWith("DOWN: ").contains("octets");

            // &data=true adds the details: state, and the reasons one line per cause
            treasury = check(gw, "&data=true", "treasury");
            assertThat(treasury.get("data").get("state").asText()).isEqualTo("DEGRADED");
            assertThat(treasury.get("data").get("reason").asText())
                    .isEqualTo("point de dépôt « helios-simulator » (ftp 127.0.0.1:" + closed + ") injoignable : connexion refusée");

            JsonNode disk = check(gw, "&data=true", "disk-space");
            assertThat(disk.get("status").asText()).isEqualTo("DOWN");
            assertThat(disk.get("data").get("state").asText()).isEqualTo("DOWN");
            long free = disk.get("data").get("freeBytes").asLong();
            assertThat(free).isPositive();
            assertThat(disk.get("data").get("reason").asText())
                    .contains("espace disque libre", "(" + free + " octets)", "passerelle.health.min-free-disk");

            JsonNode status = Json.parse(gw.get("demo-ops-key", "/api/v1/ops/status").body());
            assertThat(status.get("status").asText()).isEqualTo("DOWN");
            JsonNode treasuryStatus = byName(status.get("checks"), "treasury");
            assertThat(treasuryStatus.get("status").asText()).isEqualTo("DEGRADED");
            assertThat(treasuryStatus.get("reason").get(0).asText()).contains("« helios-simulator »", "connexion refusée");
            assertThat(byName(status.get("checks"), "disk-space").get("reason").get(0).asText()).contains("octets");
        }
    }

    /** One check of /observe/health?exposureLevel=full (and more parameters), or null. */
    private static JsonNode check(TestGateway gw, String more, String id) throws Exception {
        JsonNode health = Json.parse(gw.get(null, gw.management() + "/observe/health?exposureLevel=full" + more).body());
        return byName(health.get("checks"), id);
    }

    private static JsonNode byName(JsonNode checks, String name) {
        for (JsonNode c : checks) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        return null;
    }
}
