package fr.passerelle.treasury;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import fr.passerelle.GatewayProcess;
import fr.passerelle.Invoices;
import fr.passerelle.Json;
import fr.passerelle.TestGateway;
import fr.passerelle.treasury.simulator.HeliosSimulator;

/**
 * The gateway process is killed (SIGKILL) in the middle of a delivery — after the upload, with
 * the rename held by the treasury before or after it happens — and restarted on the same data:
 * the treasury ends up with the flow exactly once, and the flow is acknowledged.
 */
class KilledDeliveryTest {

    @TempDir
    Path data;
    @TempDir
    Path simulatorRoot;
    private HeliosSimulator simulator;
    private GatewayProcess gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startTreasury() throws IOException {
        simulator = new HeliosSimulator(new HeliosSimulator.Options(simulatorRoot, "127.0.0.1", 0, -1, "passerelle",
                "simulateur", Duration.ofMillis(200), null)).start();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        simulator.close();
    }

    @ParameterizedTest
    @EnumSource(value = HeliosSimulator.Mode.class, names = {"HANG_BEFORE_RENAME", "HANG_AFTER_RENAME"})
    void aGatewayKilledDuringDeliveryTransmitsTheFlowExactlyOnceAfterItsRestart(HeliosSimulator.Mode hold)
            throws Exception {
        simulator.mode(hold);
        gateway = new GatewayProcess(data, Path.of("target", "killed-delivery-" + hold.name().toLowerCase(
                java.util.Locale.ROOT)), List.of("-Xmx512m"), this::settings, "demo-key-aubeval");
        start();
        HttpResponse<String> posted = post("/api/v1/flows?wait=20", Invoices.ublFor(Invoices.AUBEVAL_SIRET));
        assertThat(posted.statusCode()).as(posted.body()).isIn(200, 201, 202);
        String invoiceId = Json.parse(posted.body()).get("id").asText();

        // the upload is complete and the rename is held (not yet done, or done but not answered)
        JsonNode packed = TestGateway.await(() -> flowJson(invoiceId), j -> j != null && j.has("pes")
                && j.get("pes").has("flow"), Duration.ofSeconds(60));
        String pesFlowId = packed.get("pes").get("flow").asText().replace("/api/v1/flows/", "");
        long signedSize = TestGateway.await(() -> signedSize(pesFlowId), n -> n > 0, Duration.ofSeconds(60));
        boolean uploaded = TestGateway.await(() -> hold == HeliosSimulator.Mode.HANG_AFTER_RENAME
                        ? !simulator.deliveries().isEmpty() : partSize() == signedSize, Boolean::booleanValue,
                Duration.ofSeconds(60));
        assertThat(uploaded).as("upload reached the treasury").isTrue();
        assertThat(gateway.kill()).as("gateway killed while running").isTrue();

        simulator.mode(HeliosSimulator.Mode.NORMAL);
        start();
        JsonNode invoice = TestGateway.await(() -> flowJson(invoiceId),
                j -> j != null && j.get("status").asText().equals("ACKNOWLEDGED"), Duration.ofSeconds(90));
        assertThat(invoice.get("status").asText()).as(invoice.toString()).isEqualTo("ACKNOWLEDGED");
        String nomFic = invoice.get("pes").get("nomFic").asText();
        assertThat(simulator.deliveriesOf(nomFic)).isEqualTo(1);
        assertThat(simulator.deliveries()).hasSize(1);
        assertThat(partFiles()).isZero();
        JsonNode pes = flowJson(invoice.get("pes").get("flow").asText().replace("/api/v1/flows/", ""));
        assertThat(pes.get("treasury").get("transmission").get("state").asText()).isEqualTo("SENT");
        // the killed process's claim survived it (durable commits): the restart made the second attempt
        assertThat(pes.get("treasury").get("transmission").get("attempts").asInt()).isEqualTo(2);
    }

    private long partSize() {
        try (var files = java.nio.file.Files.list(simulator.depot())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).mapToLong(f -> f.toFile().length())
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private long signedSize(String pesFlowId) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(gateway.api() + "/api/v1/flows/"
                    + pesFlowId + "/signed")).header("X-Api-Key", "demo-key-aubeval").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? r.body().length : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private long partFiles() {
        try (var files = java.nio.file.Files.list(simulator.depot())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The real gateway in its own JVM, as `serve` runs it, talking to this test's simulator. */
    private Map<String, String> settings() {
        Map<String, String> set = new LinkedHashMap<>(TestGateway.processOverrides(simulator.ftpPort(), "200"));
        // long enough that the process is killed while its call is held, not timed out
        set.put("passerelle.treasury.endpoint.helios-simulator.read-timeout", "PT120S");
        return set;
    }

    private void start() throws Exception {
        gateway.launch();
        assertThat(gateway.awaitApi(Duration.ofSeconds(90))).as("gateway answering (see " + gateway.log() + ")")
                .isTrue();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.api() + path))
                .header("X-Api-Key", "demo-key-aubeval").header("X-File-Name", "facture.xml")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode flowJson(String id) {
        return gateway.flow("demo-key-aubeval", id);
    }
}
