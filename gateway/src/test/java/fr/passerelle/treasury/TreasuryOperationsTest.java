package fr.passerelle.treasury;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;
import fr.passerelle.Json;
import fr.passerelle.Samples;
import fr.passerelle.TestGateway;
import fr.passerelle.flow.EmbeddedBroker;
import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.tenant.Commune;
import fr.passerelle.treasury.simulator.HeliosSimulator;

/**
 * What operations live with on the treasury side: a flow that could not be sent is FAILED,
 * dead-lettered and replayed by an operator; transmission windows and quotas hold flows back;
 * unreadable returns are quarantined; flows never acknowledged are listed and degrade the status;
 * PES_Retour piece states reach the flows they concern.
 */
class TreasuryOperationsTest {

    private static final String OPS = "demo-ops-key";

    @TempDir
    static Path data;
    @TempDir
    static Path config;
    static TestGateway gw;
    static TransmissionStore transmissions;

    @BeforeAll
    static void start() throws Exception {
        Path conf = TestGateway.copyOfConfig(config.resolve("config"));
        Path tenants = conf.resolve("tenants.yaml");
        // belcourt may send only in a window that opens in three hours; dormeval one flow an hour
        LocalTime now = LocalTime.now(ZoneId.of("Europe/Paris"));
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        String window = now.plusHours(3).format(hhmm) + "-" + now.plusHours(4).format(hhmm);
        String yaml = Files.readString(tenants)
                .replace("""
                            signingKey: keys/belcourt.p12
                            treasuryEndpoint: helios-simulator
                        """, """
                            signingKey: keys/belcourt.p12
                            treasuryEndpoint: helios-simulator
                            transmission:
                              windows: ["%s"]
                        """.formatted(window))
                .replace("""
                            signingKey: keys/dormeval.p12
                            treasuryEndpoint: helios-simulator
                        """, """
                            signingKey: keys/dormeval.p12
                            treasuryEndpoint: helios-simulator
                            transmission:
                              maxFlowsPerHour: 1
                        """);
        Files.writeString(tenants, yaml);
        gw = TestGateway.start(data, conf, Map.of("passerelle.pes.batch.max-wait", "PT0S",
                "passerelle.pes.pack-period", "200", "passerelle.treasury.max-attempts", "3",
                "passerelle.treasury.unacknowledged-after", "PT2S", "passerelle.ops.metrics-period", "200"));
        transmissions = new TransmissionStore(gw.gateway.database().dataSource(), gw.gateway.flows(),
                java.time.Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @AfterEach
    void normal() {
        gw.simulator().mode(HeliosSimulator.Mode.NORMAL);
    }

    private static Flow flow(String id) {
        return gw.gateway.flows().find(id).orElseThrow();
    }

    private static Commune commune(String id) {
        return gw.gateway.tenants().commune(id).orElseThrow();
    }

    /** Posts an invoice for the commune and answers the id of the PES flow that carries it. */
    private static String pesFlowOfNewInvoice(String communeId) throws Exception {
        HttpResponse<String> posted = gw.post("demo-key-" + communeId, "/api/v1/flows?wait=20", "facture.xml",
                // each call a new invoice, not the same file again (which intake would take as a duplicate)
                (Invoices.ublFor(commune(communeId).siret()) + "\n<!-- " + System.nanoTime() + " -->\n")
                        .getBytes(StandardCharsets.UTF_8));
        String invoiceId = Json.parse(posted.body()).get("id").asText();
        return TestGateway.await(() -> gw.gateway.pesRegistry().pjOf(invoiceId), java.util.Optional::isPresent,
                Duration.ofSeconds(30)).orElseThrow().pesFlowId();
    }

    private static Flow awaitStatus(String id, FlowStatus... wanted) throws InterruptedException {
        List<FlowStatus> statuses = List.of(wanted);
        return TestGateway.await(() -> flow(id), f -> statuses.contains(f.status()), Duration.ofSeconds(60));
    }

    @Test
    void aFlowThatCannotBeSentIsFailedDeadLetteredAndReplayedByAnOperator() throws Exception {
        gw.simulator().mode(HeliosSimulator.Mode.REFUSE_CONNECTIONS);
        String pes = pesFlowOfNewInvoice("chanteloup-vieux");
        Flow failed = awaitStatus(pes, FlowStatus.FAILED, FlowStatus.SENT);
        assertThat(failed.status()).isEqualTo(FlowStatus.FAILED);
        assertThat(failed.rejection().rule()).isEqualTo("TREASURY-TRANSMISSION");
        assertThat(failed.rejection().message()).contains("3 tentatives");
        assertThat(transmissions.find(pes).orElseThrow().attempts()).isEqualTo(3);
        assertThat(TestGateway.await(() -> onQueue(EmbeddedBroker.DEAD_LETTER_QUEUE, pes), n -> n > 0,
                Duration.ofSeconds(10))).isEqualTo(1);

        // a commune may not replay; an operator may, once the treasury is back
        assertThat(gw.post("demo-key-chanteloup-vieux", "/api/v1/flows/" + pes + "/replay", null, new byte[0])
                .statusCode()).isEqualTo(403);
        gw.simulator().mode(HeliosSimulator.Mode.NORMAL);
        HttpResponse<String> replay = gw.post(OPS, "/api/v1/flows/" + pes + "/replay", null, new byte[0]);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        Flow done = awaitStatus(pes, FlowStatus.ACKNOWLEDGED, FlowStatus.REFUSED, FlowStatus.FAILED);
        assertThat(done.status()).isEqualTo(FlowStatus.ACKNOWLEDGED);
        assertThat(gw.simulator().deliveriesOf(gw.gateway.pesRegistry().nomFicOf(pes).orElseThrow())).isEqualTo(1);
        // replaying a flow that is not FAILED is refused
        assertThat(gw.post(OPS, "/api/v1/flows/" + pes + "/replay", null, new byte[0]).statusCode()).isEqualTo(409);
    }

    @Test
    void aFlowOutsideItsCommunesWindowWaitsOnItsQueue() throws Exception {
        String pes = pesFlowOfNewInvoice("belcourt");
        // the delivery saw it and put it back, due when the window opens: nothing was attempted
        assertThat(awaitNote(pes, "hors des fenêtres de transmission")).isTrue();
        assertThat(TestGateway.await(() -> gw.gateway.broker().scheduled("passerelle.treasury.017001"), n -> n > 0,
                Duration.ofSeconds(10))).isPositive();
        assertThat(transmissions.find(pes)).isEmpty();
        assertThat(flow(pes).status()).isEqualTo(FlowStatus.SIGNED);
    }

    @Test
    void aCommuneOverItsHourlyQuotaWaits() throws Exception {
        String first = pesFlowOfNewInvoice("dormeval");
        assertThat(awaitStatus(first, FlowStatus.ACKNOWLEDGED).status()).isEqualTo(FlowStatus.ACKNOWLEDGED);
        String second = pesFlowOfNewInvoice("dormeval");
        assertThat(awaitNote(second, "quota de 1 flux par heure atteint")).isTrue();
        assertThat(flow(second).status()).isEqualTo(FlowStatus.SIGNED);
        assertThat(transmissions.find(second)).isEmpty();
        // the API tells the commune why it waits
        assertThat(get("demo-key-dormeval", "/api/v1/flows/" + second)).contains("quota de 1 flux par heure");
    }

    @Test
    void anUnreadableAcquittementIsQuarantinedAndDegradesTheStatus() throws Exception {
        gw.simulator().mode(HeliosSimulator.Mode.GARBAGE);
        String pes = pesFlowOfNewInvoice("escaroles");
        assertThat(awaitStatus(pes, FlowStatus.SENT).status()).isEqualTo(FlowStatus.SENT);
        var quarantined = TestGateway.await(() -> transmissions.quarantinedReturns(), l -> !l.isEmpty(),
                Duration.ofSeconds(20));
        assertThat(quarantined).anySatisfy(r -> assertThat(r.reason()).startsWith("RETOUR-ILLISIBLE"));
        Path folder = data.resolve("quarantine").resolve("treasury").resolve("helios-simulator");
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains("ACK"));
        }
        JsonNode status = TestGateway.await(() -> opsStatus(), s -> s.get("status").asText().equals("DEGRADED"),
                Duration.ofSeconds(10));
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("DEGRADED");
        assertThat(status.get("treasury").asText()).contains("quarantaine");
        // a commune does not see the platform's status
        assertThat(gw.get("demo-key-escaroles", "/api/v1/ops/status").statusCode()).isEqualTo(403);
        // Camel's own health stays UP (nothing an orchestrator should restart for) and says DEGRADED
        assertThat(gw.get(null, gw.management() + "/observe/health?exposureLevel=full").body())
                .startsWith("{\"status\":\"UP\"").contains("DEGRADED");
    }

    @Test
    void flowsNeverAcknowledgedAreListedAndCounted() throws Exception {
        gw.simulator().mode(HeliosSimulator.Mode.DROP);
        String pes = pesFlowOfNewInvoice("fontbrune");
        assertThat(awaitStatus(pes, FlowStatus.SENT).status()).isEqualTo(FlowStatus.SENT);
        JsonNode listed = TestGateway.await(() -> Json.parse(get(OPS, "/api/v1/treasury/unacknowledged")),
                j -> j.get("flows").toString().contains(pes), Duration.ofSeconds(20));
        assertThat(listed.get("flows").toString()).contains(pes);
        // the commune sees its own, another commune does not
        assertThat(get("demo-key-fontbrune", "/api/v1/treasury/unacknowledged")).contains(pes);
        assertThat(get("demo-key-aubeval", "/api/v1/treasury/unacknowledged")).doesNotContain(pes);
        String metrics = TestGateway.await(() -> get(null, gw.management() + "/observe/metrics"),
                m -> m.lines().anyMatch(l -> l.startsWith("passerelle_flows_unacknowledged") && !l.endsWith(" 0.0")),
                Duration.ofSeconds(10));
        assertThat(metrics.lines().filter(l -> l.startsWith("passerelle_flows_unacknowledged"))).isNotEmpty()
                .allSatisfy(l -> assertThat(l).doesNotEndWith(" 0.0"));
        assertThat(opsStatus().get("status").asText()).isEqualTo("DEGRADED");
    }

    @Test
    void pieceStatesOfAPesRetourReachTheFlowTheyConcern() throws Exception {
        Commune aubeval = commune("aubeval");
        String nomFic = "RETOUR_TEST_" + System.nanoTime();
        byte[] pes = Invoices.pesAllerFor("017001", aubeval.siret(), "100", "01", nomFic);
        String id = Json.parse(gw.post("demo-key-aubeval", "mandats.xml", pes).body()).get("id").asText();
        assertThat(awaitStatus(id, FlowStatus.ACKNOWLEDGED, FlowStatus.REFUSED).status()).isEqualTo(FlowStatus.ACKNOWLEDGED);

        // the treasury's periodic return: piece 6623 of bordereau 2372 (2015) taken in charge
        String retour = Files.readString(Samples.sample("pes/PES_Retour_depense.xml"), StandardCharsets.ISO_8859_1)
                .replace("<IdPost V=\"082008\"/>", "<IdPost V=\"017001\"/>")
                .replace("<IdColl V=\"12345678900012\"/>", "<IdColl V=\"" + aubeval.siret() + "\"/>")
                .replace("<CodColl V=\"221\"/>", "<CodColl V=\"100\"/>")
                .replace("<Exer V=\"2009\"/>", "<Exer V=\"2015\"/>")
                .replace("<IdBord V=\"1234567\"/>", "<IdBord V=\"2372\"/>")
                .replace("<IdPce V=\"832\"/>", "<IdPce V=\"6623\"/>")
                .replace("<EtatPce V=\"01\"/>", "<EtatPce V=\"02\"/>");
        gw.simulator().writeRetour("PES2R_017001_" + System.nanoTime() + ".xml",
                retour.getBytes(StandardCharsets.ISO_8859_1));
        JsonNode api = TestGateway.await(() -> Json.parse(get("demo-key-aubeval", "/api/v1/flows/" + id)),
                j -> j.path("treasury").has("pieceStates"), Duration.ofSeconds(20));
        JsonNode state = api.get("treasury").get("pieceStates").get(0);
        assertThat(state.get("idPce").asText()).isEqualTo("6623");
        assertThat(state.get("etat").asText()).isEqualTo("02");
        assertThat(state.get("label").asText()).isEqualTo("prise en charge");
        try (var outbox = Files.list(data.resolve("outbox").resolve("aubeval"))) {
            assertThat(outbox.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("PES2R_017001_"));
        }

        // a return naming nothing the gateway sent is quarantined, never dropped
        gw.simulator().writeRetour("PES2R_inconnu.xml", Files.readAllBytes(Samples.sample("pes/PES_Retour_depense.xml")));
        assertThat(TestGateway.await(() -> transmissions.quarantinedReturns(),
                l -> l.stream().anyMatch(r -> r.fileName().equals("PES2R_inconnu.xml")), Duration.ofSeconds(20)))
                .anySatisfy(r -> assertThat(r.reason()).contains("RETOUR-NON-RAPPROCHE"));
    }

    private static boolean awaitNote(String flowId, String text) throws InterruptedException {
        return TestGateway.await(() -> gw.gateway.flows().history(flowId).stream()
                .anyMatch(e -> e.detail() != null && e.detail().contains(text)), Boolean::booleanValue, Duration.ofSeconds(30));
    }

    private static JsonNode opsStatus() {
        return Json.parse(get(OPS, "/api/v1/ops/status"));
    }

    private static String get(String key, String path) {
        try {
            return gw.get(key, path).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Messages of one flow waiting on a queue (browsed, not consumed; scheduled ones included). */
    private static int onQueue(String queue, String flowId) {
        try (jakarta.jms.JMSContext jms = gw.gateway.connectionFactory().createContext();
             jakarta.jms.QueueBrowser browser = jms.createBrowser(jms.createQueue(queue))) {
            int n = 0;
            for (Object m : java.util.Collections.list(browser.getEnumeration())) {
                if (flowId.equals(((jakarta.jms.Message) m).getBody(String.class))) {
                    n++;
                }
            }
            return n;
        } catch (jakarta.jms.JMSException e) {
            throw new AssertionError(e);
        }
    }
}
