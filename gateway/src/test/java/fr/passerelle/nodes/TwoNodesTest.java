package fr.passerelle.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.GatewayProcess;
import fr.passerelle.Invoices;
import fr.passerelle.Json;
import fr.passerelle.TestGateway;
import fr.passerelle.treasury.simulator.HeliosSimulator;

/**
 * The production shape on one machine: one external Artemis (the distribution, with
 * docker/artemis/broker.xml), one PostgreSQL, the Hélios simulator, and two gateway processes
 * sharing the broker, the database and the data folder (originals, keys, outbox: the "shared
 * storage" of several nodes), each with its own ports and node name. Invoices are posted to both;
 * one node is killed (SIGKILL) while flows are on their way; the other finishes everything: each
 * accepted invoice acknowledged, each PES flow at the treasury exactly once, no half-uploaded file.
 */
class TwoNodesTest {

    private static final String OPS_KEY = "demo-ops-key";
    private static final Map<String, String> COMMUNES = Map.of("aubeval", Invoices.AUBEVAL_SIRET,
            "belcourt", "21750108900015");

    @TempDir
    Path folder;
    private ArtemisProcess broker;
    private EmbeddedPostgres postgres;
    private HeliosSimulator simulator;
    private final List<Node> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startSharedServices() throws Exception {
        broker = ArtemisProcess.start(folder.resolve("broker"), "two-nodes", "passerelle", "two-nodes-secret");
        postgres = EmbeddedPostgres.start();
        simulator = new HeliosSimulator(new HeliosSimulator.Options(folder.resolve("simulator"), "127.0.0.1", 0, -1,
                "passerelle", "simulateur", Duration.ofMillis(200), null)).start();
    }

    @AfterEach
    void stopEverything() throws IOException {
        nodes.forEach(node -> node.process.close());
        if (simulator != null) {
            simulator.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** When node a is killed. */
    enum Moment {
        /** right after the invoices were posted: validations under way on both nodes */
        WHILE_VALIDATING,
        /** as soon as a first flow is at the treasury: node a may be between its rename and its record of it */
        AS_A_FLOW_REACHES_THE_TREASURY
    }

    @ParameterizedTest
    @EnumSource(Moment.class)
    void theSurvivorOfTwoNodesFinishesEveryFlowExactlyOnce(Moment moment) throws Exception {
        long started = System.nanoTime();
        Path data = folder.resolve("shared-data");
        Node a = start(moment, "a", data);
        Node b = start(moment, "b", data);
        a.awaitHealthy();
        b.awaitHealthy();

        // invoices to both nodes, for two communes of one poste comptable
        List<String> accepted = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < 6; i++) {
            for (Node node : List.of(a, b)) {
                accepted.add(post(node, n++));
            }
        }
        // flows are on their way: node a dies without a word
        if (moment == Moment.AS_A_FLOW_REACHES_THE_TREASURY) {
            boolean moving = simulator.awaitDeliveries(firstNomFic(b, accepted), 1, Duration.ofSeconds(120));
            assertThat(moving).as("a first flow reached the treasury").isTrue();
        }
        assertThat(a.process.kill()).as("node a killed while running").isTrue();
        System.out.printf("two nodes (%s): node a killed after %.1f s%n", moment, (System.nanoTime() - started) / 1e9);
        // and more come in through the survivor
        for (int i = 0; i < 6; i++) {
            accepted.add(post(b, n++));
        }

        Map<String, JsonNode> last = new TreeMap<>();
        boolean done = TestGateway.await(() -> {
            for (String id : accepted) {
                JsonNode flow = b.flow(id);
                if (flow != null) {
                    last.put(id, flow);
                }
            }
            return last.size() == accepted.size() && last.values().stream()
                    .allMatch(f -> f.get("status").asText().equals("ACKNOWLEDGED"));
        }, Boolean::booleanValue, Duration.ofSeconds(180));
        assertThat(done).as("every accepted invoice ACKNOWLEDGED; not yet: " + notAcknowledged(b, last)
                + " (logs: " + a.process.log() + ", " + b.process.log() + ")").isTrue();

        Set<String> nomFics = new LinkedHashSet<>();
        last.values().forEach(f -> nomFics.add(f.get("pes").get("nomFic").asText()));
        Map<String, Long> deliveries = new TreeMap<>();
        nomFics.forEach(nomFic -> deliveries.put(nomFic, simulator.deliveriesOf(nomFic)));
        assertThat(deliveries).as("deliveries per NomFic").allSatisfy((nomFic, count) -> assertThat(count)
                .as(nomFic).isEqualTo(1L));
        assertThat(simulator.deliveries()).as("nothing else reached the treasury").hasSize(nomFics.size());
        assertThat(partFiles()).as("half-uploaded files left at the treasury").isEmpty();
        System.out.printf("two nodes (%s): %d invoices in %d PES flows, %.1f s%n", moment, accepted.size(), nomFics.size(),
                (System.nanoTime() - started) / 1e9);
    }

    /** The NomFic of the first invoice to be packed (the survivor answers for every flow). */
    private String firstNomFic(Node node, List<String> ids) throws InterruptedException {
        return TestGateway.await(() -> ids.stream().map(node::flow).filter(f -> f != null && f.has("pes")
                && f.get("pes").has("nomFic")).map(f -> f.get("pes").get("nomFic").asText()).findFirst().orElse(null),
                v -> v != null, Duration.ofSeconds(120));
    }

    private String notAcknowledged(Node node, Map<String, JsonNode> flows) {
        StringBuilder s = new StringBuilder();
        flows.forEach((id, f) -> {
            if (!f.get("status").asText().equals("ACKNOWLEDGED")) {
                s.append("\n  ").append(id).append(' ').append(f.get("status").asText());
                if (f.has("pes") && f.get("pes").has("flow")) {
                    JsonNode pes = node.flow(f.get("pes").get("flow").asText().replace("/api/v1/flows/", ""));
                    s.append(" in PES flow ").append(pes == null ? "?" : pes.get("id").asText() + " "
                            + pes.get("status").asText() + " " + pes.path("treasury").path("transmission"));
                }
            }
        });
        return s.toString();
    }

    private List<String> partFiles() throws IOException {
        try (var files = Files.list(simulator.depot())) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(".part")).toList();
        }
    }

    /** The commune of invoice n: aubeval and belcourt in turn. */
    private static String commune(int n) {
        return n % 2 == 0 ? "aubeval" : "belcourt";
    }

    /** Invoice n: the EN 16931 UBL sample addressed to its commune, with its own invoice number. */
    private String post(Node node, int n) throws Exception {
        byte[] body = Invoices.ublFor(COMMUNES.get(commune(n))).replace("<cbc:ID>12115118</cbc:ID>",
                "<cbc:ID>NODES-" + n + "</cbc:ID>").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.api() + "/api/v1/flows"))
                .header("X-Api-Key", "demo-key-" + commune(n)).header("X-File-Name", "facture-" + n + ".xml")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.parse(r.body()).get("id").asText();
    }

    /** A gateway as `serve` runs it, in its own JVM, on the shared broker, database and data folder. */
    private Node start(Moment moment, String name, Path data) throws Exception {
        Map<String, String> set = new LinkedHashMap<>(TestGateway.processOverrides(simulator.ftpPort(), "500"));
        set.put("passerelle.node.name", "node-" + name);
        set.put("passerelle.broker.embedded", "false");
        set.put("passerelle.broker.url", broker.url());
        set.put("passerelle.broker.user", broker.user);
        set.put("passerelle.broker.password", broker.password);
        set.put("passerelle.db.url", postgres.getJdbcUrl("postgres", "postgres"));
        set.put("passerelle.db.user", "postgres");
        set.put("passerelle.db.password", "postgres");
        set.put("passerelle.db.pool-size", "5");
        set.put("passerelle.validation.consumers", "1");
        // a dead node's delivery is taken over soon
        set.put("passerelle.treasury.claim-lease", "PT15S");
        GatewayProcess process = new GatewayProcess(data, Path.of("target", "two-nodes-"
                + moment.name().toLowerCase(java.util.Locale.ROOT), name), List.of("-Xmx384m", "-XX:+UseSerialGC"),
                () -> set, "demo-key-aubeval");
        Node node = new Node(name, process);
        nodes.add(node);
        process.launch();
        return node;
    }

    private final class Node {
        final String name;
        final GatewayProcess process;

        Node(String name, GatewayProcess process) {
            this.name = name;
            this.process = process;
        }

        String api() {
            return process.api();
        }

        void awaitHealthy() throws InterruptedException {
            assertThat(process.awaitApi(Duration.ofSeconds(180))).as("node " + name + " answering (see "
                    + process.log() + ")").isTrue();
        }

        JsonNode flow(String id) {
            return process.flow(OPS_KEY, id);
        }
    }
}
