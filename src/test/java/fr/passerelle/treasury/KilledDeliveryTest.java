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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
    private Process gateway;
    private final HttpClient http = HttpClient.newHttpClient();
    private int httpPort;
    private int managementPort;

    @BeforeEach
    void startTreasury() throws IOException {
        simulator = new HeliosSimulator(new HeliosSimulator.Options(simulatorRoot, "127.0.0.1", 0, -1, "passerelle",
                "simulateur", Duration.ofMillis(200), null)).start();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.destroyForcibly();
        }
        simulator.close();
    }

    @ParameterizedTest
    @EnumSource(value = HeliosSimulator.Mode.class, names = {"HANG_BEFORE_RENAME", "HANG_AFTER_RENAME"})
    void aGatewayKilledDuringDeliveryTransmitsTheFlowExactlyOnceAfterItsRestart(HeliosSimulator.Mode hold)
            throws Exception {
        simulator.mode(hold);
        startGateway("first");
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
        gateway.destroyForcibly().waitFor();

        simulator.mode(HeliosSimulator.Mode.NORMAL);
        startGateway("second");
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
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/api/v1/flows/" + pesFlowId + "/signed")).header("X-Api-Key", "demo-key-aubeval").build(),
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
    private void startGateway(String name) throws Exception {
        httpPort = TestGateway.freePort();
        managementPort = TestGateway.freePort();
        Map<String, String> set = new LinkedHashMap<>(TestGateway.localOverrides(data, httpPort, managementPort));
        set.putAll(TestGateway.treasuryOverrides(simulator.ftpPort()));
        set.put("passerelle.sftp.enabled", "false");
        set.put("passerelle.simulator.enabled", "false");
        set.put("passerelle.pes.batch.max-wait", "PT0S");
        set.put("passerelle.pes.pack-period", "200");
        // long enough that the process is killed while its call is held, not timed out
        set.put("passerelle.treasury.endpoint.helios-simulator.read-timeout", "PT120S");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classpath, "fr.passerelle.Passerelle", "serve"));
        set.forEach((k, v) -> {
            command.add("--set");
            command.add(k + "=" + v);
        });
        gateway = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "killed-delivery-" + name + ".log").toFile()).start();
        String health = TestGateway.await(this::health, h -> h.startsWith("{\"status\":\"UP\"") || !gateway.isAlive(),
                Duration.ofSeconds(90));
        assertThat(gateway.isAlive()).as("gateway process running").isTrue();
        assertThat(health).startsWith("{\"status\":\"UP\"");
    }

    private String health() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("X-Api-Key", "demo-key-aubeval").header("X-File-Name", "facture.xml")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode flowJson(String id) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/api/v1/flows/" + id)).header("X-Api-Key", "demo-key-aubeval").build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Json.parse(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
