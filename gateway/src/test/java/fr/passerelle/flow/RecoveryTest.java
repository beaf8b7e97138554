package fr.passerelle.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;
import fr.passerelle.Json;
import fr.passerelle.TestGateway;

/**
 * The states a crash can leave a flow in, made on purpose in a running gateway: each one leads
 * somewhere, and what cannot move is listed, counted and reported.
 */
class RecoveryTest {

    private static final String KEY = "demo-key-aubeval";

    @TempDir
    Path data;

    /**
     * The case seen after a SIGKILL: the treasury queue holds a wake-up for a flow whose signature
     * the database does not have (yet). The delivery leaves it; the recovery sweep signs the flow and
     * wakes the delivery again, and no duplicate detection swallows that second wake-up.
     */
    @Test
    void aDeliveryWokenBeforeTheFlowIsSignedDropsNothingTheRecoverySignsAndSendsItOnce() throws Exception {
        try (TestGateway gw = TestGateway.start(data, Map.of("passerelle.recovery.grace", "PT0S",
                "passerelle.recovery.sweep-period", "200"))) {
            var routes = gw.gateway.camel().getRouteController();
            routes.stopRoute("recovery-sweep");
            routes.stopRoute("sign");
            String nomFic = "MANDATS_RECOVERY_" + System.nanoTime();
            byte[] pes = Invoices.pesAllerFor("017001", Invoices.AUBEVAL_SIRET, "100", "01", nomFic);
            String id = Json.parse(gw.post(KEY, "PES_logiciel.xml", pes).body()).get("id").asText();
            Flow packed = TestGateway.await(() -> gw.gateway.flows().find(id).orElseThrow(),
                    f -> f.status() != FlowStatus.RECEIVED, Duration.ofSeconds(30));
            assertThat(packed.status()).isEqualTo(FlowStatus.PACKED);

            // the wake-up the signing stage sends once a flow is SIGNED, arriving while it is PACKED
            NotifyBuilder delivered = new NotifyBuilder(gw.gateway.camel()).fromRoute("treasury-delivery-017001")
                    .whenDone(1).create();
            gw.gateway.camel().createProducerTemplate().sendBody("direct:to-treasury", id);
            assertThat(delivered.matches(30, TimeUnit.SECONDS)).isTrue();
            assertThat(gw.gateway.flows().find(id).orElseThrow().status()).isEqualTo(FlowStatus.PACKED);

            routes.startRoute("sign");
            routes.startRoute("recovery-sweep");
            Flow done = TestGateway.await(() -> gw.gateway.flows().find(id).orElseThrow(),
                    f -> f.status() == FlowStatus.ACKNOWLEDGED || f.status() == FlowStatus.FAILED, Duration.ofSeconds(60));
            assertThat(done.status()).as(String.valueOf(done.rejection())).isEqualTo(FlowStatus.ACKNOWLEDGED);
            assertThat(gw.simulator().deliveriesOf(nomFic)).isEqualTo(1);
        }
    }

    @Test
    void aFlowThatMakesNoProgressIsListedCountedAndMakesHealthDegraded() throws Exception {
        try (TestGateway gw = TestGateway.intakeOnly(data, Map.of("passerelle.recovery.stalled-after", "PT0S",
                "passerelle.ops.metrics-period", "200"))) {
            String id = Json.parse(gw.post(KEY, "facture.xml", Invoices.ublFor(Invoices.AUBEVAL_SIRET)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)).body()).get("id").asText();

            // validation does not run here: the flow stays RECEIVED
            JsonNode stalled = Json.parse(gw.get(KEY, "/api/v1/flows?stalled=true").body());
            assertThat(stalled.get("flows")).extracting(f -> f.get("id").asText()).containsExactly(id);
            // another commune does not see it
            assertThat(Json.parse(gw.get("demo-key-belcourt", "/api/v1/flows?stalled=true").body()).get("count").asInt())
                    .isZero();
            assertThat(gw.get(KEY, "/api/v1/flows?stalled=maybe").statusCode()).isEqualTo(400);

            // (overall DOWN here: the stopped validation route is down too)
            JsonNode status = Json.parse(gw.get("demo-ops-key", "/api/v1/ops/status").body());
            JsonNode check = java.util.stream.StreamSupport.stream(status.get("checks").spliterator(), false)
                    .filter(c -> c.get("name").asText().equals("stalled-flows")).findFirst().orElseThrow();
            assertThat(check.get("status").asText()).isEqualTo("DEGRADED");
            assertThat(check.get("message").asText()).contains("1 flux sans progrès", "1 RECEIVED");
            String metrics = TestGateway.await(() -> metrics(gw),
                    m -> m.contains("passerelle_flows_stalled{status=\"RECEIVED\"} 1.0"), Duration.ofSeconds(20));
            assertThat(metrics).contains("passerelle_flows_stalled{status=\"RECEIVED\"} 1.0");
        }
    }

    private static String metrics(TestGateway gw) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(gw.management() + "/observe/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
